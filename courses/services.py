"""Writes of the courses app: enrolment, completion evidence, group assignment, duplication.

Every function takes keyword arguments and runs in one transaction; views, the admin, the quiz
and H5P players all call these (never write the models themselves).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from courses.models import (
    CompletionEvent,
    Condition,
    Course,
    Enrolment,
    Evidence,
    GroupCourseAssignment,
    InteractivePackage,
    Lesson,
    LessonAttachment,
    LessonProgress,
    LessonResource,
    LessonVariant,
    Module,
    Quiz,
)
from courses.models.content import RESERVED_SLUGS
from courses.progress import enrolment_recompute, enrolments_recompute

VIDEO_WATCHED_FRACTION = Decimal("0.9")


def enrolment_create(
    *, user, course: Course, source: str = Enrolment.Source.SELF, group=None
) -> Enrolment:
    """Enrol a teacher (once: enrolling again returns the enrolment they have)."""
    with transaction.atomic():
        enrolment, created = _enrolment_get_or_create(
            user=user, course=course, source=source, group=group
        )
        if created:
            # Counters start right, and events recorded before enrolling (a quiz opened from a
            # link) count at once.
            enrolment_recompute(enrolment=enrolment)
    return enrolment


def _enrolment_get_or_create(*, user, course: Course, source=Enrolment.Source.SELF, group=None):
    return Enrolment.objects.get_or_create(
        user=user, course=course, defaults={"source": source, "group": group}
    )


def lesson_open(*, user, lesson: Lesson, enrolment: Enrolment | None = None) -> Enrolment | None:
    """Remember where the teacher is ("continue where you left off"). `enrolment`: theirs in
    the lesson's course, when the caller has it already."""
    now = timezone.now()
    if enrolment is None:
        enrolment = Enrolment.objects.filter(user=user, course_id=lesson.module.course_id).first()
    if enrolment is None:
        return None
    with transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson, last_activity_at=now)
        opened = LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).update(
            last_opened_at=now, first_opened_at=Coalesce("first_opened_at", Value(now))
        )
        if not opened:
            # The first visit; a second tab's at the same moment made the same row.
            LessonProgress.objects.bulk_create(
                [
                    LessonProgress(
                        enrolment=enrolment, lesson=lesson, first_opened_at=now, last_opened_at=now
                    )
                ],
                ignore_conflicts=True,
            )
    return enrolment


def lesson_complete(
    *, user, lesson: Lesson, evidence: str, score: Decimal | None = None, source_ref: str = ""
) -> CompletionEvent:
    """Record evidence that `user` did `lesson`, and bring their progress up to date.

    Called by the lesson page (marked done, video watched), the quiz engine (quiz passed, with
    the score in percent) and the H5P player (interactive completed). The teacher is enrolled if
    they were not. Marking done twice records one event.
    """
    evidence = Evidence(evidence)
    with transaction.atomic():
        # Not enrolment_create: the recompute below brings a new enrolment's counters up too.
        enrolment, _created = _enrolment_get_or_create(user=user, course=lesson.module.course)
        event = None
        if evidence in (Evidence.MARKED_DONE, Evidence.VIDEO_WATCHED):
            event = CompletionEvent.objects.filter(
                user=user, lesson=lesson, evidence=evidence
            ).first()
        if event is None:
            event = CompletionEvent.objects.create(
                user=user, lesson=lesson, evidence=evidence, score=score, source_ref=source_ref
            )
        Enrolment.objects.filter(pk=enrolment.pk).update(
            last_lesson=lesson, last_activity_at=event.occurred_at
        )
        enrolments_recompute(course_id=enrolment.course_id, enrolment_ids=[enrolment.pk])
    return event


def lesson_mark_done(*, user, lesson: Lesson) -> CompletionEvent:
    return lesson_complete(user=user, lesson=lesson, evidence=Evidence.MARKED_DONE)


def video_progress_record(*, user, lesson: Lesson, fraction: Decimal) -> bool:
    """Keep the furthest fraction of the video seen; at 90 % record the evidence. True if so."""
    fraction = max(Decimal(0), min(Decimal(1), Decimal(fraction))).quantize(Decimal("0.001"))
    with transaction.atomic():
        enrolment = enrolment_create(user=user, course=lesson.module.course)
        progress, _created = LessonProgress.objects.get_or_create(
            enrolment=enrolment, lesson=lesson
        )
        if fraction > progress.video_fraction:
            LessonProgress.objects.filter(pk=progress.pk).update(video_fraction=fraction)
        if fraction < VIDEO_WATCHED_FRACTION:
            return False
        lesson_complete(user=user, lesson=lesson, evidence=Evidence.VIDEO_WATCHED)
    return True


