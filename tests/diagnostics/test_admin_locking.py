"""Once teachers have submitted answers, the admin keeps everything that changes scoring as it
was, so every response of the instrument is scored alike; typos and translations stay editable."""

from decimal import Decimal

import pytest

from diagnostics.models import Choice, Instrument, LevelBand, Question, Response
from tests.diagnostics.admin_helpers import (
    add_rows,
    change_form_data,
    change_url,
    english_methodist,
)
from tests.diagnostics.factories import (
    ChoiceFactory,
    InstrumentFactory,
    LevelBandFactory,
    LevelFactory,
    QuestionFactory,
    ResponseFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def methodist_client(client):
    client.force_login(english_methodist())
    return client


def make_instrument():
    instrument = InstrumentFactory()
    level = LevelFactory(framework=instrument.framework, position=1)
    LevelBandFactory(instrument=instrument, level=level, min_score=0)
    question = QuestionFactory(instrument=instrument, code="q1", text_en="Wich is a browser?")
    ChoiceFactory(question=question, text_en="Firefox", credit=1)
    ChoiceFactory(question=question, text_en="Excel", credit=0)
    return instrument


def answer(instrument, status):
    ResponseFactory(round=RoundFactory(instrument=instrument), status=status)


@pytest.fixture
def locked_instrument():
    instrument = make_instrument()
    answer(instrument, Response.Status.SUBMITTED)
    return instrument


def question_row(data, code):
    """The inline row of a question (its code may be read-only, its id is always posted)."""
    pk = str(Question.objects.get(code=code).pk)
    return next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("questions-") and key.endswith("-id") and value == pk
    )


def test_locked_page_says_why_and_offers_no_gift_import(methodist_client, locked_instrument):
    response = methodist_client.get(change_url(locked_instrument))

    content = response.content.decode()
    assert 'id="locked-notice"' in content
    assert "gift-import" not in content
    assert "questions-0-weight" not in content  # shown as text, not as an input


def test_locked_instrument_keeps_weight_but_takes_the_text_fix(methodist_client, locked_instrument):
    url = change_url(locked_instrument)
    data = change_form_data(methodist_client, url)
    row = question_row(data, "q1")
    data[f"questions-{row}-weight"] = "5"
    data[f"questions-{row}-text_en"] = "Which is a browser?"
    data["title_ru"] = "Диагностика"

    response = methodist_client.post(url, data)

    assert response.status_code == 302
    question = Question.objects.get(instrument=locked_instrument, code="q1")
    assert question.weight == Decimal(1)
    assert question.text_en == "Which is a browser?"
    assert Instrument.objects.get(pk=locked_instrument.pk).title_ru == "Диагностика"


def test_locked_instrument_neither_adds_nor_deletes_questions(methodist_client, locked_instrument):
    existing = locked_instrument.questions.get()
    url = change_url(locked_instrument)
    data = change_form_data(methodist_client, url)
    data[f"questions-{question_row(data, 'q1')}-DELETE"] = "on"
    new_question = {
        "code": "new",
        "part": "knowledge",
        "kind": "single",
        "area": existing.area_id,
        "weight": 1,
        "text_en": "New?",
    }
    add_rows(data, "questions", [new_question])

    response = methodist_client.post(url, data)

    assert response.status_code == 302
    assert list(locked_instrument.questions.values_list("code", flat=True)) == ["q1"]


def test_locked_instrument_keeps_its_thresholds(methodist_client, locked_instrument):
    url = change_url(locked_instrument)
    data = change_form_data(methodist_client, url)
    data["bands-0-min_score"] = "10"

    response = methodist_client.post(url, data)

    assert response.status_code == 302
    assert LevelBand.objects.get(instrument=locked_instrument).min_score == 0


def test_locked_question_keeps_credits_but_takes_choice_text_fixes(
    methodist_client, locked_instrument
):
    question = locked_instrument.questions.get()
    url = change_url(question)
    data = change_form_data(methodist_client, url)
    data["choices-0-credit"] = "0"
    data["choices-1-credit"] = "1"
    data["choices-1-text_kk"] = "Excel (кесте)"
    data["weight"] = "3"

    response = methodist_client.post(url, data)

    assert response.status_code == 302
    firefox, excel = Choice.objects.filter(question=question).order_by("position")
    assert (firefox.credit, excel.credit) == (1, 0)
    assert excel.text_kk == "Excel (кесте)"
    question.refresh_from_db()
    assert question.weight == 1


def test_drafts_do_not_lock_the_instrument(methodist_client):
    instrument = make_instrument()
    answer(instrument, Response.Status.DRAFT)
    url = change_url(instrument)
    data = change_form_data(methodist_client, url)
    data[f"questions-{question_row(data, 'q1')}-weight"] = "2"

    response = methodist_client.post(url, data)

    assert response.status_code == 302
    assert instrument.questions.get().weight == 2
