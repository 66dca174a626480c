"""Taking a diagnosis is cheap per request, whatever the instrument's size: the queries of a page
GET, an autosave, a page save and the submit are pinned here, each listed.

The tests run outside a wrapping test transaction (`transactional_db`), as a request runs in
production: the view's own transaction is the outermost, so no SAVEPOINT is made. Statements
that only open or close a transaction (BEGIN, COMMIT: Django's SQLite backend logs them, the
PostgreSQL one does not) are not counted; every other statement is, and listed on failure.
"""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnostics.interchange.instrument_json import instrument_import
from diagnostics.kinds.answers import GivenAnswer
from diagnostics.models import Answer, AnswerChoice, Question, Response
from diagnostics.scoring import tasks as scoring_tasks
from diagnostics.taking.pages import instrument_pages, instrument_questions
from diagnostics.taking.services import response_save_answers
from tests.diagnostics.factories import RoundFactory
from tests.lms.factories import SchoolFactory, TeacherFactory

pytestmark = pytest.mark.django_db(transaction=True)

AREAS = 6


def text(value: str) -> dict:
    return {"kk": value, "ru": value, "ky": value, "en": value}


def single_choice_instrument(count: int) -> dict:
    """`count` single-choice questions spread over six areas (six pages), four options each."""
    return {
        "format": "ustaz.instrument/1",
        "framework": {
            "code": f"budget-{count}",
            "name": text("Budget"),
            "areas": [{"code": f"a{n}", "name": text(f"Area {n}")} for n in range(AREAS)],
            "levels": [
                {"code": "low", "name": text("Low")},
                {"code": "high", "name": text("High")},
            ],
        },
        "instrument": {
            "code": f"budget-{count}",
            "kind": "knowledge_test",
            "title": text("Budget"),
            "bands": [
                {"area": None, "level": "low", "min_percent": 0},
                {"area": None, "level": "high", "min_percent": 50},
            ],
            "questions": [
                {
                    "code": f"q{n}",
                    "part": "knowledge",
                    "area": f"a{n % AREAS}",
                    "kind": "single",
                    "text": text(f"Question {n}"),
                    "choices": [{"text": text(label), "correct": label == "B"} for label in "ABCD"],
                }
                for n in range(count)
            ],
        },
    }


@pytest.fixture(params=[10, 45], ids=["10-questions", "45-questions"])
def taking(request, client):
    """A teacher signed in on a draft of a published instrument of 10 or 45 questions, the
    question structure already cached (the first request of any teacher fills it)."""
    cache.clear()
    instrument = instrument_import(single_choice_instrument(request.param))
    instrument.status = "published"
    instrument.save(update_fields=["status"])
    school = SchoolFactory()
    round_ = RoundFactory(instrument=instrument, schools=[school])
    teacher = TeacherFactory(school=school)
    client.force_login(teacher)
    client.get(reverse("diagnostics:take", args=[round_.pk]))
    response = Response.objects.get(teacher=teacher)
    client.get(reverse("diagnostics:page", args=[response.pk, 1]))  # warms the structure
    pages = instrument_pages(instrument_questions(instrument))
    assert len(pages) == AREAS
    return response, pages


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@contextmanager
def at_most(count: int):
    """At most `count` statements that read or write data."""
    with CaptureQueriesContext(connection) as captured:
        yield
    statements = [q["sql"] for q in captured.captured_queries]
    data = [sql for sql in statements if not sql.strip().upper().startswith(TRANSACTION_CONTROL)]
    # A savepoint would be a nested transaction: none is needed.
    assert not [sql for sql in statements if sql.upper().startswith("SAVEPOINT")], statements
    assert len(data) <= count, "\n".join([f"{len(data)} statements:"] + data)


def page_url(response, number):
    return reverse("diagnostics:page", args=[response.pk, number])


def pick(question: Question, label: str) -> int:
    return next(c.pk for c in question.choices.all() if c.text_en == label)


def answer_everything(response, pages, label="B"):
    given = []
    for page in pages:
        for question in page.questions:
            given.append(GivenAnswer(question, selected=[pick(question, label)]))
    response_save_answers(response=response, answers=given)


def stored(response) -> dict[int, set[int]]:
    chosen: dict[int, set[int]] = {}
    for answer in Answer.objects.filter(response=response):
        chosen[answer.question_id] = set()
    for row in AnswerChoice.objects.filter(answer__response=response):
        chosen[row.answer.question_id].add(row.choice_id)
    return chosen


def test_page_get_is_at_most_five_queries(client, taking):
    response, pages = taking
    answer_everything(response, pages)
    # session, user, the response with its round and instrument, the answers with their options;
    # the questions come from the cache.
    with at_most(4):
        reply = client.get(page_url(response, 3))
    assert reply.status_code == 200
    checked = [q.given["selected"] for q in reply.context["page"].questions]
    assert checked == [{pick(q, "B")} for q in pages[2].questions]


def test_an_autosave_of_a_changed_answer_is_at_most_five_queries(client, taking):
    response, pages = taking
    answer_everything(response, pages)
    question = pages[1].questions[0]
    data = {f"q{question.pk}": pick(question, "C"), "sent": question.pk}
    # session, user, the response locked (with round and instrument, and the stored answer's
    # id), the option chosen before deleted, the new one inserted.
    with at_most(5):
        reply = client.post(page_url(response, 2), data, headers={"HX-Request": "true"})
    assert reply.status_code == 204
    assert stored(response)[question.pk] == {pick(question, "C")}