def group_course_assign(*, group, course: Course, assigned_by=None) -> GroupCourseAssignment:
    """Give a study group a course: every member is enrolled (those already enrolled stay so)."""
    from diagnostics.models import GroupMembership

    with transaction.atomic():
        assignment, _created = GroupCourseAssignment.objects.get_or_create(
            group=group, course=course, defaults={"assigned_by": assigned_by}
        )
        member_ids = list(
            GroupMembership.objects.filter(group=group).values_list("teacher_id", flat=True)
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    user_id=user_id, course=course, source=Enrolment.Source.GROUP, group=group
                )
                for user_id in member_ids
            ],
            ignore_conflicts=True,
        )
        enrolment_ids = list(
            Enrolment.objects.filter(course=course, user_id__in=member_ids).values_list(
                "pk", flat=True
            )
        )
        enrolments_recompute(course_id=course.pk, enrolment_ids=enrolment_ids)
    transaction.on_commit(lambda: _rebuild_paths(member_ids))
    return assignment


def _rebuild_paths(user_ids: list[int]) -> None:
    from courses.paths import learning_path_build
    from lms.models import User

    for user in User.objects.filter(pk__in=user_ids):
        learning_path_build(teacher=user)


def _free_slug(base: str) -> str:
    base = slugify(base, allow_unicode=True)[:70] or "course"
    slug, number = base, 1
    while slug.lower() in RESERVED_SLUGS or Course.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _copy(instance, **changes):
    instance.pk = None
    instance.id = None
    instance._state.adding = True
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save()
    return instance


def course_duplicate(*, course: Course, created_by=None) -> Course:
    """A full, unpublished copy of a course: modules, lessons, variants, files, links, rules,
    quizzes and H5P packages.

    A copied quiz asks the same question pool (an instrument is shared by design, like a
    copied attachment's file) with the same settings; its attempts stay with the original.
    """
    with transaction.atomic():
        areas, levels = list(course.areas.all()), list(course.levels.all())
        copy = _copy(
            Course.objects.get(pk=course.pk),
            slug=_free_slug(f"{course.slug}-copy"),
            published=False,
            published_at=None,
            created_by=created_by,
            created_at=timezone.now(),
        )
        copy.areas.set(areas)
        copy.levels.set(levels)
        module_map, lesson_map = {}, {}
        for module in Module.objects.filter(course=course).order_by("pk"):
            old = module.pk
            module_map[old] = _copy(module, course=copy).pk
        lessons = Lesson.objects.filter(module__course=course).order_by("pk")
        for lesson in lessons:
            old = lesson.pk
            lesson_map[old] = _copy(lesson, module_id=module_map[lesson.module_id]).pk
        for model in (LessonVariant, LessonAttachment, LessonResource, Quiz, InteractivePackage):
            for row in model.objects.filter(lesson_id__in=lesson_map):
                _copy(row, lesson_id=lesson_map[row.lesson_id])
        conditions = Condition.objects.filter(lesson_id__in=lesson_map) | Condition.objects.filter(
            module_id__in=module_map
        )
        for condition in conditions.prefetch_related("levels"):
            condition_levels = list(condition.levels.all())
            new = _copy(
                condition,
                lesson_id=lesson_map.get(condition.lesson_id),
                module_id=module_map.get(condition.module_id),
                required_lesson_id=lesson_map.get(
                    condition.required_lesson_id, condition.required_lesson_id
                ),
                required_module_id=module_map.get(
                    condition.required_module_id, condition.required_module_id
                ),
            )
            new.levels.set(condition_levels)
    return copy


def items_reorder(*, model, parent_field: str, parent_id: int, ordered_ids: list[int]) -> int:
    """Number modules of a course (or lessons of a module) 1, 2, 3 in the order given."""
    with transaction.atomic():
        rows = {
            row.pk: row
            for row in model.objects.filter(**{parent_field: parent_id}, pk__in=ordered_ids)
        }
        changed = []
        for position, pk in enumerate(ordered_ids, start=1):
            row = rows.get(pk)
            if row is not None and row.position != position:
                row.position = position
                changed.append(row)
        model.objects.bulk_update(changed, ["position"])
    return len(changed)
