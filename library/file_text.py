"""Reading an uploaded file's text into the search index: what the task
library.tasks.extract_resource_text runs, after the upload's transaction commits."""

import logging

from django.db import transaction

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
