"""Two runs of one round never interleave: the second waits for the first's commit.

Needs PostgreSQL's row locks (SQLite serialises whole-database writes instead, so the race this
guards against cannot happen there); skipped on SQLite, run in CI.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from diagnostics.grouping.store import grouping_run_execute
from diagnostics.models import GroupingRun, GroupMembership, Round
from tests.diagnostics.factories import (
    AreaFactory,
    FrameworkFactory,
    InstrumentFactory,
    LevelFactory,
    RoundFactory,
)
from tests.diagnostics.grouping_helpers import Setup, scored
from tests.lms.factories import SchoolFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
)


@pytest.fixture
def setup(transactional_db):
    framework = FrameworkFactory()
    level = LevelFactory(framework=framework, position=1)
    area = AreaFactory(framework=framework)
    round_ = RoundFactory(instrument=InstrumentFactory(framework=framework))
    return Setup(round_, level, level, level, area, area, area)


def test_a_second_run_waits_for_the_first_and_adds_nothing(setup):
    school = SchoolFactory()
    for index in range(30):
        scored(setup, level=setup.low, school=school, percent=index)
    first = GroupingRun.objects.create(round=setup.round)
    second = GroupingRun.objects.create(round=setup.round)
    finished = {}

    def run_second():
        try:
            grouping_run_execute(run_id=second.pk)
            finished["at"] = time.monotonic()
        finally:
            connections.close_all()

    with transaction.atomic():
        # Hold the round as the first run does, then start the second run alongside.
        list(Round.objects.select_for_update().filter(pk=setup.round.pk))
        other = threading.Thread(target=run_second)
        other.start()
        time.sleep(0.5)
        assert "at" not in finished  # blocked on the round's row lock
        grouping_run_execute(run_id=first.pk)
        committed = time.monotonic()
    other.join(timeout=30)
    assert finished["at"] >= committed
    second.refresh_from_db()
    assert second.status == GroupingRun.Status.DONE
    assert second.summary["teachers_moved"] == 0  # it found the first run's groups
    assert GroupMembership.objects.filter(round=setup.round).count() == 30
