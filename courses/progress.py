"""Progress derived from completion events: per lesson, per enrolment, per course.

One code path serves a single teacher (after each event) and a whole course (after a rule
change): `enrolments_recompute` works on a chunk of enrolments of one course with a fixed number
of queries, whatever the chunk's size. A lesson is completed by the events whose evidence is the
lesson's completion rule; a teacher with no such event is never completed, so a recompute cannot
mark everyone complete. A completion already earned stays unless the methodist asks to revoke
completions the new rules no longer support.
"""

from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.certificates.services import certificates_issue
from courses.models import (
    CompletionEvent,
    CompletionRecompute,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
)

CHUNK = 500


def required_lesson_count(course_id: int) -> int:
    return Lesson.objects.filter(module__course_id=course_id, required=True).count()


def _satisfying_events(course_id: int, user_ids):
    """(user, lesson) -> (first time, best score) over the events each lesson's rule accepts."""
    rows = (
        CompletionEvent.objects.filter(
            lesson__module__course_id=course_id,
            user_id__in=user_ids,
            evidence=F("lesson__completion_rule"),
        )
        .values("user_id", "lesson_id")
        .annotate(first=Min("occurred_at"), best=Max("score"))
    )
    return {(r["user_id"], r["lesson_id"]): (r["first"], r["best"]) for r in rows}


def enrolments_recompute(
    *, course_id: int, enrolment_ids: list[int], revoke_earned: bool = False
) -> int:
    """Rebuild lesson completions and counters of these enrolments of one course from events."""
    if not enrolment_ids:
        return 0
    with transaction.atomic():
        enrolments = dict(
            Enrolment.objects.filter(pk__in=enrolment_ids, course_id=course_id).values_list(
                "user_id", "pk"
            )
        )
        satisfied = _satisfying_events(course_id, list(enrolments))
        # The enrolments are of this course, so their rows are the course's: no join to the
        # lessons and modules; tuples, not model instances (building 20,000 instances cost
        # more than every query of a chunk; docs/benchmarks.md).
        existing = {
            (enrolment_id, lesson_id): (pk, completed_at, best_score)
            for pk, enrolment_id, lesson_id, completed_at, best_score in (
                LessonProgress.objects.filter(enrolment_id__in=list(enrolments.values()))
                .order_by()
                .values_list("pk", "enrolment_id", "lesson_id", "completed_at", "best_score")
            )
        }
        to_create, to_update = [], []
        for (user_id, lesson_id), (first, best) in satisfied.items():
            enrolment_id = enrolments[user_id]
            row = existing.get((enrolment_id, lesson_id))
            if row is None:
                to_create.append(
                    LessonProgress(
                        enrolment_id=enrolment_id,
                        lesson_id=lesson_id,
                        completed_at=first,
                        best_score=best,
                    )
                )
            elif row[1] is None or row[2] != best:
                to_update.append(
                    LessonProgress(pk=row[0], completed_at=row[1] or first, best_score=best)
                )
        if revoke_earned:
            kept = {(enrolments[u], lesson) for (u, lesson) in satisfied}
            revoked = [
                pk
                for key, (pk, completed_at, _best) in existing.items()
                if completed_at is not None and key not in kept
            ]
            LessonProgress.objects.filter(pk__in=revoked).update(completed_at=None)
        LessonProgress.objects.bulk_create(to_create, ignore_conflicts=True)
        LessonProgress.objects.bulk_update(to_update, ["completed_at", "best_score"])
        _update_counters(course_id, list(enrolments.values()), revoke_earned=revoke_earned)
        # Completion earns a certificate, whichever path completed the course.
        certificates_issue(course_id=course_id, enrolment_ids=list(enrolments.values()))
    return len(enrolments)


