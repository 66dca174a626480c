"""The same percents and levels on SQLite and PostgreSQL, to the second decimal.

Totals that do not divide evenly, halves at the second decimal (rounded half up, not to even),
fractional weights and points, and a level threshold placed exactly at each expected percent
(and one hundredth above it): run on both databases (CI runs the suite on each).
"""

from decimal import Decimal

import pytest
from django.db.models import Q

from diagnostics.models import AttitudeScale, Question
from diagnostics.reports.queries import area_means, headcount, one_decimal
from diagnostics.scoring.sets import responses_score
from tests.diagnostics.factories import (
    AreaFactory,
    ChoiceFactory,
    InstrumentFactory,
    LevelBandFactory,
    LevelFactory,
    QuestionFactory,
    RoundFactory,
)
from tests.diagnostics.helpers import answered_response
from tests.lms.factories import TeacherFactory

# (points earned, points possible, the percent a teacher must see)
UNEVEN = [
    ("20", "88", "22.73"),  # the teacher: 22.00 on SQLite before
    ("1", "3", "33.33"),
    ("2", "3", "66.67"),
    ("1", "6", "16.67"),
    ("1", "8", "12.50"),
    ("1", "800", "0.13"),  # 0.125: half up, not to even (0.12)
    ("3", "8000", "0.04"),  # 0.0375
    ("7", "16", "43.75"),
    ("1.5", "4.5", "33.33"),  # fractional weights
    ("2.55", "3.4", "75.00"),
    ("0.01", "0.03", "33.33"),
    ("4.45", "8", "55.63"),  # 55.625
    ("88", "88", "100.00"),
]


def _instrument_with(earned: Decimal, possible: Decimal, percent: Decimal):
    """Two single-choice questions in one area: one worth `earned`, one worth the rest; levels
    at 0, exactly at `percent` and one hundredth above it, overall and in the area."""
    instrument = InstrumentFactory()
    area = AreaFactory(framework=instrument.framework)
    low, exact, above = (LevelFactory(framework=instrument.framework) for _ in range(3))
    for band_area in (None, area):
        LevelBandFactory(instrument=instrument, area=band_area, level=low, min_score=0)
        LevelBandFactory(instrument=instrument, area=band_area, level=exact, min_score=percent)
        LevelBandFactory(
            instrument=instrument, area=band_area, level=above, min_score=percent + Decimal("0.01")
        )
    for code, weight in (("earned", earned), ("rest", possible - earned)):
        if weight <= 0:
            continue
        question = QuestionFactory(instrument=instrument, area=area, code=code, weight=weight)
        ChoiceFactory(question=question, text_en="right", credit=1)
        ChoiceFactory(question=question, text_en="wrong", credit=0)
    return instrument, area, (low, exact, above)


@pytest.mark.parametrize(("earned", "possible", "expected"), UNEVEN)
def test_percent_and_level_at_every_boundary(db, teacher, school, earned, possible, expected):
    earned, possible, expected = Decimal(earned), Decimal(possible), Decimal(expected)
    instrument, area, (low, exact, above) = _instrument_with(earned, possible, expected)
    round_ = RoundFactory(instrument=instrument, schools=[school])
    answers = {"earned": "right", "rest": "wrong"} if earned < possible else {"earned": "right"}
    response = answered_response(round_, teacher, answers)
    responses_score(response_ids=[response.pk])
    response.refresh_from_db()
    assert response.points == earned
    assert response.percent == expected
    assert response.level == exact  # not one band low, not one band high
    overall = response.area_scores.get(area=area, part="all")
    assert overall.percent == expected
    assert overall.level == exact
    part = response.area_scores.get(area=area, part=Question.Part.KNOWLEDGE)
    assert part.percent == expected


def test_attitude_scale_percent_divides_unevenly(db, teacher, school):
    instrument = InstrumentFactory()
    scale = AttitudeScale.objects.create(
        instrument=instrument,
        code="anxiety",
        name="Anxiety",
        flag_when=AttitudeScale.FlagWhen.AT_OR_ABOVE,
        flag_percent=Decimal("33.33"),
    )
    for n in range(3):
        QuestionFactory(
            instrument=instrument,
            area=None,
            scale=scale,
            code=f"anx-{n}",
            part=Question.Part.ATTITUDE,
            kind=Question.Kind.LIKERT,
            scale_min=0,
            scale_max=1,
        )
    round_ = RoundFactory(instrument=instrument, schools=[school])
    response = answered_response(round_, teacher, {"anx-0": 1, "anx-1": 0, "anx-2": 0})
    responses_score(response_ids=[response.pk])
    score = response.scale_scores.get()
    assert score.percent == Decimal("33.33")
    assert score.flagged  # exactly at the threshold


def test_fractional_points_from_partial_credit(db, teacher, school):
    """Three thirds of a point, each stored to four places (0.3333), over seven points."""
    instrument = InstrumentFactory()
    area = AreaFactory(framework=instrument.framework)
    question = QuestionFactory(instrument=instrument, area=area, code="third", weight=1)
    ChoiceFactory(question=question, text_en="third", credit=Decimal("0.3333"))
    rest = QuestionFactory(instrument=instrument, area=area, code="rest", weight=6)
    ChoiceFactory(question=rest, text_en="wrong", credit=0)
    round_ = RoundFactory(instrument=instrument, schools=[school])
    response = answered_response(round_, teacher, {"third": "third", "rest": "wrong"})
    responses_score(response_ids=[response.pk])
    response.refresh_from_db()
    assert response.points == Decimal("0.3333")
    assert response.percent == Decimal("4.76")  # 4.7614…


def test_report_means_round_half_up_alike(db, school):
    """Two teachers at 2.5 % and 10 % of 40 points: the mean, 6.25, is shown as 6.3 (half up)
    in the area means and the school's headcount on both databases."""
    instrument, area, _levels = _instrument_with(Decimal(1), Decimal(40), Decimal("2.50"))
    extra = QuestionFactory(instrument=instrument, area=area, code="four", weight=4)
    ChoiceFactory(question=extra, text_en="right", credit=1)
    ChoiceFactory(question=extra, text_en="wrong", credit=0)
    # 1 + 4 + 35 = 40 points in all.
    Question.objects.filter(instrument=instrument, code="rest").update(weight=35)
    round_ = RoundFactory(instrument=instrument, schools=[school])
    given = [
        {"earned": "right", "four": "wrong", "rest": "wrong"},
        {"earned": "wrong", "four": "right", "rest": "wrong"},
    ]
    ids = [
        answered_response(round_, TeacherFactory(school=school), answers).pk for answers in given
    ]
    responses_score(response_ids=ids)
    teachers = Q(school=school)
    means = area_means(round_, teachers)
    assert one_decimal(means[area.pk]["mean"]) == Decimal("6.3")
    total = sum(r["percent_sum"] for r in headcount(round_, teachers))
    assert total == Decimal("12.50")
    assert one_decimal(total / 2) == Decimal("6.3")
