from datetime import timedelta

from celery import shared_task
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone

from diagnostics.models import Response
from diagnostics.scoring import (
    responses_score,
    waiting_responses_score,
)
from diagnostics.services import SCORING_QUEUED_KEY

# A submission waiting longer than this lost its task (broker down, worker killed).
STALE_AFTER = timedelta(minutes=2)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def score_waiting_responses() -> int:
    """Score every submitted response, batch by batch (see diagnostics.scoring)."""
    # Cleared before looking, so a submission committed from now on queues a new task.
    cache.delete(SCORING_QUEUED_KEY)
    return waiting_responses_score()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def rescore_round(round_id: int) -> int:
    """Score a whole round again, after a methodist fixed a key."""
    ids = list(
        Response.objects.filter(
            round_id=round_id, status__in=[Response.Status.SUBMITTED, Response.Status.SCORED]
        ).values_list("pk", flat=True)
    )
    return responses_score(response_ids=ids, rescore=True)


@shared_task
def requeue_stale_submissions() -> bool:
    """Beat runs this every minute: queue scoring if a submission has waited too long."""
    stale = Response.objects.waiting_for_scoring().filter(
        submitted_at__lt=timezone.now() - STALE_AFTER
    )
    if not stale.exists():
        return False
    score_waiting_responses.delay()
    return True


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
