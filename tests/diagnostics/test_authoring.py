"""The authoring services: threshold checks, language completeness, the dry run and new versions."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from diagnostics import authoring
from diagnostics.authoring import dry_runs
from diagnostics.interchange.instrument_json import instrument_export, instrument_import
from diagnostics.models import Choice, Instrument, LevelBand, Question
from tests.diagnostics.factories import (
    AreaFactory,
    ChoiceFactory,
    FrameworkFactory,
    InstrumentFactory,
    LevelBandFactory,
    LevelFactory,
    QuestionFactory,
)

FIXTURE = Path(__file__).resolve().parents[2] / "diagnostics" / "fixtures" / "ict_readiness.json"
D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- band_problems, without a database ---------------------------------------------------------


class Stub:
    """Stands for a Level or an Area: band_problems reads only these attributes."""

    def __init__(self, pk, name, position, framework_id=1):
        self.pk, self.name, self.position, self.framework_id = pk, name, position, framework_id

    def __str__(self):
        return self.name


LEVELS = [Stub(1, "Starting", 1), Stub(2, "Acquiring", 2), Stub(3, "Deepening", 3)]
TOOLS = Stub(10, "Tools", 1)


def bands(thresholds, area=None, levels=LEVELS):
    return [
        authoring.BandRow(level=level, area=area, min_score=D(threshold))
        for level, threshold in zip(levels, thresholds, strict=False)
    ]


def problems(rows, unit="percent", maxima=None):
    return authoring.band_problems(
        rows, framework_id=1, levels=LEVELS, unit=unit, maxima=maxima or {None: D(10)}
    )


def test_rising_thresholds_from_zero_for_every_level_have_no_problem():
    assert problems(bands([0, 30, 60]) + bands([0, 50, 90], area=TOOLS)) == []


def test_thresholds_may_be_listed_in_any_order():
    assert problems(list(reversed(bands([0, 30, 60])))) == []


def test_an_area_may_have_no_thresholds_but_the_overall_score_must():
    assert problems(bands([0, 30, 60], area=TOOLS)) == [
        "Overall score: level “Starting” (rank 1) has no threshold; every level needs one.",
        "Overall score: level “Acquiring” (rank 2) has no threshold; every level needs one.",
        "Overall score: level “Deepening” (rank 3) has no threshold; every level needs one.",
    ]


def test_a_level_of_another_framework_is_refused():
    stranger = Stub(99, "Elsewhere", 4, framework_id=2)
    rows = bands([0, 30, 60]) + [authoring.BandRow(level=stranger, area=None, min_score=D(80))]
    assert problems(rows) == [
        "Overall score: level “Elsewhere” (rank 4) belongs to another competence framework."
    ]


def test_points_thresholds_may_reach_exactly_the_maximum_but_not_beyond():
    assert problems(bands([0, 5, 10]), unit="points", maxima={None: D(10)}) == []
    assert problems(bands([0, 5, D("10.5")]), unit="points", maxima={None: D(10)}) == [
        "Overall score: level “Deepening” (rank 3) starts at 10.5 points, but the scored "
        "questions give at most 10 points; nobody can reach it."
    ]


def test_an_area_without_scored_questions_reaches_no_points_threshold_above_zero():
    rows = bands([0, 1, 2]) + bands([0, 1, 2], area=TOOLS)
    found = problems(rows, unit="points", maxima={None: D(5)})
    assert found == [
        "Area “Tools”: level “Acquiring” (rank 2) starts at 1 points, but the scored questions "
        "give at most 0 points; nobody can reach it.",
        "Area “Tools”: level “Deepening” (rank 3) starts at 2 points, but the scored questions "
        "give at most 0 points; nobody can reach it.",
    ]


def test_scope_maxima_sum_the_weights_of_scored_questions_only():
    items = [
        authoring.scored_item(area_id=1, part="knowledge", kind="single", weight=D(1)),
        authoring.scored_item(area_id=1, part="self_assessment", kind="likert", weight=D(2)),
        authoring.scored_item(area_id=2, part="knowledge", kind="numerical", weight=D(3)),
        authoring.scored_item(area_id=2, part="knowledge", kind="free_text", weight=D(5)),
        authoring.scored_item(area_id=None, part="attitude", kind="likert", weight=D(7)),
    ]
    assert authoring.scope_maxima(items) == {None: D(6), 1: D(3), 2: D(3)}


# --- Language completeness --------------------------------------------------------------------


@pytest.mark.django_db
def test_language_completeness_counts_texts_written_in_any_language(
    django_assert_num_queries,
):
    instrument = InstrumentFactory(title_en="ICT test", title_ru="Тест ИКТ")
    question = QuestionFactory(instrument=instrument, text_en="Q?", text_kk="С?", text_ru="В?")
    ChoiceFactory(question=question, text_en="Yes", text_kk="Иә")
    ChoiceFactory(question=question, text_en="No", text_kk="Жоқ", feedback_en="Look again")
    other = InstrumentFactory(title_en="Other")

    # 1: texts of the questions, grouped by instrument; 2: texts of the choices, likewise.
    with django_assert_num_queries(2):
        completeness = authoring.language_completeness([instrument, other])

    # Five texts: the title, the question, two choices and one choice feedback.
    assert completeness[instrument.pk].total == 5
    assert dict(completeness[instrument.pk].by_language()) == {
        "kk": 60,
        "ru": 40,
        "ky": 0,
        "en": 100,
    }
    assert dict(completeness[other.pk].by_language()) == {"kk": 0, "ru": 0, "ky": 0, "en": 100}


# --- Dry run ----------------------------------------------------------------------------------


@pytest.fixture
def tiny_instrument(db):
    """Two right-or-wrong questions worth 1 (area A) and 2 (area B) points; levels at
    0 / 40 / 60 / 90 percent overall, and in area A."""
    framework = FrameworkFactory()
    area_a = AreaFactory(framework=framework, name_en="A", position=1)
    area_b = AreaFactory(framework=framework, name_en="B", position=2)
    instrument = InstrumentFactory(framework=framework)
    for area, weight in ((area_a, 1), (area_b, 2)):
        question = QuestionFactory(instrument=instrument, area=area, weight=weight)
        ChoiceFactory(question=question, credit=1)
        ChoiceFactory(question=question, credit=0)
    QuestionFactory(instrument=instrument, area=area_a, kind=Question.Kind.FREE_TEXT, weight=9)
    for rank, threshold in enumerate([0, 40, 60, 90], start=1):
        level = LevelFactory(framework=framework, position=rank, name_en=f"L{rank}")
        LevelBandFactory(instrument=instrument, level=level, min_score=threshold)
        LevelBandFactory(instrument=instrument, level=level, area=area_a, min_score=threshold)
    return instrument


def reach(scope):
    return {str(item.level): item.reachable for item in scope.levels}


def test_dry_run_scores_and_reachable_levels_of_a_tiny_instrument(tiny_instrument):
    result = authoring.dry_run(tiny_instrument, respondents=400, seed=1)

    overall, area_a, area_b = result.scopes
    # Totals can be 0, 1, 2 or 3 points of 3: 0%, 33.33%, 66.67%, 100%.
    assert (overall.max_points, overall.lowest, overall.highest) == (3, 0, 3)
    assert reach(overall) == {"L1": True, "L2": False, "L3": True, "L4": True}
    # Area A: 0 or 1 point of 1; nobody lands between 40% and 90%.
    assert (area_a.label, area_a.max_points, area_a.highest) == ("A", 1, 1)
    assert reach(area_a) == {"L1": True, "L2": False, "L3": False, "L4": True}
    assert (area_b.label, area_b.max_points, area_b.levels) == ("B", 2, [])
    assert [(part.label, part.max_points) for part in result.parts] == [("Knowledge test", 3)]


def test_dry_run_judges_reach_from_the_extremes_when_totals_are_too_many(
    tiny_instrument, monkeypatch
):
    # Patched where dry_run reads it (the package does not re-export tuning constants).
    monkeypatch.setattr(dry_runs, "MAX_EXACT_SUMS", 1)

    overall = authoring.dry_run(tiny_instrument, respondents=10).scopes[0]

    # Between 0% and 100% every level now counts as reachable, and the page says so.
    assert overall.exact is False
    assert reach(overall) == {"L1": True, "L2": True, "L3": True, "L4": True}


def test_dry_run_random_respondents_spread_over_the_possible_totals(tiny_instrument):
    result = authoring.dry_run(tiny_instrument, respondents=400, seed=1)

    counts = [row.count for row in result.histogram]
    assert sum(counts) == 400
    # Only 0%, 33%, 67% and 100% occur, each about a quarter of the time.
    assert [index for index, count in enumerate(counts) if count] == [0, 3, 6, 9]
    assert all(70 <= count <= 130 for count in counts if count)
    shares = {row.label: row.count for row in result.levels}
    assert shares["L2"] == 0
    assert shares["L1"] == counts[0] + counts[3]
    assert shares["L3"] == counts[6]
    assert shares["L4"] == counts[9]


def test_dry_run_is_reproducible_with_its_seed(tiny_instrument):
    first = authoring.dry_run(tiny_instrument, respondents=200, seed=7)
    again = authoring.dry_run(tiny_instrument, respondents=200, seed=7)
    assert [row.count for row in first.histogram] == [row.count for row in again.histogram]


@pytest.mark.django_db
def test_answer_spaces_list_every_possible_score_of_each_kind():
    def possible(question):
        space = authoring.answer_space(question, list(question.choices.all()))
        return sorted(space.possible)

    likert = QuestionFactory(
        kind=Question.Kind.LIKERT, part="self_assessment", scale_min=1, scale_max=5, weight=4
    )
    assert possible(likert) == [0, 1, 2, 3, 4]

    numerical = QuestionFactory(kind=Question.Kind.NUMERICAL, weight=2)
    ChoiceFactory(question=numerical, value=D(8), tolerance=D(0), credit=1)
    ChoiceFactory(question=numerical, value=D(100), tolerance=D(5), credit=D("0.5"))
    assert possible(numerical) == [0, 1, 2]

    multiple = QuestionFactory(kind=Question.Kind.MULTIPLE, weight=1)
    for credit in ("0.5", "0.5", "-1"):
        ChoiceFactory(question=multiple, credit=D(credit))
    assert possible(multiple) == [0, D("0.5"), 1]

    matching = QuestionFactory(kind=Question.Kind.MATCHING, weight=3)
    for prompt, match, credit in (("Ctrl+C", "Copy", 1), ("Ctrl+V", "Paste", 1), ("", "Cut", 0)):
        ChoiceFactory(question=matching, text_en=prompt, match_text_en=match, credit=credit)
    assert possible(matching) == [0, D("1.5"), 3]

    short = QuestionFactory(kind=Question.Kind.SHORT_ANSWER, weight=1)
    ChoiceFactory(question=short, answer_key="pacific", credit=1)
    ChoiceFactory(question=short, answer_key="pacific ocean", credit=D("0.5"))
    assert possible(short) == [0, D("0.5"), 1]


# --- New version ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_new_version_copies_everything_in_every_language():
    source = instrument_import(json.loads(FIXTURE.read_text(encoding="utf-8")))

    copy = authoring.instrument_new_version(instrument=source)

    assert (copy.code, copy.version, copy.previous_version_id) == (source.code, 2, source.pk)
    assert copy.status == Instrument.Status.DRAFT
    assert instrument_export(copy) == instrument_export(source)
    assert copy.questions.count() == source.questions.count() > 0
    assert Choice.objects.filter(question__instrument=copy).count() == (
        Choice.objects.filter(question__instrument=source).count()
    )
    assert LevelBand.objects.filter(instrument=copy).count() == source.bands.count() > 0
    # Attitude items point at the copy's own scales, never at the source's.
    scales = set(
        Question.objects.filter(instrument=copy).values_list("scale__instrument", flat=True)
    )
    assert scales <= {copy.pk, None}
    assert not authoring.instrument_locked(copy)


@pytest.mark.django_db
def test_new_version_keeps_fields_the_export_leaves_out():
    question = QuestionFactory(
        text_kk="Сұрақ", help_text_ru="Подсказка", position=7, required=False
    )
    ChoiceFactory(question=question, text_ky="Жооп", feedback_en="Good", credit=D("0.25"))

    copy = authoring.instrument_new_version(instrument=question.instrument)

    copied = copy.questions.get()
    assert (copied.text_kk, copied.help_text_ru, copied.position, copied.required) == (
        "Сұрақ",
        "Подсказка",
        7,
        False,
    )
    choice = copied.choices.get()
    assert (choice.text_ky, choice.feedback_en, choice.credit) == ("Жооп", "Good", D("0.25"))
