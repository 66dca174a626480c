"""Writes of the library: saving a resource's derived data, shelves and counters (reading a
file's text is library/file_text.py, run by a task)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from library.browse_cache import catalogue_changed
from library.extraction import can_extract
from library.indexing import resources_reindex
from library.models import Bookmark, Resource
from library.tasks import extract_resource_text
from lms.tasks_enqueue import enqueue_on_commit


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
        Resource.objects.filter(pk=resource.pk).update(
            extraction=status,
            extracted_text="",
            extraction_queued_at=timezone.now(),
            extraction_attempts=1,
        )
        resource.extraction = status
        if status == Resource.Extraction.PENDING:
            # Broker down: the resource stays "waiting to be read" and is saved all the same.
            enqueue_on_commit(extract_resource_text, resource.pk)
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
