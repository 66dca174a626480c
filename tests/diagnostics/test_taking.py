from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Answer, Response
from tests.diagnostics.factories import RoundFactory
from tests.diagnostics.helpers import ALL_RIGHT, answered_response, by_code, choice
from tests.lms.factories import HeadFactory, TeacherFactory


@pytest.fixture
def response(open_round, teacher):
    return answered_response(open_round, teacher, {}, submit=False)


def page_url(response, number):
    return reverse("diagnostics:page", args=[response.pk, number])


def page_post(open_round, **answers):
    """POST data for the first page (area "docs": single, multi, levels)."""
    questions = by_code(open_round.instrument)
    data = {"go": "next"}
    for code, value in answers.items():
        question = questions[code]
        if isinstance(value, list):
            data[f"q{question.pk}"] = [choice(question, v).pk for v in value]
        else:
            data[f"q{question.pk}"] = choice(question, value).pk
    return data


def test_teacher_sees_open_round_on_dashboard_and_starts_it(client, teacher, open_round):
    client.force_login(teacher)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("diagnostics:take", args=[open_round.pk]) in dashboard
    started = client.get(reverse("diagnostics:take", args=[open_round.pk]))
    response = Response.objects.get(round=open_round, teacher=teacher)
    assert started["Location"] == page_url(response, 1)


def test_pages_follow_areas_with_a_progress_bar(client, teacher, response):
    client.force_login(teacher)
    first = client.get(page_url(response, 1))
    assert first.context["page"].title == "Documents"
    assert [q.code for q in first.context["page"].questions] == ["single", "multi", "levels"]
    assert 'role="progressbar"' in first.content.decode()
    last = client.get(page_url(response, 3))
    assert [q.code for q in last.context["page"].questions] == ["anx"]


def test_saved_draft_is_there_on_return(client, teacher, response, open_round):
    client.force_login(teacher)
    data = page_post(open_round, single="B", multi=["A", "B"], levels="L1")
    assert client.post(page_url(response, 1), data)["Location"] == page_url(response, 2)
    # Another device: a fresh session sees the same answers checked.
    client.logout()
    client.force_login(teacher)
    html = client.get(page_url(response, 1)).content.decode()
    for code, text in (("single", "B"), ("levels", "L1")):
        question = by_code(open_round.instrument)[code]
        assert f'value="{choice(question, text).pk}" checked' in html


def test_autosave_saves_without_moving(client, teacher, response, open_round):
    client.force_login(teacher)
    data = page_post(open_round, single="B")
    reply = client.post(page_url(response, 1), data, headers={"HX-Request": "true"})
    assert reply.status_code == 204
    assert Answer.objects.filter(response=response).count() == 1


def test_a_partial_autosave_clears_only_the_answer_it_sends(client, teacher, open_round):
    """The script sends only the questions that changed: an emptied number is removed, the
    rating and the choices stored before are left as they were."""
    response = answered_response(
        open_round,
        teacher,
        {"single": "B", "multi": ["A", "B"], "likert": 4, "num": "4.5"},
        submit=False,
    )
    client.force_login(teacher)
    num = by_code(open_round.instrument)["num"]
    data = {f"q{num.pk}": "", "sent": num.pk}
    reply = client.post(page_url(response, 2), data, headers={"HX-Request": "true"})
    assert reply.status_code == 204
    codes = set(Answer.objects.filter(response=response).values_list("question__code", flat=True))
    assert codes == {"single", "multi", "likert"}
    multi = Answer.objects.get(response=response, question__code="multi")
    assert multi.selections.count() == 2


def test_a_partial_autosave_replaces_the_choices_of_a_multiple_choice(client, teacher, open_round):
    response = answered_response(
        open_round, teacher, {"single": "B", "multi": ["A", "B"]}, submit=False
    )
    client.force_login(teacher)
    multi = by_code(open_round.instrument)["multi"]
    data = {f"q{multi.pk}": [choice(multi, "A").pk], "sent": multi.pk}
    reply = client.post(page_url(response, 1), data, headers={"HX-Request": "true"})
    assert reply.status_code == 204
    answer = Answer.objects.get(response=response, question=multi)
    assert [s.choice_id for s in answer.selections.all()] == [choice(multi, "A").pk]
    assert Answer.objects.get(response=response, question__code="single").selections.count() == 1


