"""Progress derived from completion events: per lesson, per enrolment, per course.

One code path serves a single teacher (after each event) and a whole course (after a rule
change): `enrolments_recompute` works on a chunk of enrolments of one course in a fixed number
of set-based statements, whatever the chunk's size, on PostgreSQL and SQLite alike. A lesson is
completed by the events whose evidence is the lesson's completion rule; a teacher with no such
event is never completed, so a recompute cannot mark everyone complete. A completion already
earned stays unless the methodist asks to revoke completions the new rules no longer support.
"""

import json
import math

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Value
from django.utils import timezone

from courses.certificates.services import certificates_issue
from courses.models import CompletionRecompute, Course, Enrolment, Lesson, LessonProgress

# A course's recompute moves its progress bar about this many times, in chunks of at least
# CHUNK_MIN enrolments (fewer statements for a small course) and at most CHUNK_MAX (one chunk
# is one transaction: its rows stay locked against the teachers' own clicks until it commits).
STEPS = 20
CHUNK_MIN = 500
CHUNK_MAX = 5_000


def chunk_size(enrolments: int) -> int:
    return min(CHUNK_MAX, max(CHUNK_MIN, math.ceil(enrolments / STEPS)))


# The chunk's ids reach every statement as one parameter: an array PostgreSQL looks up in the
# primary key index (`= ANY`), a JSON list on SQLite (no statement grows with the chunk).
def _in_chunk() -> str:
    if connection.vendor == "postgresql":
        return "= ANY(CAST(%(ids)s AS bigint[]))"
    return "IN (SELECT value FROM json_each(%(ids)s))"


def _id_list(ids: list[int]):
    return list(ids) if connection.vendor == "postgresql" else json.dumps(list(ids))


# The chunk's enrolments `e` of this course (an id of another course is ignored), read by
# their primary key.
_CHUNK = "e.id {in_chunk} AND e.course_id = %(course)s"

# The satisfying events of an enrolment's teacher: in a lesson of this course, with the evidence
# the lesson's rule asks for.
_SATISFYING = """courses_enrolment e
    JOIN courses_completionevent ev ON ev.user_id = e.user_id
    JOIN courses_lesson l ON l.id = ev.lesson_id AND l.completion_rule = ev.evidence
    JOIN courses_module m ON m.id = l.module_id AND m.course_id = %(course)s"""

# Revoke (only when the methodist asks): completions no satisfying event supports any more. An
# anti-join against the chunk's satisfied pairs, found once (a NOT EXISTS per completed row
# walked the enrolment, the events, the lesson and the module again for each: 0.5 s a chunk).
_REVOKE = """UPDATE courses_lessonprogress SET completed_at = NULL
WHERE id IN (
    SELECT p.id FROM courses_lessonprogress p
    LEFT JOIN (
        SELECT DISTINCT e.id AS enrolment_id, ev.lesson_id AS lesson_id FROM {satisfying}
        WHERE {chunk}
    ) s ON s.enrolment_id = p.enrolment_id AND s.lesson_id = p.lesson_id
    WHERE p.enrolment_id IN (SELECT e.id FROM courses_enrolment e WHERE {chunk})
      AND p.completed_at IS NOT NULL AND s.lesson_id IS NULL)"""

# Every satisfied (enrolment, lesson) whose row is missing or would change: a new row completed
# at the first satisfying event, or the row there completed (its earlier completion kept) with
# the best score of those events. Rows that would not change are left out before the insert
# (ON CONFLICT locks every row it meets, even one its WHERE then skips: two thirds of a chunk's
# time when a rule change touched few rows); the conflict clause is for a teacher's click
# racing the recompute. "Same score" is spelled without IS [NOT] DISTINCT FROM, which SQLite
# knows only since 3.39.
_UPSERT = """INSERT INTO courses_lessonprogress
    (enrolment_id, lesson_id, completed_at, best_score, video_fraction, completed_by,
     first_opened_at, last_opened_at)
SELECT s.enrolment_id, s.lesson_id, s.first, s.best, 0, '', NULL, NULL
FROM (
    SELECT e.id AS enrolment_id, ev.lesson_id AS lesson_id, MIN(ev.occurred_at) AS first,
        MAX(ev.score) AS best
    FROM {satisfying}
    WHERE {chunk}
    GROUP BY e.id, ev.lesson_id
) s
LEFT JOIN courses_lessonprogress p ON p.enrolment_id = s.enrolment_id AND p.lesson_id = s.lesson_id
WHERE p.id IS NULL OR p.completed_at IS NULL
   OR NOT COALESCE(p.best_score = s.best, p.best_score IS NULL AND s.best IS NULL)
ON CONFLICT (enrolment_id, lesson_id) DO UPDATE SET
    completed_at = COALESCE(courses_lessonprogress.completed_at, excluded.completed_at),
    best_score = excluded.best_score
WHERE courses_lessonprogress.completed_at IS NULL
   OR NOT COALESCE(courses_lessonprogress.best_score = excluded.best_score,
                   courses_lessonprogress.best_score IS NULL AND excluded.best_score IS NULL)"""

