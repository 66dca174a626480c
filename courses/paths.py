"""Learning paths: an ordered list of recommended courses built from a teacher's diagnosis.

Courses assigned to the teacher's study groups come first (a methodist chose them); then, area by
area from the weakest, the published courses that develop the area and suit the teacher's level
there; then courses that suit their overall level. Completed courses are skipped. A path records
the response it was built from, so a newer scored round rebuilds it (`stale_learning_paths_refresh`,
run after scoring and by beat; `learning_path_for` also rebuilds a stale path on reading).
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from courses.models import Course, Enrolment, GroupCourseAssignment, LearningPathEntry
from courses.readiness import readiness_of
from diagnostics.models import GroupMembership, Response
from lms.models import User

PATH_LENGTH = 8


def _suits_level(course_levels: set[int], level_id: int | None) -> bool:
    return not course_levels or level_id is None or level_id in course_levels


def learning_path_build(*, teacher) -> list[LearningPathEntry]:
    readiness = readiness_of(teacher)
    completed = set(
        Enrolment.objects.filter(user=teacher, completed_at__isnull=False).values_list(
            "course_id", flat=True
        )
    )
    courses = list(
        Course.objects.published()
        .exclude(pk__in=completed)
        .prefetch_related("areas", "levels")
        .order_by("title", "pk")
    )
    assigned = set(
        GroupCourseAssignment.objects.filter(
            group__memberships__teacher=teacher, course__published=True
        ).values_list("course_id", flat=True)
    )
    chosen: list[tuple[Course, str, int | None, int | None]] = []
    seen: set[int] = set()

    def choose(course, reason, area_id, level_id):
        if course.pk not in seen and len(chosen) < PATH_LENGTH:
            seen.add(course.pk)
            chosen.append((course, reason, area_id, level_id))

    for course in courses:
        if course.pk in assigned:
            choose(course, LearningPathEntry.Reason.GROUP, None, readiness.level_id)
    if readiness.response is not None:
        for area_id in readiness.weakest_areas:
            level_id = readiness.level_for_area(area_id)
            for course in courses:
                area_ids = {area.pk for area in course.areas.all()}
                level_ids = {level.pk for level in course.levels.all()}
                if area_id in area_ids and _suits_level(level_ids, level_id):
                    choose(course, LearningPathEntry.Reason.WEAKEST_AREA, area_id, level_id)
        for course in courses:
            level_ids = {level.pk for level in course.levels.all()}
            if level_ids and readiness.level_id in level_ids:
                choose(course, LearningPathEntry.Reason.LEVEL, None, readiness.level_id)
    now = timezone.now()
    entries = [
        LearningPathEntry(
            teacher=teacher,
            course=course,
            rank=rank,
            reason=reason,
            area_id=area_id,
            level_id=level_id,
            response=readiness.response,
            round_id=readiness.response.round_id if readiness.response else None,
            built_at=now,
        )
        for rank, (course, reason, area_id, level_id) in enumerate(chosen, start=1)
    ]
    with transaction.atomic():
        LearningPathEntry.objects.filter(teacher=teacher).delete()
        LearningPathEntry.objects.bulk_create(entries)
    return entries


def _latest_scored_id():
    return Subquery(
        Response.objects.filter(teacher=OuterRef("pk"), status=Response.Status.SCORED)
        .order_by("-scored_at", "-pk")
        .values("pk")[:1]
    )


def stale_teachers():
    """Teachers whose latest scored response is not the one their path was built from."""
    built_from = LearningPathEntry.objects.filter(
        teacher=OuterRef("pk"), response_id=OuterRef("latest_scored")
    )
    return (
        User.objects.filter(
            Exists(Response.objects.filter(teacher=OuterRef("pk"), status=Response.Status.SCORED))
        )
        .annotate(latest_scored=_latest_scored_id())
        .filter(~Exists(built_from))
    )


def stale_learning_paths_refresh(*, limit: int = 2000) -> int:
    teachers = list(stale_teachers()[:limit])
    for teacher in teachers:
        learning_path_build(teacher=teacher)
    return len(teachers)


def learning_path_for(user) -> list[LearningPathEntry]:
    """The path to show (rebuilt first when a newer diagnosis was scored)."""
    entries = list(LearningPathEntry.objects.for_user(user).select_related("course", "area"))
    latest = (
        Response.objects.filter(teacher=user, status=Response.Status.SCORED)
        .order_by("-scored_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    built_from = entries[0].response_id if entries else None
    has_group_course = not entries and _has_group_course(user)
    if (latest is not None and latest != built_from) or has_group_course:
        learning_path_build(teacher=user)
        entries = list(LearningPathEntry.objects.for_user(user).select_related("course", "area"))
    return entries


def _has_group_course(user) -> bool:
    return GroupMembership.objects.filter(
        teacher=user, group__course_assignments__course__published=True
    ).exists()
