"""Hostile values in a diagnosis page: each is a translated message on the page, never a 500,
and a refused page saves nothing it could not read (tests/security, run in CI on both databases).

Every case here answered 500 once: `isdigit()` accepts `²` and `①` but `int()` does not, `int()`
refuses more than 4,300 digits, a number beyond Answer.number's column does not fit, PostgreSQL
refuses a NUL in a string, and the same choice twice broke the (answer, choice) unique key.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from diagnostics.models import Answer, AnswerChoice
from diagnostics.taking.pages import instrument_pages, instrument_questions
from tests.diagnostics.helpers import answered_response, by_code

FORM = "application/x-www-form-urlencoded"
HUGE = "9" * 5000
BEYOND_BIGINT = str(2**63)


@pytest.fixture
def draft(open_round, teacher):
    return answered_response(open_round, teacher, {}, submit=False)


def _page_of(instrument, question) -> int:
    pages = instrument_pages(instrument_questions(instrument))
    return next(n for n, p in enumerate(pages, 1) if question.pk in {q.pk for q in p.questions})


def _post(attacker, teacher, draft, code, value, *, name_suffix=""):
    question = by_code(draft.instrument)[code]
    url = reverse("diagnostics:page", args=[draft.pk, _page_of(draft.instrument, question)])
    return attacker(teacher).post(url, {f"q{question.pk}{name_suffix}": value, "go": "next"})


def _choice_ids(draft, code):
    return [c.pk for c in by_code(draft.instrument)[code].choices.all()]


BAD_CHOICE = "that choice does not belong to the question"
NOT_A_NUMBER = "is not a number"
CASES = [
    # (question code, value, name suffix, what the page says)
    ("single", "²", "", BAD_CHOICE),
    ("single", "①", "", BAD_CHOICE),
    ("single", HUGE, "", BAD_CHOICE),
    ("multi", ["²"], "", BAD_CHOICE),
    ("tf", BEYOND_BIGINT, "", BAD_CHOICE),
    ("likert", "-²", "", "choose a value from"),
    ("likert", HUGE, "", "choose a value from"),
    ("num", "1e12", "", "too large"),
    ("num", "1e999999", "", "too large"),
    ("num", HUGE, "", "too large"),
    ("num", "-" + HUGE, "", "too large"),
    ("num", "1e999999999999999999999", "", "not a number"),
]


def short_id(value) -> str:
    """A case's name in the test report: 5,000 digits are named by their count."""
    text = str(value)
    return text if len(text) <= 24 else f"{len(text)}-chars"


@pytest.mark.parametrize(("code", "value", "suffix", "message"), CASES, ids=short_id)
def test_a_hostile_value_is_a_message_on_the_page_and_nothing_is_saved(
    attacker, teacher, draft, code, value, suffix, message
):
    response = _post(attacker, teacher, draft, code, value, name_suffix=suffix)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.filter(response=draft, question__code=code).exists()


@pytest.mark.parametrize("value", ["①", "²", HUGE], ids=short_id)
def test_a_hostile_match_is_a_message(attacker, teacher, draft, value):
    question = by_code(draft.instrument)["match"]
    prompt = next(c for c in question.choices.all() if c.credit > 0)
    response = _post(attacker, teacher, draft, "match", value, name_suffix=f"-{prompt.pk}")
    assert response.status_code == 400
    assert "that match does not belong to the question" in response.content.decode()


@pytest.mark.parametrize("digits", ["²", "①", HUGE, BEYOND_BIGINT], ids=short_id)
def test_a_field_named_after_no_question_is_refused(attacker, teacher, draft, digits):
    url = reverse("diagnostics:page", args=[draft.pk, 1])
    # URL-encoded, as a browser sends a form (a multipart header this long Django refuses).
    body = urlencode({f"q{digits}": "1", "go": "next"})
    response = attacker(teacher).post(url, body, content_type=FORM)
    if digits in ("²", "①"):
        # Not a question's field name at all (only ASCII digits name one): ignored, like "go";
        # the page asks for its required answers again.
        assert response.status_code == 200
        assert "Please answer every question" in response.content.decode()
    else:
        assert response.status_code == 400
        assert "not in this instrument" in response.content.decode()


@pytest.mark.parametrize("code", ["short", "essay"])
def test_a_nul_in_typed_text_is_a_message_and_the_text_is_kept(attacker, teacher, draft, code):
    response = _post(attacker, teacher, draft, code, "=sum(a1\x00:a5)")
    assert response.status_code == 400
    page = response.content.decode()
    assert "a character that cannot be stored" in page
    # What was typed is shown again (without the NUL), so nothing typed is lost.
    assert "=sum(a1:a5)" in page
    assert not Answer.objects.filter(response=draft, question__code=code).exists()


def test_a_number_smaller_than_the_column_keeps_is_rounded_to_it(attacker, teacher, draft):
    assert _post(attacker, teacher, draft, "num", "1e-999999").status_code == 200
    assert Answer.objects.get(response=draft, question__code="num").number == 0


def test_the_same_choice_twice_is_kept_once(attacker, teacher, draft):
    ids = _choice_ids(draft, "multi")
    response = _post(attacker, teacher, draft, "multi", [ids[0], ids[0], ids[1]])
    assert response.status_code == 200  # saved; the page asks for its other required answers
    answer = Answer.objects.get(response=draft, question__code="multi")
    assert sorted(AnswerChoice.objects.filter(answer=answer).values_list("choice", flat=True)) == [
        ids[0],
        ids[1],
    ]


@pytest.mark.parametrize("number", [BEYOND_BIGINT, "0", HUGE[:30]], ids=short_id)
def test_a_page_number_beyond_the_instrument_goes_to_the_first_page(
    attacker, teacher, draft, number
):
    response = attacker(teacher).get(f"/diagnostics/responses/{draft.pk}/page/{number}/")
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnostics:page", args=[draft.pk, 1])


@pytest.mark.parametrize("number", ["²", "-²", HUGE, BEYOND_BIGINT], ids=short_id)
def test_a_hostile_preview_page_shows_a_page(attacker, methodist, instrument, number):
    url = reverse("diagnostics:preview", args=[instrument.pk])
    assert attacker(methodist).get(url, {"page": number}).status_code == 200
