from datetime import datetime

from celery import shared_task
from django.db import OperationalError

from library.file_text import TASK_SOFT_TIME_LIMIT, resource_extract_text, stale_extractions_claim


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    soft_time_limit=TASK_SOFT_TIME_LIMIT,
    time_limit=TASK_SOFT_TIME_LIMIT + 60,
)
def extract_resource_text(resource_id: int) -> str | None:
    """Read an uploaded file's text into the search index (queued on upload, after commit)."""
    return resource_extract_text(resource_id=resource_id)


@shared_task(name="library.tasks.sweep_stale_extractions")
def sweep_stale_extractions(now: str | None = None) -> dict:
    """Beat runs this every minute: a reading whose worker stopped is queued again, then given
    up with the reason. `now` (ISO 8601) is for tests and replays; beat leaves it out."""
    again, stopped = stale_extractions_claim(now=datetime.fromisoformat(now) if now else None)
    for resource_id in again:
        extract_resource_text.delay(resource_id)
    return {"read_again": again, "stopped": stopped}
