"""Thin tasks keeping the stored stages (the directory reads them) in step."""

from celery import shared_task
from django.db import OperationalError

CHUNK = 200


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def refresh_stages(user_ids: list[int]) -> int:
    from courses.portfolio.services import stages_refresh

    return stages_refresh(user_ids=user_ids)


@shared_task
def refresh_all_stages() -> int:
    """Nightly and after a rule change: one task per chunk of teachers, so workers share it."""
    from lms.models import User

    ids = list(User.objects.teachers().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        refresh_stages.delay(ids[start : start + CHUNK])
    return len(ids)
