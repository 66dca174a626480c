"""Chainable reads that carry no permission: who may see what is decided in forums/access.py."""

from django.apps import apps
from django.db import models
from django.utils import timezone


class ForumQuerySet(models.QuerySet):
    def for_index(self):
        return self.select_related("school", "study_group").only(
            "pk",
            "kind",
            "title",
            "description",
            "position",
            "topic_count",
            "post_count",
            "last_post_at",
            "subscription_mode",
            "school__name",
            "study_group__name",
        )


class TopicQuerySet(models.QuerySet):
    def with_read_until(self, user):
        """Each topic with when `user` last read it (None: never opened), for unread markers."""
        # Through the registry, not an import: forums.models imports this module.
        marker = apps.get_model("forums", "ReadMarker").objects.filter(
            topic=models.OuterRef("pk"), user=user
        )
        return self.annotate(read_until=models.Subquery(marker.values("read_until")[:1]))


class PostQuerySet(models.QuerySet):
    def live(self):
        """Neither deleted nor hidden nor waiting for approval."""
        return self.filter(deleted_at__isnull=True, hidden=False, approved=True)


class RoundTableQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(starts_at__lt=now or timezone.now())