def test_an_autosave_of_a_first_answer_is_at_most_five_queries(client, taking):
    response, pages = taking
    first, second = pages[1].questions[:2]
    data = {f"q{first.pk}": pick(first, "C"), f"q{second.pk}": pick(second, "A")}
    data["sent"] = [first.pk, second.pk]
    # session, user, the response locked (nothing stored for these questions), the two answers
    # in one insert, their options in one insert.
    with at_most(5):
        reply = client.post(page_url(response, 2), data, headers={"HX-Request": "true"})
    assert reply.status_code == 204
    assert stored(response) == {first.pk: {pick(first, "C")}, second.pk: {pick(second, "A")}}


def test_a_page_save_is_at_most_five_queries(client, taking):
    response, pages = taking
    page = pages[-1]
    data = {f"q{q.pk}": pick(q, "A") for q in page.questions} | {"go": "next"}
    # session, user, the response locked (with what is stored for the page's questions: nothing),
    # the page's answers in one insert, their options in one insert.
    with at_most(5):
        reply = client.post(page_url(response, page.number), data)
    assert reply["Location"] == reverse("diagnostics:submit", args=[response.pk])
    assert {q.pk for q in page.questions} <= set(stored(response))


def test_a_page_save_over_answers_stored_before_is_at_most_five_queries(client, taking):
    response, pages = taking
    page = pages[2]
    # Half the page answered before (B), the rest new; the page now saved with C everywhere.
    half = page.questions[: len(page.questions) // 2]
    response_save_answers(
        response=response, answers=[GivenAnswer(q, selected=[pick(q, "B")]) for q in half]
    )
    data = {f"q{q.pk}": pick(q, "C") for q in page.questions} | {"go": "next"}
    # session, user, the response locked (with the stored answers and their options), the new
    # answers in one insert, the options in one upsert (the stored ones' rows rewritten, the new
    # ones inserted).
    with at_most(5):
        reply = client.post(page_url(response, page.number), data)
    assert reply.status_code == 302
    chosen = stored(response)
    assert {q: chosen[q.pk] for q in page.questions} == {q: {pick(q, "C")} for q in page.questions}
    assert AnswerChoice.objects.filter(answer__response=response).count() == len(page.questions)


def test_the_submit_is_at_most_ten_queries_with_scoring_asked_for(client, taking, monkeypatch):
    response, pages = taking
    answer_everything(response, pages)
    queued = []
    monkeypatch.setattr(scoring_tasks.score_waiting_responses, "delay", lambda: queued.append(1))
    # session, user, the response (view), the response locked, the answered ids, the pricing
    # UPDATE, the status UPDATE; after commit scoring is queued (the cache and the broker, no
    # query). The worker's scoring is not the teacher's request.
    with at_most(10):
        reply = client.post(reverse("diagnostics:submit", args=[response.pk]))
    assert reply["Location"] == reverse("diagnostics:result", args=[response.pk])
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert queued == [1]


def test_a_partial_autosave_leaves_the_other_answers_of_the_page_as_they_were(client, taking):
    response, pages = taking
    answer_everything(response, pages, label="B")
    page = pages[0]
    first, others = page.questions[0], page.questions[1:]
    data = {f"q{first.pk}": pick(first, "D"), "sent": first.pk}
    reply = client.post(page_url(response, 1), data, headers={"HX-Request": "true"})
    assert reply.status_code == 204
    chosen = stored(response)
    assert chosen[first.pk] == {pick(first, "D")}
    assert all(chosen[q.pk] == {pick(q, "B")} for q in others)


def test_an_autosave_cannot_name_a_question_of_another_page(client, taking):
    response, pages = taking
    elsewhere = pages[1].questions[0]
    data = {f"q{elsewhere.pk}": pick(elsewhere, "A"), "sent": elsewhere.pk}
    reply = client.post(page_url(response, 1), data, headers={"HX-Request": "true"})
    assert reply.status_code == 400
    assert not Answer.objects.filter(response=response).exists()


def test_a_question_edited_after_publication_shows_on_the_next_page(client, taking):
    response, pages = taking
    question = Question.objects.get(pk=pages[0].questions[0].pk)
    question.text_kk = question.text_en = "Edited after publication"
    question.save()
    page = client.get(page_url(response, 1)).context["page"]
    assert page.questions[0].text_en == "Edited after publication"


def test_two_threads_never_share_the_question_objects_a_page_fills(taking):
    """The structure each thread holds is its own: a view writes a teacher's answers onto the
    question objects it renders, so a second thread must never see them."""
    import threading

    from diagnostics.taking.pages import taking_questions

    response, _pages = taking
    instrument = response.instrument
    mine = taking_questions(instrument)
    assert taking_questions(instrument)[0] is mine[0]  # held: no unpickling again
    theirs = []

    def other_thread():
        try:
            theirs.extend(taking_questions(instrument))
        finally:
            connection.close()  # its own connection (PostgreSQL), not left open

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert [q.pk for q in theirs] == [q.pk for q in mine]
    assert not {id(q) for q in theirs} & {id(q) for q in mine}
