"""GIFT import into an instrument through its admin page: every kind maps onto questions and
choices with the right credits, and a file with any problem imports nothing."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from diagnostics import authoring
from diagnostics.interchange.gift_import import GiftImportError, gift_import
from diagnostics.models import Instrument, Question, Response
from tests.diagnostics.admin_helpers import change_url, english_methodist
from tests.diagnostics.factories import (
    AreaFactory,
    InstrumentFactory,
    QuestionFactory,
    ResponseFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db

GOOD = """\
// Every kind the importer knows, as Moodle writes them.
$CATEGORY: $course$/top/ICT/internet

::tf:: The Internet and the Web are the same thing. {F#Think of e-mail.#Right.}

::browser:: Which program is a web browser? {=Firefox#Yes. ~Excel#A spreadsheet. ~%-50%Paint}

::input:: Which devices are for input? {~%50%Keyboard ~%50%Mouse ~%-100%Monitor}

::ocean:: The largest ocean is the {=Pacific =%50%Pacific Ocean} one.

::bits:: How many bits make a byte? {#=8:0 =%50%8:2 ~#Think of powers of two.}

::keys:: Match each shortcut with its action. {=Ctrl+C -> Copy =Ctrl+V -> Paste = -> Cut}

::essay:: How do you use ICT in your lessons? {}

This text only introduces the next part.
"""

BAD = """\
::fine:: Two plus two? {=4 ~5}

::open:: Which is a browser? {=Firefox ~Excel

::none:: Which is a spreadsheet? {~Firefox ~Paint}
"""


@pytest.fixture
def methodist_client(client):
    client.force_login(english_methodist())
    return client


@pytest.fixture
def instrument():
    instrument = InstrumentFactory(status=Instrument.Status.DRAFT)
    AreaFactory(framework=instrument.framework, code="docs", name_en="Documents")
    AreaFactory(framework=instrument.framework, code="internet", name_en="Internet")
    return instrument


def upload(client, instrument, source: str, **fields):
    area = instrument.framework.areas.get(code="docs")
    data = {
        "file": SimpleUploadedFile("questions.gift", source.encode(), content_type="text/plain"),
        "area": area.pk,
        "part": "knowledge",
        "language": "en",
        **fields,
    }
    url = reverse("admin:diagnostics_instrument_gift_import", args=[instrument.pk])
    return client.post(url, data)


def choices(question):
    return [(choice.text_en, choice.credit) for choice in question.choices.order_by("position")]


def test_good_file_imports_every_kind_with_its_credits(methodist_client, instrument):
    response = upload(methodist_client, instrument, GOOD)

    assert response.status_code == 302
    assert response.url == change_url(instrument)
    questions = {q.code: q for q in instrument.questions.all()}
    assert [(q.code, q.kind) for q in instrument.questions.order_by("position")] == [
        ("tf", "true_false"),
        ("browser", "single"),
        ("input", "multiple"),
        ("ocean", "short_answer"),
        ("bits", "numerical"),
        ("keys", "matching"),
        ("essay", "free_text"),
    ]
    assert choices(questions["tf"]) == [("True", 0), ("False", 1)]
    assert choices(questions["browser"]) == [
        ("Firefox", 1),
        ("Excel", 0),
        ("Paint", Decimal("-0.5")),
    ]
    assert questions["browser"].choices.get(text_en="Excel").feedback_en == "A spreadsheet."
    assert choices(questions["input"]) == [
        ("Keyboard", Decimal("0.5")),
        ("Mouse", Decimal("0.5")),
        ("Monitor", -1),
    ]
    ocean = questions["ocean"].choices.order_by("position")
    assert [(c.answer_key, c.credit) for c in ocean] == [
        ("pacific", 1),
        ("pacific ocean", Decimal("0.5")),
    ]
    assert "_____" in questions["ocean"].text_en
    bits = questions["bits"].choices.order_by("position")
    assert [(c.value, c.tolerance, c.credit) for c in bits] == [
        (8, 0, 1),
        (8, 2, Decimal("0.5")),
        (None, 0, 0),  # "any other number": no credit, only its feedback
    ]
    assert bits.last().feedback_en == "Think of powers of two."
    keys = questions["keys"].choices.order_by("position")
    assert [(c.text_en, c.match_text_en, c.credit) for c in keys] == [
        ("Ctrl+C", "Copy", 1),
        ("Ctrl+V", "Paste", 1),
        ("", "Cut", 0),
    ]
    assert not questions["essay"].choices.exists()
    assert {q.area.code for q in questions.values()} == {"docs"}
    assert {q.part for q in questions.values()} == {"knowledge"}
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "7 questions were imported." in messages
    assert "Line 18: a description, not a question; skipped." in messages


def test_texts_go_into_the_chosen_language_and_true_false_into_every_language(
    methodist_client, instrument
):
    upload(methodist_client, instrument, GOOD, language="kk")

    browser = instrument.questions.get(code="browser")
    assert (browser.text_kk, browser.text_en) == ("Which program is a web browser?", None)
    true, false = instrument.questions.get(code="tf").choices.order_by("position")
    assert (true.text_en, false.text_en) == ("True", "False")
    with translation.override("ru"):
        assert (true.text_ru, false.text_ru) == (gettext("True"), gettext("False"))


def test_texts_can_be_copied_into_every_language(methodist_client, instrument):
    upload(methodist_client, instrument, GOOD, language="ru", all_languages="on")

    browser = instrument.questions.get(code="browser")
    assert {browser.text_kk, browser.text_ru, browser.text_ky, browser.text_en} == {
        "Which program is a web browser?"
    }


def test_area_can_come_from_the_category(methodist_client, instrument):
    upload(methodist_client, instrument, GOOD, area_from_category="on")

    assert {q.area.code for q in instrument.questions.all()} == {"internet"}


def test_imported_questions_follow_the_existing_ones_with_unique_codes(
    methodist_client, instrument
):
    QuestionFactory(
        instrument=instrument, code="tf", position=4, area=instrument.framework.areas.first()
    )

    upload(methodist_client, instrument, GOOD)

    codes = list(instrument.questions.order_by("position").values_list("code", "position"))
    assert codes[:3] == [("tf", 4), ("tf-2", 5), ("browser", 6)]


def test_a_file_with_bad_questions_imports_nothing_and_lists_each_line(
    methodist_client, instrument
):
    response = upload(methodist_client, instrument, BAD)

    assert response.status_code == 400
    assert not instrument.questions.exists()
    problems = [str(problem) for problem in response.context["problems"]]
    assert problems == [
        "Line 3: The answers start with { but have no closing }. Answers must not contain "
        "blank lines.",
        "Line 5: None of the choices is correct. Mark the right choice with = or give the "
        "right choices a positive credit such as ~%50%.",
    ]
    assert "Line 3:" in response.content.decode()


def test_a_question_without_an_area_is_a_problem_of_its_line(methodist_client, instrument):
    source = "$CATEGORY: $course$/top/unknown\n\n::q:: Two plus two? {=4 ~5}\n"

    response = upload(methodist_client, instrument, source, area="", area_from_category="on")

    assert [problem.line for problem in response.context["problems"]] == [3]
    assert not instrument.questions.exists()


def test_the_form_needs_an_area_or_the_category(methodist_client, instrument):
    response = upload(methodist_client, instrument, GOOD, area="")

    assert response.context["form"].errors["area"] == ["Choose an area, or take it from $CATEGORY."]


def test_locked_instrument_refuses_gift_import(methodist_client, instrument):
    QuestionFactory(instrument=instrument, area=instrument.framework.areas.first())
    ResponseFactory(round=RoundFactory(instrument=instrument), status=Response.Status.SUBMITTED)

    response = upload(methodist_client, instrument, GOOD)

    assert response.status_code == 302
    assert instrument.questions.count() == 1
    with pytest.raises(authoring.InstrumentLockedError):
        gift_import(
            instrument=Instrument.objects.get(pk=instrument.pk),
            source=GOOD,
            area=instrument.framework.areas.first(),
        )


def test_values_the_database_cannot_hold_are_reported_before_saving(instrument):
    source = "::pi:: Pi to five places? {#3.14159}\n"

    with pytest.raises(GiftImportError) as raised:
        gift_import(instrument=instrument, source=source, area=instrument.framework.areas.first())

    [problem] = raised.value.problems
    assert problem.line == 1
    assert "decimal places" in problem.message
    assert not Question.objects.filter(instrument=instrument).exists()