def test_required_questions_are_named_on_next(client, teacher, response, open_round):
    client.force_login(teacher)
    reply = client.post(
        page_url(response, 1), page_post(open_round, single="B"), headers={"accept-language": "en"}
    )
    assert reply.status_code == 200
    assert "required" in reply.content.decode()
    assert Answer.objects.filter(response=response).count() == 1  # the draft is kept


def test_submit_scores_and_shows_the_result(
    client, teacher, open_round, django_capture_on_commit_callbacks
):
    response = answered_response(open_round, teacher, ALL_RIGHT, submit=False)
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(reverse("diagnostics:submit", args=[response.pk]))
    assert reply["Location"] == reverse("diagnostics:result", args=[response.pk])
    response.refresh_from_db()
    assert response.status == Response.Status.SCORED
    page = client.get(reply["Location"], headers={"accept-language": "en"})
    html = page.content.decode()
    assert "High" in html
    assert 'id="radar-chart"' in html
    assert page.context["result"].flags[0].scale.code == "anxiety"


def test_submit_refuses_missing_required_answers(client, teacher, open_round):
    response = answered_response(open_round, teacher, {"single": "B"}, submit=False)
    client.force_login(teacher)
    reply = client.post(reverse("diagnostics:submit", args=[response.pk]))
    assert reply.status_code == 400
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT


def test_scoring_page_polls_until_scored(client, teacher, open_round):
    response = answered_response(open_round, teacher, ALL_RIGHT)  # submitted, not scored yet
    client.force_login(teacher)
    waiting = client.get(reverse("diagnostics:result", args=[response.pk]))
    assert "hx-get" in waiting.content.decode()
    assert "HX-Refresh" not in client.get(reverse("diagnostics:status", args=[response.pk]))
    from diagnostics.scoring.sets import responses_score

    responses_score(response_ids=[response.pk])
    assert client.get(reverse("diagnostics:status", args=[response.pk]))["HX-Refresh"] == "true"


# --- tampered and bad submissions: a clear 400 and nothing changes ----------------------------


def _assert_refused(reply, response, expected_answers=0):
    assert reply.status_code == 400
    assert Answer.objects.filter(response=response).count() == expected_answers


def test_choice_of_another_question_is_refused(client, teacher, response, open_round):
    client.force_login(teacher)
    questions = by_code(open_round.instrument)
    data = {f"q{questions['single'].pk}": choice(questions["multi"], "C").pk}
    _assert_refused(client.post(page_url(response, 1), data), response)


def test_question_of_another_instrument_is_refused(client, teacher, response):
    from tests.diagnostics.factories import QuestionFactory

    stranger = QuestionFactory()
    client.force_login(teacher)
    reply = client.post(page_url(response, 1), {f"q{stranger.pk}": "1"})
    _assert_refused(reply, response)
    assert "not in this instrument" in reply.content.decode() or reply.status_code == 400


def test_value_outside_the_scale_is_refused(client, teacher, response, open_round):
    client.force_login(teacher)
    likert = by_code(open_round.instrument)["likert"]
    _assert_refused(client.post(page_url(response, 2), {f"q{likert.pk}": "9"}), response)


def test_non_numeric_number_is_refused(client, teacher, response, open_round):
    client.force_login(teacher)
    num = by_code(open_round.instrument)["num"]
    reply = client.post(
        page_url(response, 2), {f"q{num.pk}": "four"}, headers={"accept-language": "en"}
    )
    _assert_refused(reply, response)
    assert "is not a number" in reply.content.decode()


def test_decimal_comma_is_accepted(client, teacher, response, open_round):
    client.force_login(teacher)
    num = by_code(open_round.instrument)["num"]
    client.post(page_url(response, 2), {f"q{num.pk}": "4,5"}, headers={"HX-Request": "true"})
    assert str(Answer.objects.get(response=response).number) == "4.5000"


def test_answering_after_the_round_closed_is_refused(client, teacher, response, open_round):
    open_round.closes_at = timezone.now() - timedelta(minutes=1)
    open_round.save(update_fields=["closes_at"])
    client.force_login(teacher)
    _assert_refused(client.post(page_url(response, 1), page_post(open_round, single="B")), response)


