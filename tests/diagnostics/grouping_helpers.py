"""Scored teachers for grouping tests, written as the scoring task leaves them.

Scoring itself is tested in test_scoring.py; grouping reads only Response (status, percent,
level, language) and AreaScore (part "all"), so tests write those rows directly and stay fast.
One test in test_grouping_store.py goes through real answers and scoring end to end.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from diagnostics.grouping.tasks import group_teachers
from diagnostics.models import AreaScore, GroupMembership, Response, StudyGroup
from tests.diagnostics.factories import (
    AreaFactory,
    FrameworkFactory,
    InstrumentFactory,
    LevelFactory,
    RoundFactory,
)
from tests.lms.factories import TeacherFactory


@dataclass
class Setup:
    round: object
    low: object
    mid: object
    high: object
    docs: object
    net: object
    data: object


@pytest.fixture
def grouping_setup(school):
    framework = FrameworkFactory()
    instrument = InstrumentFactory(framework=framework)
    levels = [
        LevelFactory(framework=framework, position=position, name_en=name)
        for position, name in ((1, "Starting"), (2, "Growing"), (3, "Leading"))
    ]
    areas = [
        AreaFactory(framework=framework, position=position, name_en=name)
        for position, name in ((1, "Documents"), (2, "Internet"), (3, "Data"))
    ]
    round_ = RoundFactory(instrument=instrument, schools=[school])
    return Setup(round_, *levels, *areas)


def scored(
    setup, *, level, percent=50, school=None, teacher=None, language="kk", areas=None, **fields
):
    """A scored response; `areas` maps areas to percents (default: every area at `percent`)."""
    teacher = teacher or TeacherFactory(school=school, **fields)
    response = Response.objects.create(
        round=setup.round,
        instrument=setup.round.instrument,
        teacher=teacher,
        status=Response.Status.SCORED,
        language=language,
        submitted_at=timezone.now(),
        scored_at=timezone.now(),
        percent=Decimal(percent),
        level=level,
    )
    areas = areas or dict.fromkeys((setup.docs, setup.net, setup.data), percent)
    AreaScore.objects.bulk_create(
        AreaScore(
            response=response,
            area=area,
            part=AreaScore.Part.ALL,
            points=Decimal(value),
            max_points=Decimal(100),
            percent=Decimal(value),
        )
        for area, value in areas.items()
    )
    return response


def run_grouping(round_, **options):
    """Start a run as the admin does (record, then the task) and return it once done."""
    from diagnostics.models import GroupingRun

    run = GroupingRun.objects.create(round=round_, **options)
    group_teachers(run.pk)
    run.refresh_from_db()
    return run


def snapshot(round_) -> set:
    """Groups and their members, as a user would compare them (ids of groups aside)."""
    members: dict[int, set] = {}
    for group_id, teacher_id, mentor in GroupMembership.objects.filter(round=round_).values_list(
        "group_id", "teacher_id", "is_mentor"
    ):
        members.setdefault(group_id, set()).add((teacher_id, mentor))
    return {
        (group.bucket, group.number, group.name, frozenset(members.get(group.pk, ())))
        for group in StudyGroup.objects.filter(round=round_)
    }


def sizes(round_) -> list[int]:
    return sorted(
        (len(members) for *_, members in snapshot(round_)),
        reverse=True,
    )
