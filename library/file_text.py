"""Reading an uploaded file's text into the search index: what the task
library.tasks.extract_resource_text runs, after the upload's transaction commits.

The file is read by a child process within the limits below (library/extraction_process.py), so
a hostile file costs the worker at most `LIBRARY_EXTRACTION_SECONDS` and
`LIBRARY_EXTRACTION_MEMORY_MB`, and the resource says what happened: the text, the text cut at
the limit, or why there is none.
"""

import logging
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from library import extraction_process as process
from library.extraction import Limits, can_extract
from library.indexing import resources_reindex
from library.models import Resource
from library.uploads import MAX_UNPACKED_BYTES, MAX_ZIP_MEMBERS

logger = logging.getLogger(__name__)

STATUSES = {
    process.DONE: Resource.Extraction.DONE,
    process.TRUNCATED: Resource.Extraction.TRUNCATED,
    process.EMPTY: Resource.Extraction.EMPTY,
    process.TOO_LARGE: Resource.Extraction.TOO_LARGE,
    process.TIMED_OUT: Resource.Extraction.TIMED_OUT,
    process.UNREADABLE: Resource.Extraction.FAILED,
}


# The task's soft time limit (library/tasks.py). A reading is given less, so that the task
# itself always ends by recording the timeout rather than by being cut short.
TASK_SOFT_TIME_LIMIT = 4 * 60
LONGEST_READING = TASK_SOFT_TIME_LIMIT - 30


def extraction_limits() -> Limits:
    """The limits of one reading, from the settings (each optional; defaults in Limits)."""
    seconds = getattr(settings, "LIBRARY_EXTRACTION_SECONDS", Limits.seconds)
    return Limits(
        max_chars=getattr(settings, "LIBRARY_EXTRACTION_MAX_CHARS", Limits.max_chars),
        max_ratio=getattr(settings, "LIBRARY_EXTRACTION_MAX_RATIO", Limits.max_ratio),
        seconds=min(seconds, LONGEST_READING),
        memory_mb=getattr(settings, "LIBRARY_EXTRACTION_MEMORY_MB", Limits.memory_mb),
        # The same as for uploads: a file put in storage some other way meets them here.
        max_members=MAX_ZIP_MEMBERS,
        max_unpacked_bytes=MAX_UNPACKED_BYTES,
    )


def resource_extract_text(*, resource_id: int) -> str | None:
    """Read the text of a resource's file into the search index; the status says how it went.

    Idempotent: running it twice reads the same file into the same row.
    """
    resource = Resource.objects.filter(pk=resource_id).only("pk", "file", "file_type").first()
    if resource is None or not resource.file or not can_extract(resource.file_type):
        return None
    limits = extraction_limits()
    try:
        with _local_path(resource.file) as path:
            outcome = process.extract_in_child(path, resource.file_type, limits)
    except OSError as error:
        outcome = process.Outcome(process.UNREADABLE, reason=str(error))
    status = STATUSES[outcome.status]
    state = Resource.Extraction
    text = outcome.text if status in (state.DONE, state.TRUNCATED) else ""
    if status not in (state.DONE, state.EMPTY):
        logger.warning(
            "Library resource %s: text extraction %s (%.1f s, %d KB): %s",
            resource_id, outcome.status, outcome.seconds, outcome.peak_rss_kb, outcome.reason,
        )  # fmt: skip
    with transaction.atomic():
        # Only the file that was read: one uploaded meanwhile is read by its own task.
        if Resource.objects.filter(pk=resource_id, file=resource.file.name).update(
            extraction=status, extracted_text=text
        ):
            resources_reindex([resource_id])
    return status


@contextmanager
def _local_path(field_file):
    """A path the child process can open: the file's own on the local disk, else a copy."""
    try:
        local = field_file.path
    except NotImplementedError:
        local = None  # a storage without local paths
    if local is not None:
        yield Path(local)
        return
    with tempfile.NamedTemporaryFile(prefix="ustaz-file-") as copy:
        with field_file.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield Path(copy.name)


def extraction_explanation(resource: Resource) -> str:
    """What a methodist should know about the state of a resource's text, beyond its label."""
    limits = extraction_limits()
    state = Resource.Extraction
    if resource.extraction == state.TRUNCATED:
        return _(
            "Only the first %(count)s characters of the file's text are searchable: reading "
            "stops there."
        ) % {"count": number_format(limits.max_chars, force_grouping=True)}
    if resource.extraction == state.TOO_LARGE:
        return _(
            "The file unpacks to far more than its own size, or reading it needs more than "
            "%(memory)s of memory. Its title, description and tags are still searchable."
        ) % {"memory": filesizeformat(limits.memory_mb * 1024 * 1024)}
    if resource.extraction == state.TIMED_OUT:
        return _(
            "Reading the file took longer than %(seconds)s seconds. Its title, description and "
            "tags are still searchable."
        ) % {"seconds": number_format(limits.seconds)}
    return ""


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
