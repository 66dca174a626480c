"""Thin Celery tasks of the courses app: ids in, a service call."""

from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone
from django.utils.translation import gettext

from lms.tasks_enqueue import enqueue_on_commit, enqueue_or_false

# A recompute still queued this long after it was asked for lost its send (the broker was down):
# beat's sweeper, every minute, sends it again.
WAITING_AFTER = timedelta(minutes=2)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def recompute_course_completion(course_id: int, recompute_id: int | None = None) -> int | None:
    """Recompute a course's progress from its events (after its rules changed).

    `recompute_id` names the methodist's request (its progress bar); without it one is recorded.
    """
    from courses.models import CompletionRecompute, Course
    from courses.progress import course_completion_recompute

    if recompute_id is None:
        if not Course.objects.filter(pk=course_id).exists():
            return None
        recompute_id = CompletionRecompute.objects.create(course_id=course_id).pk
    # Claimed with a guarded UPDATE: a sweeper's second send, or the broker's late redelivery,
    # finds it running or done and leaves it alone (0 rows).
    claimed = (
        CompletionRecompute.objects.filter(pk=recompute_id, course_id=course_id)
        .exclude(status__in=[CompletionRecompute.Status.RUNNING, CompletionRecompute.Status.DONE])
        .update(status=CompletionRecompute.Status.RUNNING, started_at=timezone.now())
    )
    if not claimed:
        return None
    recompute = CompletionRecompute.objects.get(pk=recompute_id)
    try:
        return course_completion_recompute(recompute=recompute).enrolments_done
    except Exception as error:
        CompletionRecompute.objects.filter(pk=recompute_id).update(
            status=CompletionRecompute.Status.FAILED, error=str(error)[:2000]
        )
        raise


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def refresh_learning_paths() -> int:
    """Rebuild the paths of teachers scored since their path was built (beat runs this too)."""
    from courses.paths import stale_learning_paths_refresh

    return stale_learning_paths_refresh()


@shared_task(name="courses.tasks.requeue_waiting_recomputes")
def requeue_waiting_recomputes(now: str | None = None) -> list[int]:
    """Beat runs this every minute: a recompute the broker did not take (still queued after
    WAITING_AFTER), or one whose worker died (running past WORK_DEADLINE), is sent again.
    `now` (ISO 8601) is for tests and replays; beat leaves it out."""
    from courses.models import CompletionRecompute

    when = datetime.fromisoformat(now) if now else timezone.now()
    Status = CompletionRecompute.Status
    # A dead worker's recompute goes back to the queue; the guarded UPDATE (status and start)
    # lets one sweeper take it, and the task then claims it again from "queued".
    CompletionRecompute.objects.filter(
        status=Status.RUNNING, started_at__lt=when - settings.WORK_DEADLINE
    ).update(status=Status.QUEUED)
    waiting = list(
        CompletionRecompute.objects.filter(
            status=Status.QUEUED, requested_at__lt=when - WAITING_AFTER
        ).values_list("pk", "course_id")
    )
    sent = []
    for recompute_id, course_id in waiting:
        if enqueue_or_false(recompute_course_completion, course_id, recompute_id):
            sent.append(recompute_id)
    return sent


def completion_recompute_request(
    *, course, requested_by=None, revoke_earned: bool = False, on_not_queued=None
):
    """Record a methodist's recompute (its progress bar) and queue it once the request commits.

    If the broker cannot take it, it stays "queued" for beat's sweeper and `on_not_queued()` is
    called, so the page can say so.
    """
    from courses.models import CompletionRecompute

    recompute = CompletionRecompute.objects.create(
        course=course, requested_by=requested_by, revoke_earned=revoke_earned
    )
    enqueue_on_commit(
        recompute_course_completion, course.pk, recompute.pk, on_failure=on_not_queued
    )
    return recompute


def not_queued_message() -> str:
    return gettext(
        "The background service is unreachable: progress will be recomputed as soon as it is "
        "back, within minutes."
    )
