"""The one-form flow: the whole instrument in one form (its areas are steps the script shows),
autosaved as it changes, submitted once; the same draft as the paged flow, and cheap per request.

Query counts as in test_taking_query_budget.py (outside a wrapping transaction, transaction
control statements not counted)."""

import pytest
from django.urls import reverse

from diagnostics.models import Answer, Response
from diagnostics.scoring import tasks as scoring_tasks
from tests.diagnostics import test_taking_query_budget as budget
from tests.diagnostics.test_taking_query_budget import (
    answer_everything,
    at_most,
    page_url,
    pick,
    stored,
)
from tests.lms.factories import TeacherFactory

# A teacher on a draft of a published instrument of 10 or 45 single-choice questions on six pages.
taking = budget.taking

pytestmark = pytest.mark.django_db(transaction=True)


def form_url(response):
    return reverse("diagnostics:form", args=[response.pk])


def everything(pages, label="B") -> dict:
    return {f"q{q.pk}": pick(q, label) for page in pages for q in page.questions}


def test_the_one_form_get_is_at_most_four_queries_and_shows_every_area(client, taking):
    response, pages = taking
    answer_everything(response, pages)
    # session, user, the response with its round and instrument, the answers with their options;
    # the questions come from the cache.
    with at_most(4):
        reply = client.get(form_url(response))
    assert reply.status_code == 200
    html = reply.content.decode()
    assert all(f'id="step-{page.number}"' in html for page in pages)
    assert all(f'id="question-{q.pk}"' in html for page in pages for q in page.questions)
    checked = [q.given["selected"] for page in reply.context["pages"] for q in page.questions]
    assert checked == [{pick(q, "B")} for page in pages for q in page.questions]


def test_the_one_form_submit_is_at_most_ten_queries_and_asks_for_scoring(
    client, taking, monkeypatch
):
    response, pages = taking
    queued = []
    monkeypatch.setattr(scoring_tasks.score_waiting_responses, "delay", lambda: queued.append(1))
    # session, user, the response locked (with what is stored for the questions sent), the
    # answers in one insert, their options in one insert (every required question is among
    # them: the stored answers are not read again), the pricing (its UPDATE; on PostgreSQL with
    # its planner settings read, set and restored: 4), the status UPDATE.
    with at_most(10):
        reply = client.post(form_url(response), everything(pages) | {"go": "submit"})
    assert reply["Location"] == reverse("diagnostics:result", args=[response.pk])
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert queued == [1]
    assert set(stored(response)) == {q.pk for page in pages for q in page.questions}


def test_the_one_form_submit_over_autosaved_answers_is_at_most_ten_queries(
    client, taking, monkeypatch
):
    response, pages = taking
    answer_everything(response, pages, label="B")
    monkeypatch.setattr(scoring_tasks.score_waiting_responses, "delay", lambda: None)
    data = everything(pages, "B")
    changed = pages[4].questions[0]
    data[f"q{changed.pk}"] = pick(changed, "D")
    with at_most(10):
        reply = client.post(form_url(response), data)
    assert reply.status_code == 302
    assert stored(response)[changed.pk] == {pick(changed, "D")}


def test_an_autosave_in_the_one_form_saves_a_question_of_any_area(client, taking):
    response, pages = taking
    first, last = pages[0].questions[0], pages[-1].questions[-1]
    data = {f"q{first.pk}": pick(first, "A"), f"q{last.pk}": pick(last, "C")}
    data["sent"] = [first.pk, last.pk]
    with at_most(5):
        reply = client.post(form_url(response), data, headers={"HX-Request": "true"})
    assert reply.status_code == 204
    assert stored(response) == {first.pk: {pick(first, "A")}, last.pk: {pick(last, "C")}}
    assert Response.objects.get(pk=response.pk).status == Response.Status.DRAFT


