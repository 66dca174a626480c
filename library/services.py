"""Writes of the library: saving a resource's derived data, extraction, shelves and counters."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from library.browse_cache import catalogue_changed
from library.extraction import ExtractionError, can_extract, extract_text
from library.indexing import resources_reindex
from library.models import Bookmark, Resource

logger = logging.getLogger(__name__)


def resource_saved(*, resource: Resource, file_changed: bool) -> None:
    """After a resource and its tags are saved: reindex now, read its file after commit."""
    catalogue_changed()
    if resource.published and resource.published_at is None:
        resource.published_at = timezone.now()
        Resource.objects.filter(pk=resource.pk).update(published_at=resource.published_at)
    if file_changed:
        status = (
            Resource.Extraction.PENDING
            if resource.file and can_extract(resource.file_type)
            else Resource.Extraction.NONE
        )
        Resource.objects.filter(pk=resource.pk).update(extraction=status, extracted_text="")
        resource.extraction = status
        if status == Resource.Extraction.PENDING:
            from library.tasks import extract_resource_text

            transaction.on_commit(lambda: extract_resource_text.delay(resource.pk))
    resources_reindex([resource.pk])


def resources_reindexed(resource_ids) -> None:
    """After something several resources are indexed by (a tag, a subject) was renamed or
    deleted: their search entries follow, and cached counts and names are dropped."""
    resources_reindex(resource_ids)
    catalogue_changed()


def resources_set_published(resources, *, published: bool) -> int:
    """Publish or hide resources (an admin action); the number whose state changed."""
    changing = list(resources.filter(published=not published).values_list("pk", flat=True))
    with transaction.atomic():
        changes = {"published": published}
        if published:
            changes["published_at"] = timezone.now()
        Resource.objects.filter(pk__in=changing).update(**changes)
        resources_reindex(changing)
    catalogue_changed()
    return len(changing)


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


def bookmark_toggle(*, user, resource: Resource) -> bool:
    """Put the resource on the user's shelf or take it off; True when it is on the shelf now."""
    deleted, _ = Bookmark.objects.filter(user=user, resource=resource).delete()
    if deleted:
        return False
    # A double click sends two requests: the unique constraint keeps one bookmark.
    Bookmark.objects.get_or_create(user=user, resource=resource)
    return True


def resource_count_view(*, resource: Resource) -> None:
    Resource.objects.filter(pk=resource.pk).update(view_count=F("view_count") + 1)


def resource_count_download(*, resource: Resource) -> None:
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
