"""Scored results written straight into the tables reports read, with numbers chosen by hand.

Scoring has its own tests; here the figures must be known exactly, so a response is stored as
"scored" with the percents given.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from diagnostics.models import AreaScore, AttitudeScale, Level, Response, Round, ScaleScore
from tests.diagnostics.factories import RoundFactory
from tests.lms.factories import TeacherFactory


def level(instrument, code) -> Level:
    return Level.objects.get(framework=instrument.framework, code=code)


def scored(round_: Round, teacher, *, percent, level_code, areas: dict, parts=None, anxious=False):
    """A scored response: `areas` {area code: percent}; `parts` {area code: (self, knowledge)}."""
    instrument = round_.instrument
    response = Response.objects.create(
        round=round_,
        instrument=instrument,
        teacher=teacher,
        status=Response.Status.SCORED,
        submitted_at=timezone.now(),
        scored_at=timezone.now(),
        percent=Decimal(str(percent)),
        level=level(instrument, level_code),
    )
    by_code = {a.code: a for a in instrument.framework.areas.all()}
    rows = []
    for code, value in areas.items():
        rows.append(_area_score(response, by_code[code], AreaScore.Part.ALL, value))
    for code, (self_percent, knowledge_percent) in (parts or {}).items():
        rows.append(_area_score(response, by_code[code], "self_assessment", self_percent))
        rows.append(_area_score(response, by_code[code], "knowledge", knowledge_percent))
    AreaScore.objects.bulk_create(rows)
    if anxious:
        scale = AttitudeScale.objects.get(instrument=instrument, code="anxiety")
        ScaleScore.objects.create(response=response, scale=scale, percent=80, flagged=True)
    return response


def _area_score(response, area, part, value):
    value = Decimal(str(value))
    return AreaScore(
        response=response, area=area, part=part, points=value, max_points=100, percent=value
    )


def teachers(school, count, **fields):
    return [TeacherFactory(school=school, **fields) for _ in range(count)]


def later_round(instrument, schools, days=100):
    """A round opened `days` after the default one (RoundFactory opens yesterday)."""
    return RoundFactory(
        instrument=instrument,
        schools=schools,
        opens_at=timezone.now() + timedelta(days=days - 1),
        closes_at=timezone.now() + timedelta(days=days + 30),
    )