# The counters from one GROUP BY: required lessons completed of required lessons, the percent
# (integer division, as the pages show it), and the course completed — at the last lesson's
# completion — once every required lesson is; a course with no required lesson never completes
# by itself. With `revoke`, a completion the counters no longer support is withdrawn. Only the
# enrolments whose counters change are written.
_PERCENT = "CASE WHEN c.total > 0 THEN c.done * 100 / c.total ELSE 0 END"
_COMPLETES = "c.total > 0 AND c.done >= c.total AND courses_enrolment.completed_at IS NULL"
_COUNTERS = """UPDATE courses_enrolment SET
    lessons_total = c.total,
    lessons_done = c.done,
    percent = {percent},
    completed_at = CASE
        WHEN {completes} THEN COALESCE(c.last, %(now)s)
        {revoke_then}
        ELSE courses_enrolment.completed_at END
FROM (
    SELECT e.id AS id, r.total AS total,
        SUM(CASE WHEN p.completed_at IS NOT NULL AND p.lesson_id IN (
            SELECT l.id FROM courses_lesson l JOIN courses_module m ON m.id = l.module_id
            WHERE m.course_id = %(course)s AND l.required) THEN 1 ELSE 0 END) AS done,
        MAX(p.completed_at) AS last
    FROM courses_enrolment e
    CROSS JOIN (
        SELECT COUNT(*) AS total FROM courses_lesson l JOIN courses_module m ON m.id = l.module_id
        WHERE m.course_id = %(course)s AND l.required) r
    LEFT JOIN courses_lessonprogress p ON p.enrolment_id = e.id
    WHERE {chunk}
    GROUP BY e.id, r.total
) c
WHERE courses_enrolment.id = c.id AND courses_enrolment.id {in_chunk} AND (
    courses_enrolment.lessons_total <> c.total OR courses_enrolment.lessons_done <> c.done
    OR courses_enrolment.percent <> {percent} OR ({completes}) {revoke_or})"""

_REVOKED = "courses_enrolment.completed_at IS NOT NULL AND (c.done < c.total OR c.total = 0)"


def enrolments_recompute(
    *, course_id: int, enrolment_ids: list[int], revoke_earned: bool = False
) -> int:
    """Rebuild lesson completions and counters of these enrolments of one course from events.

    Two or three statements and the certificates, whatever the number of enrolments; returns
    how many enrolments' counters changed.
    """
    if not enrolment_ids:
        return 0
    in_chunk = _in_chunk()
    parts = {"chunk": _CHUNK.format(in_chunk=in_chunk), "satisfying": _SATISFYING}
    params = {
        "ids": _id_list(enrolment_ids),
        "course": course_id,
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        if revoke_earned:
            # It withdraws only rows no satisfying event supports, the upsert completes only
            # supported ones: the two never touch the same row, in either order.
            cursor.execute(_REVOKE.format(**parts), params)
        cursor.execute(_UPSERT.format(**parts), params)
        counters = _COUNTERS.format(
            percent=_PERCENT,
            completes=_COMPLETES,
            revoke_then=f"WHEN {_REVOKED} THEN NULL" if revoke_earned else "",
            revoke_or=f"OR ({_REVOKED})" if revoke_earned else "",
            # The target rows by their key too: joined to the chunk's counters alone, they
            # were found by hashing every enrolment of the region (150 ms a chunk).
            in_chunk=in_chunk,
            **parts,
        )
        cursor.execute(counters, params)
        changed = cursor.rowcount
        # Completion earns a certificate, whichever path completed the course.
        certificates_issue(course_id=course_id, enrolment_ids=list(enrolment_ids))
    return changed


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
    size = chunk_size(len(ids))
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
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
