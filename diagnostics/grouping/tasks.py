"""The grouping tasks: thin, ids in. Their names are pinned to the ones they had in
diagnostics/tasks.py, so messages already queued and beat entries keep finding them."""

from datetime import datetime

from celery import shared_task
from django.core.cache import cache
from django.db import OperationalError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

from diagnostics.grouping.store import (
    grouping_run_execute,
    grouping_run_fail,
    grouping_run_plan,
    grouping_run_record,
    last_run_options,
    stale_grouping_runs_claim,
)
from diagnostics.models import Response, Round
from lms.tasks_enqueue import enqueue_on_commit

# While a round's key exists a regroup of it is queued and will see every score committed
# before it starts, so a burst of submissions queues one regroup, not one per batch.
REGROUP_QUEUED_KEY = "diagnostics:regroup-queued:{round_id}"
REGROUP_QUEUED_SECONDS = 300
# Planning and writing a run: a database hiccup is retried; a long run is cut off (the sweeper
# then queues it again or fails it with a reason).
RUN_TASK_OPTIONS = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
    "acks_late": True,
    "soft_time_limit": 300,
    "time_limit": 360,
}


@shared_task(name="diagnostics.tasks.group_teachers", **RUN_TASK_OPTIONS)
def group_teachers(run_id: int) -> dict | None:
    """Do a recorded grouping run; retrying it (or a run already done) changes nothing."""
    try:
        run = grouping_run_execute(run_id=run_id)
    except OperationalError:
        raise  # a database hiccup: retried, the run stays "running" meanwhile
    except Exception as error:
        # A defect retrying would repeat: record it on the run for the methodist, then fail.
        grouping_run_fail(run_id=run_id, error=f"{type(error).__name__}: {error}"[:500])
        raise
    return run.summary if run is not None else None


def grouping_run_queue(run_id: int) -> None:
    """Queue the run once the transaction that recorded it commits (at once outside one)."""
    enqueue_on_commit(group_teachers, run_id, on_failure=lambda: _not_queued(run_id))


@shared_task(name="diagnostics.tasks.plan_grouping", **RUN_TASK_OPTIONS)
def plan_grouping(run_id: int) -> dict | None:
    """Plan a methodist's run for the preview; nobody is moved (group_teachers writes it once
    confirmed). Planning a run again, or one cancelled meanwhile, changes nothing."""
    try:
        run = grouping_run_plan(run_id=run_id)
    except OperationalError:
        raise
    except Exception as error:
        grouping_run_fail(run_id=run_id, error=f"{type(error).__name__}: {error}"[:500])
        raise
    return run.preview.get("totals") if run is not None else None


def grouping_plan_queue(run_id: int) -> None:
    """Queue the run's planning once the transaction that recorded it commits."""
    enqueue_on_commit(plan_grouping, run_id, on_failure=lambda: _not_queued(run_id))


def _not_queued(run_id: int) -> None:
    """The broker refused the run: fail it with the reason rather than leave it waiting for a
    task that will never come. The reason is in the starting methodist's language."""
    grouping_run_fail(run_id=run_id, error=not_queued_reason())


def not_queued_reason() -> str:
    return gettext(
        "Not started: the background service is unreachable. Nothing was changed; start the "
        "grouping again in a few minutes."
    )


@shared_task(
    name="diagnostics.tasks.regroup_round",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def regroup_round(round_id: int) -> int | None:
    """New scores arrived in a round that regroups automatically: repeat its last grouping."""
    cache.delete(REGROUP_QUEUED_KEY.format(round_id=round_id))
    round_ = Round.objects.filter(pk=round_id, regroup_automatically=True).first()
    if round_ is None:  # deleted, or the methodist turned regrouping off meanwhile
        return None
    run = grouping_run_record(round=round_, automatic=True, **last_run_options(round=round_))
    grouping_run_queue(run.pk)
    return run.pk


@shared_task(name="diagnostics.tasks.sweep_stale_grouping_runs")
def sweep_stale_grouping_runs(now: str | None = None) -> dict:
    """Beat runs this every minute: a run whose worker stopped is queued again, then failed.
    `now` (ISO 8601) is for tests and replays; beat leaves it out."""
    when = datetime.fromisoformat(now) if now else None
    to_plan, to_run, failed = stale_grouping_runs_claim(now=when)
    for run_id in to_plan:
        plan_grouping.delay(run_id)
    for run_id in to_run:
        group_teachers.delay(run_id)
    return {"planned_again": to_plan, "run_again": to_run, "failed": failed}


def regroup_rounds_scored_since(since) -> list[int]:
    """Queue one regroup for each self-regrouping round that got scores since `since`."""
    # Few rounds regroup by themselves; EXISTS stops at their first new score.
    fresh = Response.objects.filter(round=OuterRef("pk"), scored_at__gte=since)
    round_ids = list(
        Round.objects.filter(Exists(fresh), regroup_automatically=True).values_list("pk", flat=True)
    )
    queued = []
    for round_id in round_ids:
        if cache.add(REGROUP_QUEUED_KEY.format(round_id=round_id), 1, REGROUP_QUEUED_SECONDS):
            regroup_round.delay(round_id)
            queued.append(round_id)
    return queued
