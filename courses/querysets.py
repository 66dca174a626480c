"""Chainable reads of the courses app, attached to the models with `Manager.from_queryset`."""

from django.db import models
from django.db.models import Exists, OuterRef


def sees_unpublished(user) -> bool:
    """Methodists and administrators prepare courses before teachers may see them."""
    return user.is_authenticated and user.is_staff


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        if sees_unpublished(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.published()

    def readable_by(self, user):
        """Published courses, and those `user` is enrolled in (an enrolment keeps its course);
        every course for staff. An EXISTS, not a join: joined, a course of 10,000 enrolments
        came back 10,000 times and was made DISTINCT again on every course page (14 ms)."""
        if sees_unpublished(user):
            return self
        if not user.is_authenticated:
            return self.none()
        enrolment = self.model._meta.get_field("enrolments").related_model
        mine = enrolment.objects.filter(course=OuterRef("pk"), user=user)
        return self.filter(models.Q(published=True) | Exists(mine))

    def for_user(self, user):
        """The courses `user` is enrolled in (published or not: an enrolment keeps its course)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(enrolments__user=user)

    def with_enrolment_of(self, user):
        """Annotate `is_enrolled` for one user, in the same query."""
        # The related model, not an import: courses.models imports this module.
        enrolment = self.model._meta.get_field("enrolments").related_model
        if not user.is_authenticated:
            return self.annotate(is_enrolled=models.Value(False))
        return self.annotate(
            is_enrolled=Exists(enrolment.objects.filter(course=OuterRef("pk"), user=user))
        )

    def for_areas(self, area_ids):
        return self.filter(areas__in=area_ids).distinct()

    def for_level(self, level_id):
        """Courses that suit this level: those naming it, and those naming no level at all."""
        no_levels = self.model.levels.through.objects.filter(course_id=OuterRef("pk"))
        return self.filter(models.Q(levels=level_id) | ~Exists(no_levels)).distinct()


class LessonQuerySet(models.QuerySet):
    def of_course(self, course):
        return self.filter(module__course=course)

    def in_order(self):
        return self.order_by("module__position", "module_id", "position", "pk")


class EnrolmentQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def completed(self):
        return self.filter(completed_at__isnull=False)

    def in_progress(self):
        return self.filter(completed_at__isnull=True)


class LearningPathQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(teacher=user).order_by("rank", "pk")
