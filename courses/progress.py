"""Progress derived from completion events: per lesson, per enrolment, per course.

One code path serves a single teacher (after each event) and a whole course (after a rule
change): `enrolments_recompute` works on a chunk of enrolments of one course with a fixed number
of queries, whatever the chunk's size. A lesson is completed by the events whose evidence is the
lesson's completion rule; a teacher with no such event is never completed, so a recompute cannot
mark everyone complete. A completion already earned stays unless the methodist asks to revoke
completions the new rules no longer support.
"""

from django.db import transaction
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Value
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
        existing = {
            (p.enrolment_id, p.lesson_id): p
            for p in LessonProgress.objects.filter(
                enrolment_id__in=enrolments.values(), lesson__module__course_id=course_id
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
            elif row.completed_at is None or row.best_score != best:
                row.completed_at = row.completed_at or first
                row.best_score = best
                to_update.append(row)
        if revoke_earned:
            kept = {(enrolments[u], lesson) for (u, lesson) in satisfied}
            revoked = [
                row.pk
                for key, row in existing.items()
                if row.completed_at is not None and key not in kept
            ]
            LessonProgress.objects.filter(pk__in=revoked).update(completed_at=None)
        LessonProgress.objects.bulk_create(to_create, ignore_conflicts=True)
        LessonProgress.objects.bulk_update(to_update, ["completed_at", "best_score"])
        _update_counters(course_id, list(enrolments.values()), revoke_earned=revoke_earned)
        # Completion earns a certificate, whichever path completed the course.
        certificates_issue(course_id=course_id, enrolment_ids=list(enrolments.values()))
    return len(enrolments)


def _update_counters(course_id: int, enrolment_ids: list[int], *, revoke_earned: bool) -> None:
    total = required_lesson_count(course_id)
    done = (
        LessonProgress.objects.filter(
            enrolment=OuterRef("pk"), lesson__required=True, completed_at__isnull=False
        )
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_completion = (
        LessonProgress.objects.filter(enrolment=OuterRef("pk"), completed_at__isnull=False)
        .values("enrolment")
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


def module_progress(enrolment: Enrolment | None, course: Course) -> dict[int, tuple[int, int]]:
    """module id -> (required lessons completed, required lessons), in one query."""
    completed = Q(progress__enrolment=enrolment, progress__completed_at__isnull=False)
    rows = (
        Lesson.objects.filter(module__course=course, required=True)
        .values("module_id")
        .annotate(
            total=Count("pk", distinct=True),
            done=Count("progress", filter=completed, distinct=True) if enrolment else Value(0),
        )
    )
    return {r["module_id"]: (r["done"], r["total"]) for r in rows}
