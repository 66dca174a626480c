"""Scoring's Celery tasks, the request that queues them, and the sweeper that covers a lost one.

Their names stay those they had in diagnostics/tasks.py, so messages already queued and the beat
entry (CELERY_BEAT_SCHEDULE) keep finding them. DiagnosticsConfig.ready imports this module so
that Celery registers them.
"""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone

from diagnostics.grouping.tasks import regroup_rounds_scored_since
from diagnostics.models import Response
from diagnostics.scoring.sets import responses_score, waiting_responses_score
from lms.tasks_enqueue import enqueue_or_false

logger = logging.getLogger(__name__)

# While this key exists a scoring task is queued and will pick up every submission committed
# before it starts, so a burst of 10,000 submissions queues a handful of tasks, not 10,000.
SCORING_QUEUED_KEY = "diagnostics:scoring-queued"
SCORING_QUEUED_SECONDS = 60
# A submission waiting longer than this lost its task (broker down, worker killed). Beat's
# sweeper looks every SWEEP_INTERVAL_SECONDS, so a lost submission is queued again at worst
# STALE_AFTER + the interval after its submit (2 min 30 s), then scored in about a second.
STALE_AFTER = timedelta(seconds=90)
WORST_CASE_DELAY = STALE_AFTER + timedelta(seconds=settings.SWEEP_INTERVAL_SECONDS)


@shared_task(
    name="diagnostics.tasks.score_waiting_responses",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def score_waiting_responses() -> int:
    """Score every submitted response, batch by batch (see diagnostics.scoring.sets)."""
    # Cleared before looking, so a submission committed from now on queues a new task.
    cache.delete(SCORING_QUEUED_KEY)
    started = timezone.now()
    scored = waiting_responses_score()
    regroup_rounds_scored_since(started)
    return scored


@shared_task(
    name="diagnostics.tasks.rescore_round",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def rescore_round(round_id: int) -> int:
    """Score a whole round again, after a methodist fixed a key."""
    started = timezone.now()
    ids = list(
        Response.objects.filter(
            round_id=round_id, status__in=[Response.Status.SUBMITTED, Response.Status.SCORED]
        ).values_list("pk", flat=True)
    )
    scored = responses_score(response_ids=ids, rescore=True)
    # Levels may have moved: a round that regroups by itself follows its new scores.
    regroup_rounds_scored_since(started)
    return scored


@shared_task(name="diagnostics.tasks.requeue_stale_submissions")
def requeue_stale_submissions(now: str | None = None) -> bool:
    """Beat runs this every minute: queue scoring if a submission has waited too long.
    `now` (ISO 8601) is for tests and replays; beat leaves it out."""
    when = datetime.fromisoformat(now) if now else timezone.now()
    stale = Response.objects.waiting_for_scoring().filter(submitted_at__lt=when - STALE_AFTER)
    if not stale.exists():
        return False
    score_waiting_responses.delay()
    return True


def scoring_request() -> None:
    """Make sure a scoring task is on its way; the periodic sweeper covers a lost one."""
    # With Redis stopped the cache answers "not queued" and the send fails: the submission is
    # saved, and beat's sweeper (requeue_stale_submissions) queues it once the broker is back.
    try:
        if not cache.add(SCORING_QUEUED_KEY, 1, timeout=SCORING_QUEUED_SECONDS):
            return
        if not enqueue_or_false(score_waiting_responses):
            # Let the next submission try again instead of trusting a marker of a lost send.
            cache.delete(SCORING_QUEUED_KEY)
    except Exception:  # noqa: BLE001 - the submission is committed; never a 500 after it
        logger.exception("Could not queue scoring; the sweeper will pick the response up")
