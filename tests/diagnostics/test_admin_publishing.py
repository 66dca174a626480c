"""Methodists cannot publish what teachers cannot finish: publishing through the instrument's
admin page refuses, naming each question by its number and text, an instrument with a required
question that cannot be answered or a level no answer reaches; a draft is saved before every
threshold exists; database constraints speak as translated field errors."""

from decimal import Decimal

import pytest

from diagnostics.models import Instrument, LevelBand
from tests.diagnostics.admin_helpers import (
    add_rows,
    change_form_data,
    change_url,
    english_methodist,
    inline_errors,
)
from tests.diagnostics.factories import (
    AreaFactory,
    ChoiceFactory,
    FrameworkFactory,
    InstrumentFactory,
    LevelBandFactory,
    LevelFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def methodist_client(client):
    client.force_login(english_methodist())
    return client


@pytest.fixture
def framework():
    framework = FrameworkFactory()
    for rank, name in enumerate(["Starting", "Acquiring", "Deepening"], start=1):
        LevelFactory(framework=framework, position=rank, name_en=name, code=name.lower())
    AreaFactory(framework=framework, code="tools", name_en="Tools", position=1)
    return framework


def _question(instrument, position, text, **fields):
    return QuestionFactory(
        instrument=instrument,
        area=instrument.framework.areas.get(),
        position=position,
        text_en=text,
        **fields,
    )


@pytest.fixture
def instrument(framework):
    """Two answerable single-choice test questions of one point each, thresholds 0/40/70 %."""
    instrument = InstrumentFactory(framework=framework, status=Instrument.Status.DRAFT)
    for position, text in ((1, "Which key saves?"), (2, "Which key copies?")):
        question = _question(instrument, position, text)
        ChoiceFactory(question=question, text_en="Right", credit=1)
        ChoiceFactory(question=question, text_en="Wrong", credit=0)
    for level, minimum in zip(framework.levels.order_by("position"), (0, 40, 70), strict=True):
        LevelBandFactory(instrument=instrument, level=level, min_score=minimum)
    return instrument


def post(client, instrument, *, bands=None, **changes):
    url = change_url(instrument)
    data = change_form_data(client, url)
    if bands is not None:
        data = add_rows(data, "bands", bands)
    data.update(changes)
    return client.post(url, data)


def status_of(instrument):
    instrument.refresh_from_db()
    return instrument.status


def test_a_complete_instrument_is_published(methodist_client, instrument):
    response = post(methodist_client, instrument, status="published")
    assert response.status_code == 302, inline_errors(response)
    assert status_of(instrument) == "published"


@pytest.mark.parametrize(
    ("kind", "choices", "problem"),
    [
        ("single", [], "it has no choices, so it cannot be answered."),
        ("multiple", [], "it has no choices, so it cannot be answered."),
        ("single", [("A", 0), ("B", 0)], "it is a test question without a correct answer."),
        ("matching", [], "it has no pairs to match, so it cannot be answered."),
        ("short_answer", [], "it accepts no answer; add the correct one."),
    ],
)
def test_publishing_refuses_a_question_teachers_cannot_answer(
    methodist_client, instrument, kind, choices, problem
):
    broken = _question(instrument, 3, "Name the   spreadsheet program", kind=kind)
    for text, credit in choices:
        ChoiceFactory(question=broken, text_en=text, credit=credit)

    response = post(methodist_client, instrument, status="published")

    assert response.status_code == 200
    errors = inline_errors(response)
    assert "The instrument cannot be published yet:" in errors
    assert f"Question 3 (“Name the spreadsheet program”): {problem}" in errors
    assert status_of(instrument) == "draft"


def test_an_optional_question_without_choices_does_not_block(methodist_client, instrument):
    _question(instrument, 3, "Anything to add?", kind="single", required=False, weight=0)
    response = post(methodist_client, instrument, status="published")
    assert response.status_code == 302, inline_errors(response)


def test_publishing_refuses_a_level_no_answer_reaches(methodist_client, framework):
    """Two questions of one point: 0, 50 or 100 %; a level from 60 % to 90 % is out of reach."""
    instrument = InstrumentFactory(framework=framework, status=Instrument.Status.DRAFT)
    for position in (1, 2):
        question = _question(instrument, position, f"Q{position}")
        ChoiceFactory(question=question, text_en="Right", credit=1)
        ChoiceFactory(question=question, text_en="Wrong", credit=0)
    for level, minimum in zip(framework.levels.order_by("position"), (0, 60, 90), strict=True):
        LevelBandFactory(instrument=instrument, level=level, min_score=minimum)

    response = post(methodist_client, instrument, status="published")

    assert response.status_code == 200
    assert (
        "Overall score: no answers reach the level “Acquiring” (from 60); change its threshold "
        "or the questions." in inline_errors(response)
    )
    assert status_of(instrument) == "draft"


def test_a_draft_is_saved_before_every_threshold_exists(methodist_client, framework):
    instrument = InstrumentFactory(framework=framework, status=Instrument.Status.DRAFT)
    starting = framework.levels.get(code="starting")

    response = post(
        methodist_client,
        instrument,
        bands=[{"level": starting.pk, "area": "", "min_score": "0"}],
    )

    assert response.status_code == 302, inline_errors(response)
    assert LevelBand.objects.filter(instrument=instrument).count() == 1
    # Publishing it is where the missing thresholds are named.
    refused = post(methodist_client, instrument, status="published")
    assert (
        "Overall score: level “Acquiring” (rank 2) has no threshold; every level needs one."
        in inline_errors(refused)
    )


def test_a_second_threshold_for_a_level_is_a_translated_error(methodist_client, instrument):
    acquiring = instrument.framework.levels.get(code="acquiring")

    response = post(
        methodist_client,
        instrument,
        bands=[{"level": acquiring.pk, "area": "", "min_score": "50"}],
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "is violated" not in page
    assert (
        "Overall score: level “Acquiring” (rank 2) has more than one threshold."
        in inline_errors(response)
    )
    assert LevelBand.objects.filter(instrument=instrument).count() == 3


def test_an_area_threshold_twice_is_a_translated_error(methodist_client, instrument):
    tools = instrument.framework.areas.get()
    for level, minimum in zip(
        instrument.framework.levels.order_by("position"), (0, 40, 70), strict=True
    ):
        LevelBandFactory(instrument=instrument, level=level, area=tools, min_score=minimum)
    acquiring = instrument.framework.levels.get(code="acquiring")

    response = post(
        methodist_client,
        instrument,
        bands=[{"level": acquiring.pk, "area": tools.pk, "min_score": "50"}],
    )

    assert "is violated" not in response.content.decode()
    assert "Area “Tools”: level “Acquiring” (rank 2) has more than one threshold." in (
        inline_errors(response)
    )
    assert Decimal(50) not in LevelBand.objects.values_list("min_score", flat=True)


@pytest.mark.parametrize(
    ("model_name", "constraint_name"),
    [
        ("levelband", "band_area_level_unique"),
        ("levelband", "band_overall_level_unique"),
        ("choice", "choice_credit_range"),
        ("question", "question_area_or_scale"),
        ("question", "likert_has_scale"),
    ],
)
def test_every_constraint_a_methodist_can_meet_speaks_their_language(model_name, constraint_name):
    from django.apps import apps
    from django.utils import translation

    model = apps.get_model("diagnostics", model_name)
    (constraint,) = [c for c in model._meta.constraints if c.name == constraint_name]
    with translation.override("kk"):
        message = str(constraint.get_violation_error_message())
    assert "is violated" not in message and constraint_name not in message
