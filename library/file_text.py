"""Reading an uploaded file's text into the search index: what the task
library.tasks.extract_resource_text runs, after the upload's transaction commits."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from library.extraction import ExtractionError, can_extract, extract_text
from library.indexing import resources_reindex
from library.models import Resource

logger = logging.getLogger(__name__)


def resource_extract_text(*, resource_id: int) -> str | None:
    """Read the text of a resource's file into the search index; the status says how it went.

    Idempotent: running it twice reads the same file into the same row.
    """
    resource = Resource.objects.filter(pk=resource_id).only("pk", "file", "file_type").first()
    if resource is None or not resource.file or not can_extract(resource.file_type):
        return None
    try:
        with resource.file.open("rb") as handle:
            text = extract_text(handle, resource.file_type)
    except (ExtractionError, OSError) as error:
        logger.warning("Library resource %s: text extraction failed: %s", resource_id, error)
        Resource.objects.filter(pk=resource_id).update(
            extraction=Resource.Extraction.FAILED, extracted_text=""
        )
        return Resource.Extraction.FAILED
    status = Resource.Extraction.DONE if text else Resource.Extraction.EMPTY
    with transaction.atomic():
        Resource.objects.filter(pk=resource_id).update(extraction=status, extracted_text=text)
        resources_reindex([resource_id])
    return status


def stale_extractions_claim(*, now=None) -> tuple[list[int], list[int]]:
    """Readings waiting longer than WORK_DEADLINE since queued: their task was lost or their
    worker stopped. Each is claimed once and either queued again (the caller sends the task) or,
    after WORK_MAX_ATTEMPTS, marked "stopped". Returns (to read again, given up) resource ids.

    The deadline exceeds the task's hard time limit, so a reading still running is never
    claimed; the claim is an UPDATE guarded by the status and queued time read, so two sweepers
    never both claim one resource.
    """
    now = now or timezone.now()
    pending = Resource.Extraction.PENDING
    stale = list(
        Resource.objects.filter(
            extraction=pending, extraction_queued_at__lt=now - settings.WORK_DEADLINE
        )
        .order_by("pk")
        .values_list("pk", "extraction_queued_at", "extraction_attempts")[:100]
    )
    again, stopped = [], []
    for pk, queued_at, attempts in stale:
        claim = Resource.objects.filter(pk=pk, extraction=pending, extraction_queued_at=queued_at)
        if attempts < settings.WORK_MAX_ATTEMPTS:
            if claim.update(
                extraction_queued_at=now, extraction_attempts=F("extraction_attempts") + 1
            ):
                again.append(pk)
        elif claim.update(extraction=Resource.Extraction.STOPPED):
            stopped.append(pk)
    return again, stopped
