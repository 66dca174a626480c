"""A teacher's history for portfolio tests: rounds of one instrument and completed courses."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from courses.services import lesson_mark_done
from diagnostics.models import AreaScore, Instrument, Response
from tests.courses.factories import course_with_lessons
from tests.diagnostics.factories import InstrumentFactory, ResponseFactory, RoundFactory


def diagnosis(teacher, *, instrument, level, areas, percents, days_ago: int, title=""):
    round_ = RoundFactory(instrument=instrument, **({"title": title} if title else {}))
    response = ResponseFactory(
        teacher=teacher,
        round=round_,
        status=Response.Status.SCORED,
        scored_at=timezone.now() - timedelta(days=days_ago),
        level=level,
        percent=Decimal(50),
    )
    AreaScore.objects.bulk_create(
        AreaScore(
            response=response,
            area=area,
            part=AreaScore.Part.ALL,
            points=Decimal(1),
            max_points=Decimal(2),
            percent=Decimal(percent),
            level=level,
        )
        for area, percent in zip(areas, percents, strict=True)
    )
    return response


def history(teacher, *, levels, areas, rounds: int, courses: int, framework=None):
    """`rounds` scored diagnoses of one instrument, rising a level each time, and `courses`
    courses completed (each issues a certificate)."""
    instrument = Instrument.objects.filter(code="readiness").first() or InstrumentFactory(
        framework=levels[0].framework, code="readiness"
    )
    for index in range(rounds):
        diagnosis(
            teacher,
            instrument=instrument,
            level=levels[min(index, len(levels) - 1)],
            areas=areas,
            percents=[30 + 10 * index + area_index for area_index in range(len(areas))],
            days_ago=400 - 30 * index,
        )
    for _ in range(courses):
        course, lessons = course_with_lessons(lessons=1)
        for lesson in lessons:
            lesson_mark_done(user=teacher, lesson=lesson)
    return instrument
