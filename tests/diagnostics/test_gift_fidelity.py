"""Faithful to Moodle's GIFT and to the instrument file: catch-all feedback of numerical
questions, `*` short answers, [html] and [markdown] question texts, and an export that keeps
every feedback and every short answer as it was written."""

from decimal import Decimal

import pytest
from django.urls import reverse

from diagnostics.interchange.gift_import import gift_import
from diagnostics.interchange.instrument_json import instrument_export, instrument_import
from diagnostics.kinds.answers import GivenAnswer
from diagnostics.kinds.pricing import given_fraction
from diagnostics.kinds.rendering import question_render
from diagnostics.models import Question, Response
from diagnostics.scoring.sets import responses_score
from diagnostics.taking.services import response_save_answers, response_start
from tests.diagnostics.factories import AreaFactory, InstrumentFactory, RoundFactory

pytestmark = pytest.mark.django_db

GIFT = """\
::bits:: How many bits make a byte? {#=8:0#Right. =%50%8:2#Close. ~#Think of powers of two.}

::app:: Which program makes tables? {=Excel#Good. =%50%*#Any program earns half.}

::rich:: [html]<p>Press <b>Ctrl</b>+<i>S</i></p><script>alert(1)</script>\
<img src=x onerror="alert(2)">{T#No.#Yes.}

::md:: [markdown]Is **Enter** a key?\\n\\n- a list item {T}
"""


@pytest.fixture
def imported(db):
    instrument = InstrumentFactory(status="draft")
    area = AreaFactory(framework=instrument.framework)
    gift_import(instrument=instrument, source=GIFT, area=area, language="kk")
    return instrument


def _questions(instrument) -> dict:
    return {q.code: q for q in instrument.questions.prefetch_related("choices")}


def _score(instrument, teacher, school, answers: dict) -> Response:
    round_ = RoundFactory(instrument=instrument, schools=[school])
    response = response_start(round=round_, teacher=teacher)
    questions = _questions(instrument)
    given = []
    for code, value in answers.items():
        item = GivenAnswer(questions[code])
        if isinstance(value, Decimal):
            item.number = value
        else:
            item.text = value
        given.append(item)
    response_save_answers(response=response, answers=given)
    Response.objects.filter(pk=response.pk).update(status=Response.Status.SUBMITTED)
    responses_score(response_ids=[response.pk])
    return response


def test_numerical_catch_all_keeps_its_feedback(imported):
    bits = _questions(imported)["bits"]
    rows = [(c.value, c.credit, c.feedback_kk) for c in bits.choices.order_by("position")]
    assert rows == [
        (Decimal(8), Decimal(1), "Right."),
        (Decimal(8), Decimal("0.5"), "Close."),
        (None, Decimal(0), "Think of powers of two."),
    ]
    (exported,) = [
        q for q in instrument_export(imported)["instrument"]["questions"] if q["code"] == "bits"
    ]
    assert exported["answers"][2] == {"other": True, "feedback": _all_kk("Think of powers of two.")}


def _all_kk(text):
    return {"kk": text, "ru": "", "ky": "", "en": ""}


def test_catch_all_earns_nothing_in_sql_and_python(imported, teacher, school):
    bits = _questions(imported)["bits"]
    given = GivenAnswer(bits)
    given.number = Decimal(100)
    assert given_fraction(given) == 0
    response = _score(imported, teacher, school, {"bits": Decimal(100)})
    assert response.answers.get().points == 0


@pytest.mark.parametrize(
    ("typed", "fraction"),
    [("excel", Decimal(1)), ("Word", Decimal("0.5")), ("что угодно", Decimal("0.5"))],
)
def test_star_accepts_any_short_answer_with_its_weight(imported, teacher, school, typed, fraction):
    app = _questions(imported)["app"]
    given = GivenAnswer(app)
    given.text = typed
    assert given_fraction(given) == fraction  # the Python rule
    response = _score(imported, teacher, school, {"app": typed})
    assert response.answers.get().points == fraction  # the SQL rule


def test_html_question_text_is_shown_sanitised(imported):
    rich = _questions(imported)["rich"]
    assert rich.text_format == Question.TextFormat.HTML
    html = question_render(rich)
    assert "Press <b>Ctrl</b>+<i>S</i>" in html
    assert "&lt;b&gt;" not in html
    assert "<script" not in html and "alert(1)" not in html
    assert "onerror" not in html


def test_markdown_question_text_is_rendered_and_sanitised(imported):
    md = _questions(imported)["md"]
    assert md.text_format == Question.TextFormat.MARKDOWN
    html = question_render(md)
    assert "<strong>Enter</strong>" in html
    assert "<li>a list item</li>" in html
    assert "**Enter**" not in html


def test_taking_page_shows_the_html_text(imported, client, teacher, school):
    imported.status = "published"
    imported.save(update_fields=["status"])
    round_ = RoundFactory(instrument=imported, schools=[school])
    response = response_start(round=round_, teacher=teacher)
    client.force_login(teacher)
    page = client.get(reverse("diagnostics:page", args=[response.pk, 1])).content.decode()
    assert "Press <b>Ctrl</b>" in page
    assert "<script>alert(1)" not in page


def test_plain_text_is_still_escaped(db):
    instrument = InstrumentFactory(status="draft")
    area = AreaFactory(framework=instrument.framework)
    gift_import(instrument=instrument, source="::p:: Is <b> a tag? {T}", area=area, language="en")
    question = instrument.questions.get()
    assert question.text_format == Question.TextFormat.PLAIN
    assert "Is &lt;b&gt; a tag?" in question_render(question)


def test_export_keeps_every_feedback_and_short_answers_as_written(imported):
    questions = _questions(imported)
    rich = questions["rich"]
    data = instrument_export(imported)
    by_code = {q["code"]: q for q in data["instrument"]["questions"]}
    # True/false: what a teacher reads after "true" and after "false".
    assert by_code["rich"]["choice_feedback"] == {"true": _all_kk("Yes."), "false": _all_kk("No.")}
    assert by_code["rich"]["text_format"] == "html"
    assert by_code["md"]["text_format"] == "markdown"
    # Short answers: in Kazakh only (the language they were imported in), with their case.
    assert by_code["app"]["accepted"][0] == {
        "answer": _all_kk("Excel"),
        "credit": 1.0,
        "feedback": _all_kk("Good."),
    }
    assert by_code["app"]["accepted"][1]["answer"] == _all_kk("*")
    assert by_code["bits"]["answers"][0]["feedback"] == _all_kk("Right.")
    copy = instrument_import(data)
    copied = {q.code: q for q in copy.questions.all()}
    assert copied["rich"].text_format == rich.text_format
    tf = copied["rich"].choices.order_by("position")
    assert [c.feedback_kk for c in tf] == ["Yes.", "No."]
    app = copied["app"].choices.order_by("position")
    assert [(c.text_kk, c.answer_key, c.text_en) for c in app] == [
        ("Excel", "excel", ""),
        ("*", "*", ""),
    ]
    numbers = copied["bits"].choices.order_by("position")
    assert [c.feedback_kk for c in numbers] == ["Right.", "Close.", "Think of powers of two."]
