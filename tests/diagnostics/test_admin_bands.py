"""Level thresholds are checked as a whole when the instrument's admin page is saved: a bad set is
refused with a message naming the scope and the level, and nothing of the save is kept."""

from decimal import Decimal

import pytest

from diagnostics.models import Instrument, LevelBand, Question
from tests.diagnostics.admin_helpers import (
    add_rows,
    change_form_data,
    change_url,
    english_methodist,
    inline_errors,
)
from tests.diagnostics.factories import (
    AreaFactory,
    FrameworkFactory,
    InstrumentFactory,
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
    AreaFactory(framework=framework, code="pedagogy", name_en="Pedagogy", position=2)
    return framework


@pytest.fixture
def instrument(framework):
    """Two scored questions (1 point in Tools, 2 in Pedagogy): 3 points in all."""
    instrument = InstrumentFactory(framework=framework, status=Instrument.Status.DRAFT)
    tools, pedagogy = framework.areas.order_by("position")
    QuestionFactory(instrument=instrument, area=tools, code="q1", weight=1)
    QuestionFactory(instrument=instrument, area=pedagogy, code="q2", weight=2)
    return instrument


def levels(framework):
    return list(framework.levels.order_by("position"))


def band_rows(framework, thresholds, area=None):
    return [
        {"level": level.pk, "area": area.pk if area else "", "min_score": threshold}
        for level, threshold in zip(levels(framework), thresholds, strict=False)
    ]


def post_bands(client, instrument, rows, **changes):
    url = change_url(instrument)
    data = add_rows(change_form_data(client, url), "bands", rows)
    data.update(changes)
    return client.post(url, data)


def test_valid_thresholds_overall_and_per_area_are_saved(methodist_client, instrument, framework):
    tools = framework.areas.get(code="tools")
    rows = band_rows(framework, [0, 40, 70]) + band_rows(framework, [0, 50, 80], area=tools)

    response = post_bands(methodist_client, instrument, rows)

    assert response.status_code == 302, inline_errors(response)
    saved = sorted(
        (band.area_id or 0, band.level.position, band.min_score)
        for band in LevelBand.objects.filter(instrument=instrument)
    )
    assert saved == [
        (0, 1, Decimal(0)),
        (0, 2, Decimal(40)),
        (0, 3, Decimal(70)),
        (tools.pk, 1, Decimal(0)),
        (tools.pk, 2, Decimal(50)),
        (tools.pk, 3, Decimal(80)),
    ]


def test_lowest_level_must_start_at_zero(methodist_client, instrument, framework):
    response = post_bands(methodist_client, instrument, band_rows(framework, [10, 40, 70]))

    assert response.status_code == 200
    assert (
        "Overall score: the lowest level, level “Starting” (rank 1), must start at 0, not at 10."
        in inline_errors(response)
    )
    assert not LevelBand.objects.filter(instrument=instrument).exists()


def test_a_level_without_threshold_is_a_gap(methodist_client, instrument, framework):
    # Publishing requires every threshold; a draft may be saved without (test_admin_publishing).
    response = post_bands(
        methodist_client, instrument, band_rows(framework, [0, 40]), status="published"
    )

    assert response.status_code == 200
    assert (
        "Overall score: level “Deepening” (rank 3) has no threshold; every level needs one."
        in inline_errors(response)
    )


def test_an_area_with_thresholds_needs_one_for_every_level(methodist_client, instrument, framework):
    tools = framework.areas.get(code="tools")
    rows = band_rows(framework, [0, 40, 70]) + band_rows(framework, [0], area=tools)

    response = post_bands(methodist_client, instrument, rows, status="published")

    errors = inline_errors(response)
    assert "Area “Tools”: level “Acquiring” (rank 2) has no threshold; every level needs one." in (
        errors
    )
    assert "Area “Tools”: level “Deepening” (rank 3) has no threshold; every level needs one." in (
        errors
    )
    assert not LevelBand.objects.filter(instrument=instrument).exists()


def test_two_levels_with_one_threshold_overlap(methodist_client, instrument, framework):
    response = post_bands(methodist_client, instrument, band_rows(framework, [0, 40, 40]))

    assert response.status_code == 200
    assert (
        "Overall score: level “Acquiring” (rank 2) and level “Deepening” (rank 3) both start at "
        "40; a higher level needs a higher threshold." in inline_errors(response)
    )


def test_thresholds_must_rise_with_the_rank(methodist_client, instrument, framework):
    response = post_bands(methodist_client, instrument, band_rows(framework, [0, 70, 40]))

    assert (
        "Overall score: level “Deepening” (rank 3) starts at 40, below level “Acquiring” (rank 2) "
        "at 70; thresholds must rise with the rank of the levels." in inline_errors(response)
    )


def test_one_level_twice_in_a_scope_is_refused(methodist_client, instrument, framework):
    starting = levels(framework)[0]
    rows = band_rows(framework, [0, 40, 70]) + [{"level": starting.pk, "area": "", "min_score": 5}]

    response = post_bands(methodist_client, instrument, rows)

    assert "Overall score: level “Starting” (rank 1) has more than one threshold." in (
        inline_errors(response)
    )
    assert not LevelBand.objects.filter(instrument=instrument).exists()


def test_a_percent_threshold_above_100_is_unreachable(methodist_client, instrument, framework):
    response = post_bands(methodist_client, instrument, band_rows(framework, [0, 40, 120]))

    assert (
        "Overall score: level “Deepening” (rank 3) starts at 120%, above 100%; nobody can reach it."
        in inline_errors(response)
    )


def test_a_points_threshold_above_the_scope_maximum_is_unreachable(
    methodist_client, instrument, framework
):
    Instrument.objects.filter(pk=instrument.pk).update(
        threshold_unit=Instrument.ThresholdUnit.POINTS
    )
    pedagogy = framework.areas.get(code="pedagogy")
    rows = band_rows(framework, [0, 1, 4]) + band_rows(framework, [0, 1, 3], area=pedagogy)

    response = post_bands(methodist_client, instrument, rows)

    errors = inline_errors(response)
    assert (
        "Overall score: level “Deepening” (rank 3) starts at 4 points, but the scored questions "
        "give at most 3 points; nobody can reach it." in errors
    )
    assert (
        "Area “Pedagogy”: level “Deepening” (rank 3) starts at 3 points, but the scored questions "
        "give at most 2 points; nobody can reach it." in errors
    )


def test_points_thresholds_are_checked_against_the_weights_saved_with_them(
    methodist_client, instrument, framework
):
    """Raising q1 from 1 to 2 points in the same save makes a threshold of 4 reachable."""
    Instrument.objects.filter(pk=instrument.pk).update(
        threshold_unit=Instrument.ThresholdUnit.POINTS
    )
    url = change_url(instrument)
    data = add_rows(
        change_form_data(methodist_client, url), "bands", band_rows(framework, [0, 1, 4])
    )
    position = next(key for key, value in data.items() if value == "q1").split("-")[1]
    data[f"questions-{position}-weight"] = "2"

    response = methodist_client.post(url, data)

    assert response.status_code == 302, inline_errors(response)
    assert Question.objects.get(code="q1", instrument=instrument).weight == 2


def test_free_text_and_attitude_items_add_nothing_to_the_maximum(
    methodist_client, instrument, framework
):
    Instrument.objects.filter(pk=instrument.pk).update(
        threshold_unit=Instrument.ThresholdUnit.POINTS
    )
    QuestionFactory(
        instrument=instrument,
        area=framework.areas.first(),
        kind=Question.Kind.FREE_TEXT,
        weight=5,
    )

    response = post_bands(methodist_client, instrument, band_rows(framework, [0, 1, 4]))

    assert any("give at most 3 points" in error for error in inline_errors(response))


def test_a_refused_save_keeps_nothing_of_the_form(methodist_client, instrument, framework):
    title = instrument.title_en

    response = post_bands(
        methodist_client,
        instrument,
        band_rows(framework, [10, 40, 70]),
        title_en="A new title that must not be saved",
    )

    assert response.status_code == 200
    instrument.refresh_from_db()
    assert instrument.title_en == title


def test_question_page_refuses_a_weight_that_leaves_a_points_threshold_out_of_reach(
    methodist_client, instrument, framework
):
    Instrument.objects.filter(pk=instrument.pk).update(
        threshold_unit=Instrument.ThresholdUnit.POINTS
    )
    for level, threshold in zip(levels(framework), [0, 1, 3], strict=True):
        LevelBand.objects.create(instrument=instrument, level=level, min_score=threshold)
    question = Question.objects.get(instrument=instrument, code="q2")
    url = change_url(question)
    data = change_form_data(methodist_client, url)
    data["weight"] = "1"

    response = methodist_client.post(url, data)

    assert response.status_code == 200
    assert (
        "Overall score: level “Deepening” (rank 3) starts at 3 points, but the scored questions "
        "give at most 2 points; nobody can reach it."
        in response.context["adminform"].form.non_field_errors()
    )
    question.refresh_from_db()
    assert question.weight == 2
