"""Chainable reads of submitted work (attached with `Manager.from_queryset`)."""

from datetime import timedelta

from django.db import models
from django.utils import timezone


class SubmissionQuerySet(models.QuerySet):
    def handed_in(self):
        """Works that have at least one version (drafts never reach anyone but their author)."""
        return self.exclude(status="draft")

    def waiting(self):
        return self.filter(status="submitted")

    def accepted(self):
        return self.filter(status="accepted")

    def waiting_at_least(self, days: int):
        return self.filter(submitted_at__lte=timezone.now() - timedelta(days=days))

    def oldest_first(self):
        return self.order_by("submitted_at", "pk")

    def of_author(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(author=user)
