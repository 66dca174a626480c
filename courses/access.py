"""Every "may this user see this" of the courses app, named; each view fetches through these."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from courses.models import Course, Enrolment, Lesson
from diagnostics.models import GroupMembership, StudyGroup
from lms.models import School
from lms.roles import Role


def course_for_user(user, slug: str) -> Course:
    """A published course, or one the teacher is enrolled in, or any course for staff."""
    return get_object_or_404(Course.objects.readable_by(user), slug=slug)


def lesson_for_user(user, lesson_id: int) -> Lesson:
    """A lesson of a course the user may see (whether it is open to them is the gate's say)."""
    # One query: readability (an EXISTS, see readable_by) is a subquery of the lesson's.
    return get_object_or_404(
        Lesson.objects.select_related("module__course", "area").filter(
            module__course__in=Course.objects.readable_by(user).values("pk")
        ),
        pk=lesson_id,
    )


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


# --- progress overviews (methodists, mentors, heads) -------------------------------------------


def reads_every_overview(user) -> bool:
    """Methodists and administrators watch every group's, course's and school's progress."""
    return user.is_authenticated and user.reads_every_school


def mentors_some_group(user) -> bool:
    return (
        user.is_authenticated
        and GroupMembership.objects.filter(teacher=user, is_mentor=True).exists()
    )


def groups_for_overview(user):
    """Every group for methodists; the groups a teacher mentors; nothing for anyone else."""
    if reads_every_overview(user):
        return StudyGroup.objects.all()
    if not user.is_authenticated:
        return StudyGroup.objects.none()
    mentored = GroupMembership.objects.filter(group=OuterRef("pk"), teacher=user, is_mentor=True)
    return StudyGroup.objects.filter(Exists(mentored))


def group_for_overview(user, group_id: int) -> StudyGroup:
    """A group whose progress `user` may watch; a plain member, a head or another mentor: 404."""
    return get_object_or_404(
        groups_for_overview(user).select_related("level", "weakest_area", "school", "round"),
        pk=group_id,
    )


def course_for_overview(user, slug: str) -> Course:
    """Any course, published or not, for methodists; 404 for everyone else."""
    if not reads_every_overview(user):
        raise Http404
    return get_object_or_404(Course, slug=slug)


def school_for_overview(user, school_id: int) -> School:
    """A head their own school; methodists and administrators any; another school's head,
    a teacher: 404, so that the school's existence is not confirmed."""
    if reads_every_overview(user):
        return get_object_or_404(School, pk=school_id)
    if user.is_authenticated and user.role == Role.SCHOOL_HEAD and user.school_id == school_id:
        return get_object_or_404(School, pk=school_id)
    raise Http404


def may_read_needs_map(user) -> bool:
    return reads_every_overview(user)