def test_submitting_twice_is_refused(
    client, teacher, open_round, django_capture_on_commit_callbacks
):
    response = answered_response(open_round, teacher, ALL_RIGHT, submit=False)
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("diagnostics:submit", args=[response.pk]))
    again = client.post(reverse("diagnostics:submit", args=[response.pk]))
    assert again.status_code == 400
    # And answers of a submitted response cannot be changed either.
    count = Answer.objects.filter(response=response).count()
    client.post(page_url(response, 1), page_post(open_round, single="A"))
    assert Answer.objects.filter(response=response).count() == count


# --- who may see what ---------------------------------------------------------------------


def test_another_teacher_gets_404_for_my_response(client, response, school):
    colleague = TeacherFactory(school=school)
    client.force_login(colleague)
    assert client.get(page_url(response, 1)).status_code == 404
    assert client.get(reverse("diagnostics:result", args=[response.pk])).status_code == 404


def test_teacher_of_another_school_cannot_start_the_round(client, open_round, other_school):
    client.force_login(TeacherFactory(school=other_school))
    assert client.get(reverse("diagnostics:take", args=[open_round.pk])).status_code == 404


def test_head_never_sees_a_teachers_result(client, open_round, teacher, school):
    response = answered_response(open_round, teacher, ALL_RIGHT)
    client.force_login(HeadFactory(school=school))
    assert client.get(reverse("diagnostics:result", args=[response.pk])).status_code == 403


def test_stranger_is_sent_to_sign_in(client, response):
    for url in (page_url(response, 1), reverse("diagnostics:result", args=[response.pk])):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_methodist_previews_without_saving(client, methodist, instrument):
    client.force_login(methodist)
    reply = client.get(reverse("diagnostics:preview", args=[instrument.pk]), {"page": "2"})
    assert reply.status_code == 200
    assert "Preview" in reply.content.decode() or reply.context["preview"]
    assert reply.context["page"].number == 2
    assert Response.objects.count() == 0


def test_teacher_cannot_preview(client, teacher, instrument):
    client.force_login(teacher)
    assert client.get(reverse("diagnostics:preview", args=[instrument.pk])).status_code == 403


# --- query counts do not grow with the instrument -----------------------------------------


def test_page_and_result_queries_are_fixed(
    client, teacher, open_round, django_assert_max_num_queries
):
    response = answered_response(open_round, teacher, ALL_RIGHT)
    from diagnostics.scoring.sets import responses_score

    responses_score(response_ids=[response.pk])
    client.force_login(teacher)
    # session, user, result (response + round + instrument + level + teacher), area scores,
    # flagged scale scores, earlier results, (their area scores); the apps' panels beside the
    # levels: courses completed per area, the area scores with their areas and levels
    with django_assert_max_num_queries(9):
        assert client.get(reverse("diagnostics:result", args=[response.pk])).status_code == 200


def test_page_queries_do_not_depend_on_the_number_of_questions(
    client, school, instrument, django_assert_num_queries
):
    from tests.diagnostics.factories import ChoiceFactory, QuestionFactory

    area = instrument.framework.areas.get(code="docs")
    small = RoundFactory(instrument=instrument, schools=[school])
    teacher = TeacherFactory(school=school)
    response = answered_response(small, teacher, {}, submit=False)
    client.force_login(teacher)
    # session, user, response, questions, choices, saved answers (their selections are fetched
    # only when there are answers)
    with django_assert_num_queries(6):
        client.get(page_url(response, 1))
    for _ in range(30):
        question = QuestionFactory(instrument=instrument, area=area)
        ChoiceFactory.create_batch(3, question=question)
    with django_assert_num_queries(6):
        client.get(page_url(response, 1))


def test_only_a_published_instrument_opens_a_round(instrument, school):
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from diagnostics.models import Instrument, Round

    now = timezone.now()
    draft = Instrument.objects.get(pk=instrument.pk)
    draft.status = Instrument.Status.DRAFT
    draft.save(update_fields=["status"])
    round = Round(instrument=draft, title="Autumn", opens_at=now, closes_at=now + timedelta(days=9))
    with pytest.raises(ValidationError) as error:
        round.full_clean()
    assert "instrument" in error.value.message_dict
    draft.status = Instrument.Status.PUBLISHED
    draft.save(update_fields=["status"])
    round.full_clean()
    round.save()
    # Archiving the instrument later leaves the existing round valid.
    draft.status = Instrument.Status.ARCHIVED
    draft.save(update_fields=["status"])
    round.title = "Autumn (renamed)"
    round.full_clean()
