from datetime import timedelta

from django.db import models
from django.utils import timezone


def sees_unpublished(user) -> bool:
    """Methodists and administrators prepare resources before teachers may see them."""
    return user.is_authenticated and user.is_staff


class PublishedQuerySet(models.QuerySet):
    """Rows with a `published` flag: teachers see the published ones, staff every one."""

    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        if sees_unpublished(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.published()


class ResourceQuerySet(PublishedQuerySet):
    def new_this_month(self, now=None):
        now = now or timezone.now()
        return self.published().filter(published_at__gte=now - timedelta(days=30))

    def for_cards(self):
        """What a resource card shows, without a query per card."""
        # The extracted text can be a megabyte per row: never loaded for a list.
        return self.select_related("replaced_by").defer(
            "extracted_text", "replaced_by__extracted_text"
        )