def _update_counters(course_id: int, enrolment_ids: list[int], *, revoke_earned: bool) -> None:
    # The required lessons as a list of ids, not a join: joined, PostgreSQL hashed every lesson
    # of every course once per enrolment (a sequential scan of 100,000 lessons per row).
    required = list(
        Lesson.objects.filter(module__course_id=course_id, required=True).values_list(
            "pk", flat=True
        )
    )
    total = len(required)
    # `.order_by()`: the model's default ordering (enrolment, lesson) made each correlated
    # subquery join the enrolment and the lesson's module only to sort a single count
    # (3 s of a 500-enrolment chunk; docs/benchmarks.md).
    done = (
        LessonProgress.objects.filter(
            enrolment_id=OuterRef("pk"), lesson_id__in=required, completed_at__isnull=False
        )
        .order_by()
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_completion = (
        LessonProgress.objects.filter(enrolment_id=OuterRef("pk"), completed_at__isnull=False)
        .order_by()
        .values("enrolment_id")
        .annotate(last=Max("completed_at"))
        .values("last")
    )
    enrolments = Enrolment.objects.filter(pk__in=enrolment_ids)
    enrolments.update(lessons_total=total, lessons_done=Coalesce(Subquery(done), Value(0)))
    if total:
        enrolments.update(percent=F("lessons_done") * 100 / total)
        # A course with no required lesson never completes by itself.
        enrolments.filter(lessons_done__gte=total, completed_at__isnull=True).update(
            completed_at=Coalesce(Subquery(last_completion), Value(timezone.now()))
        )
    else:
        enrolments.update(percent=0)
    if revoke_earned:
        enrolments.filter(Q(lessons_done__lt=total) | Q(lessons_total=0)).update(completed_at=None)


def enrolment_recompute(*, enrolment: Enrolment, revoke_earned: bool = False) -> Enrolment:
    enrolments_recompute(
        course_id=enrolment.course_id, enrolment_ids=[enrolment.pk], revoke_earned=revoke_earned
    )
    enrolment.refresh_from_db()
    return enrolment


def course_completion_recompute(*, recompute: CompletionRecompute) -> CompletionRecompute:
    """Recompute every enrolment of the course, chunk by chunk, moving the progress bar."""
    course_id = recompute.course_id
    ids = list(
        Enrolment.objects.filter(course_id=course_id).order_by("pk").values_list("pk", flat=True)
    )
    CompletionRecompute.objects.filter(pk=recompute.pk).update(
        status=CompletionRecompute.Status.RUNNING,
        started_at=timezone.now(),
        enrolments_total=len(ids),
        enrolments_done=0,
    )
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        enrolments_recompute(
            course_id=course_id, enrolment_ids=chunk, revoke_earned=recompute.revoke_earned
        )
        CompletionRecompute.objects.filter(pk=recompute.pk).update(
            enrolments_done=start + len(chunk)
        )
    CompletionRecompute.objects.filter(pk=recompute.pk).update(
        status=CompletionRecompute.Status.DONE, finished_at=timezone.now()
    )
    recompute.refresh_from_db()
    return recompute


def lesson_states(
    enrolment: Enrolment | None, course: Course
) -> tuple[set[int], dict[int, tuple[int, int]]]:
    """(the lessons the teacher completed, module id -> (required lessons completed, required
    lessons)), in one query over the course's lessons, whatever their number.

    The teacher's rows are probed per lesson through the unique (enrolment, lesson) index: a
    join filtered afterwards read every teacher's progress in the course first (10,000
    enrolments x 100 lessons for a popular course, on every course and lesson page).
    """
    lessons = Lesson.objects.filter(module__course=course).order_by()
    if enrolment is None:
        done = Value(False)
    else:
        done = Exists(
            LessonProgress.objects.filter(
                enrolment=enrolment, lesson=OuterRef("pk"), completed_at__isnull=False
            )
        )
    completed: set[int] = set()
    counts: dict[int, tuple[int, int]] = {}
    for lesson_id, module_id, required, is_done in lessons.annotate(done=done).values_list(
        "pk", "module_id", "required", "done"
    ):
        if is_done:
            completed.add(lesson_id)
        if required:
            module_done, module_total = counts.get(module_id, (0, 0))
            counts[module_id] = (module_done + bool(is_done), module_total + 1)
    return completed, counts
