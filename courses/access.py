"""Every "may this user see this" of the courses app, named; each view fetches through these."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from courses.models import Course, Enrolment, Lesson
from lms.roles import Role


def course_for_user(user, slug: str) -> Course:
    """A published course, or one the teacher is enrolled in, or any course for staff."""
    visible = Course.objects.visible_to(user) | Course.objects.for_user(user)
    return get_object_or_404(visible.distinct(), slug=slug)


def lesson_for_user(user, lesson_id: int) -> Lesson:
    """A lesson of a course the user may see (whether it is open to them is the gate's say)."""
    visible = Course.objects.visible_to(user) | Course.objects.for_user(user)
    lesson = get_object_or_404(
        Lesson.objects.select_related("module__course", "area"), pk=lesson_id
    )
    if not visible.filter(pk=lesson.module.course_id).exists():
        raise Http404
    return lesson


def enrolments_visible_to(user):
    """Own enrolments; a head their school's teachers'; methodists and administrators all."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    if user.is_staff:
        return Enrolment.objects.all()
    if user.role == Role.SCHOOL_HEAD and user.school_id:
        return Enrolment.objects.filter(Q(user__school_id=user.school_id) | Q(user=user))
    return Enrolment.objects.filter(user=user)


def enrolment_for_user(user, enrolment_id: int) -> Enrolment:
    """Another teacher's progress is 404, never 403: its existence is not told."""
    return get_object_or_404(
        enrolments_visible_to(user).select_related("user", "course"), pk=enrolment_id
    )


def may_preview(user) -> bool:
    return user.is_authenticated and user.is_staff