def test_answers_saved_page_by_page_are_in_the_one_form_and_back(client, taking):
    response, pages = taking
    page3 = pages[2]
    client.post(page_url(response, 3), {f"q{q.pk}": pick(q, "C") for q in page3.questions})
    form = client.get(form_url(response))
    shown = {q.pk: q.given.get("selected") for p in form.context["pages"] for q in p.questions}
    assert all(shown[q.pk] == {pick(q, "C")} for q in page3.questions)
    # The first step with a question left is where the form opens.
    assert form.context["resume_step"] == 1

    page1 = pages[0]
    data = {f"q{q.pk}": pick(q, "A") for q in page1.questions}
    data["sent"] = [q.pk for q in page1.questions]
    client.post(form_url(response), data, headers={"HX-Request": "true"})
    again = client.get(page_url(response, 1))
    assert [q.given["selected"] for q in again.context["page"].questions] == [
        {pick(q, "A")} for q in page1.questions
    ]
    assert client.get(form_url(response)).context["resume_step"] == 2


def test_a_submit_with_questions_left_keeps_what_was_sent_and_names_them(client, taking):
    response, pages = taking
    data = everything(pages[:-1])
    reply = client.post(form_url(response), data)
    assert reply.status_code == 400
    messages = [p.message for p in reply.context["problems"]]
    left = pages[-1].questions
    assert len(messages) == 1 + len(left)
    assert {p.anchor for p in reply.context["problems"][1:]} == {f"question-{q.pk}" for q in left}
    assert Response.objects.get(pk=response.pk).status == Response.Status.DRAFT
    assert len(stored(response)) == sum(len(p.questions) for p in pages[:-1])


def test_a_forged_choice_saves_nothing_of_it_and_says_where(client, taking):
    response, pages = taking
    first, second = pages[0].questions[:2]
    other = pages[1].questions[0]
    data = {f"q{first.pk}": pick(first, "A"), f"q{second.pk}": pick(other, "A")}
    reply = client.post(form_url(response), data)
    assert reply.status_code == 400
    assert [p.anchor for p in reply.context["problems"]] == [f"question-{second.pk}"]
    assert stored(response) == {first.pk: {pick(first, "A")}}


def test_a_submitted_response_opens_its_result_not_the_form(client, taking):
    response, pages = taking
    client.post(form_url(response), everything(pages))
    assert client.get(form_url(response))["Location"] == reverse(
        "diagnostics:result", args=[response.pk]
    )
    autosave = client.post(
        form_url(response), {"sent": pages[0].questions[0].pk}, headers={"HX-Request": "true"}
    )
    assert autosave.status_code == 400
    assert autosave.json()["problems"]


def test_another_teacher_cannot_open_or_post_my_form(client, taking):
    response, pages = taking
    client.force_login(TeacherFactory(school=response.teacher.school))
    assert client.get(form_url(response)).status_code == 404
    assert client.post(form_url(response), everything(pages)).status_code == 404
    assert not Answer.objects.filter(response=response).exists()


def test_start_opens_the_one_form_only_in_a_browser_that_runs_the_script(client, taking):
    response, _pages = taking
    start = reverse("diagnostics:take", args=[response.round_id])
    assert client.get(start)["Location"] == page_url(response, 1)
    client.cookies["ustaz_scripts"] = "1"
    assert client.get(start)["Location"] == form_url(response)


def test_two_teachers_each_see_their_own_choices_checked(client, taking):
    """The HTML of an option question is kept per choice and language (diagnostics_tags
    question_block): a second teacher's form shows their answers, never the first one's."""
    response, pages = taking
    answer_everything(response, pages, label="B")
    first = client.get(form_url(response)).content.decode()
    other = TeacherFactory(school=response.teacher.school)
    client.force_login(other)
    client.get(reverse("diagnostics:take", args=[response.round_id]))
    theirs = Response.objects.get(teacher=other)
    answer_everything(theirs, pages, label="C")
    second = client.get(form_url(theirs)).content.decode()
    for page in pages:
        for question in page.questions:
            b, c = pick(question, "B"), pick(question, "C")
            assert f'value="{b}" checked' in first and f'value="{c}" checked' not in first
            assert f'value="{c}" checked' in second and f'value="{b}" checked' not in second
