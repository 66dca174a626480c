"""Item statistics and grouping tasks. Scoring's tasks are in diagnostics/scoring/tasks.py."""

from celery import shared_task
from django.core.cache import cache
from django.db import OperationalError

from diagnostics.models import Response

_MOVED_TO_SCORING = ("score_waiting_responses", "rescore_round", "requeue_stale_submissions")


def __getattr__(name):
    # Compatibility shim, to be removed at merge: diagnostics/services.py (another branch's)
    # still asks this module for score_waiting_responses.
    if name in _MOVED_TO_SCORING:
        from diagnostics.scoring import tasks

        return getattr(tasks, name)
    raise AttributeError(name)


# Item statistics ---------------------------------------------------------------------------


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def compute_round_statistics(round_id: int) -> int | None:
    """Recompute a round's item statistics; returns the number of respondents.

    Only database hiccups (lost connection, lock timeout) are retried: any other error is a
    defect that retrying would repeat. The report is rewritten whole, so a rerun is harmless.
    """
    # Imported on first run: processes that import this module only to enqueue scoring need
    # not load numpy. (Round too, so this appended section does not lean on the top's imports.)
    from diagnostics.models import Round
    from diagnostics.statistics import round_statistics_compute

    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:  # deleted after the methodist asked
        return None
    return round_statistics_compute(round=round_).respondents


# Grouping ------------------------------------------------------------------------------------

# While a round's key exists a regroup of it is queued and will see every score committed
# before it starts, so a burst of submissions queues one regroup, not one per batch.
REGROUP_QUEUED_KEY = "diagnostics:regroup-queued:{round_id}"
REGROUP_QUEUED_SECONDS = 300


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
    soft_time_limit=300,
    time_limit=360,
)
def group_teachers(run_id: int) -> dict | None:
    """Do a recorded grouping run; retrying it (or a run already done) changes nothing."""
    from diagnostics.grouping_store import grouping_run_execute, grouping_run_fail

    try:
        run = grouping_run_execute(run_id=run_id)
    except OperationalError:
        raise  # a database hiccup: retried, the run stays "running" meanwhile
    except Exception as error:
        # A defect retrying would repeat: record it on the run for the methodist, then fail.
        grouping_run_fail(run_id=run_id, error=f"{type(error).__name__}: {error}"[:500])
        raise
    return run.summary if run is not None else None


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def regroup_round(round_id: int) -> int | None:
    """New scores arrived in a round that regroups automatically: repeat its last grouping."""
    from diagnostics.grouping_store import grouping_run_repeat
    from diagnostics.models import Round

    cache.delete(REGROUP_QUEUED_KEY.format(round_id=round_id))
    round_ = Round.objects.filter(pk=round_id, regroup_automatically=True).first()
    if round_ is None:  # deleted, or the methodist turned regrouping off meanwhile
        return None
    return grouping_run_repeat(round=round_, automatic=True).pk


def regroup_rounds_scored_since(since) -> list[int]:
    """Queue one regroup for each self-regrouping round that got scores since `since`."""
    from django.db.models import Exists, OuterRef

    from diagnostics.models import Round

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
