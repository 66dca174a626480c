"""Thin Celery tasks of the courses app: ids in, a service call."""

from celery import shared_task
from django.db import OperationalError, transaction


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
    recompute = CompletionRecompute.objects.filter(pk=recompute_id, course_id=course_id).first()
    if recompute is None or recompute.status == CompletionRecompute.Status.DONE:
        return None
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


def completion_recompute_request(*, course, requested_by=None, revoke_earned: bool = False):
    """Record a methodist's recompute (its progress bar) and queue it once the request commits."""
    from courses.models import CompletionRecompute

    recompute = CompletionRecompute.objects.create(
        course=course, requested_by=requested_by, revoke_earned=revoke_earned
    )
    transaction.on_commit(lambda: recompute_course_completion.delay(course.pk, recompute.pk))
    return recompute
