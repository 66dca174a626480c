from django.db import models
from django.db.models import Q
from django.utils import timezone


class RoundQuerySet(models.QuerySet):
    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def for_school(self, school):
        """Rounds a school takes part in: chosen by name, or through its whole region."""
        if school is None:
            return self.none()
        return self.filter(Q(schools=school) | Q(region=school.region, region__gt="")).distinct()

    def for_teacher(self, user):
        return self.for_school(user.school)


class ResponseQuerySet(models.QuerySet):
    def scored(self):
        return self.filter(status="scored")

    def waiting_for_scoring(self):
        return self.filter(status="submitted")
