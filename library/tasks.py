from celery import shared_task
from django.db import OperationalError

from library.file_text import resource_extract_text


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    soft_time_limit=4 * 60,
    time_limit=5 * 60,
)
def extract_resource_text(resource_id: int) -> str | None:
    """Read an uploaded file's text into the search index (queued on upload, after commit)."""
    return resource_extract_text(resource_id=resource_id)
