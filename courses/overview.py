"""Progress overviews for methodists, mentors and heads, each in a fixed number of queries.

Three views of the same facts (`Enrolment` counters and `LessonProgress` rows):

- a study group over one course: its members × the course's lessons, each cell done, in
  progress, locked or not started; per member where they are stuck and when they last worked;
- a course: the same grid for every enrolment, a page of teachers at a time;
- a school: its teachers × the courses they take, with the percent of each.

Row summaries (percent, lessons done, the lesson a teacher is stuck on, last activity) and column
totals (teachers done / in progress per lesson) are computed by the database (annotations and
GROUP BY with conditional counts); Python only lays the narrow cell rows into the grid. Whether a
lesson is locked for a teacher is the one rule engine's say (`courses.conditions`), evaluated
with facts gathered for all rows at once — and only when the course has rules at all.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import (
    Avg,
    Count,
    F,
    FilteredRelation,
    FloatField,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from courses.conditions import CourseGate, Facts, conditions_of_course
from courses.models import (
    CompletionEvent,
    Condition,
    Course,
    Enrolment,
    Evidence,
    Lesson,
    LessonProgress,
)
from courses.readiness import Readiness
from diagnostics.models import AreaScore, Response
from lms.models import User
from lms.roles import Role

DONE, IN_PROGRESS, LOCKED, NOT_STARTED = "done", "in_progress", "locked", "not_started"
COURSE_PAGE = 50  # teachers per page of a course's overview
SCHOOL_COLUMNS = 15  # courses shown as columns of a school's overview (most taken first)


@dataclass
class Row:
    """One teacher in an overview (a member of a group need not be enrolled)."""

    teacher_id: int
    name: str
    email: str
    school: str = ""
    is_mentor: bool = False
    enrolment_id: int | None = None
    percent: int = 0
    lessons_done: int = 0
    lessons_total: int = 0
    completed_at: datetime | None = None
    last_activity_at: datetime | None = None
    stuck_lesson_id: int | None = None
    stuck_since: datetime | None = None
    stuck_lesson: Lesson | None = None
    cells: list[str] = field(default_factory=list)


@dataclass
class Column:
    lesson: Lesson
    done: int = 0
    in_progress: int = 0


@dataclass
class Grid:
    course: Course
    columns: list[Column]
    rows: list[Row]


def course_lessons(course: Course) -> list[Lesson]:
    """The course's lessons in reading order, with their module (one query)."""
    return list(
        Lesson.objects.filter(module__course=course)
        .select_related("module")
        # The texts are long and the grid shows titles only.
        .defer("body", "summary", "information_sources", "module__summary")
        .order_by("module__position", "module_id", "position", "pk")
    )


def _stuck_lessons():
    """Annotations on an enrolment: the lesson opened longest ago and not completed since."""
    open_lessons = LessonProgress.objects.filter(
        enrolment_id=OuterRef("enrolment_id"),
        completed_at__isnull=True,
        first_opened_at__isnull=False,
    ).order_by("first_opened_at", "pk")
    return {
        "stuck_lesson_id": Subquery(open_lessons.values("lesson_id")[:1]),
        "stuck_since": Subquery(open_lessons.values("first_opened_at")[:1]),
    }


ENROLMENT_FIELDS = {
    "enrolment_id": F("enrolment__id"),
    "percent": F("enrolment__percent"),
    "lessons_done": F("enrolment__lessons_done"),
    "lessons_total": F("enrolment__lessons_total"),
    "completed_at": F("enrolment__completed_at"),
    "last_activity_at": F("enrolment__last_activity_at"),
}


def group_rows(group, course: Course) -> list[Row]:
    """The group's members with their enrolment in the course, mentors first (one query)."""
    members = (
        User.objects.filter(group_memberships__group=group)
        .annotate(
            enrolment=FilteredRelation(
                "course_enrolments", condition=Q(course_enrolments__course=course)
            ),
            is_mentor=F("group_memberships__is_mentor"),
            school_name=F("school__name"),
        )
        .annotate(**ENROLMENT_FIELDS)
        .annotate(**_stuck_lessons())
        .order_by("-is_mentor", "full_name", "pk")
    )
    return [_row(values) for values in members.values(*_ROW_VALUES, "is_mentor")]


def _course_teachers(course: Course, teachers: Q):
    return (
        User.objects.filter(teachers, course_enrolments__course=course)
        .annotate(
            enrolment=FilteredRelation(
                "course_enrolments", condition=Q(course_enrolments__course=course)
            ),
            school_name=F("school__name"),
        )
        .annotate(**ENROLMENT_FIELDS)
        .order_by("full_name", "pk")
    )


def course_rows(course: Course, teachers: Q, page_number) -> tuple[list[Row], object]:
    """A page of the course's enrolments (two queries: the count and the page's ids), then the
    page's rows with where each teacher is stuck (one query)."""
    enrolments = _course_teachers(course, teachers)
    page = Paginator(enrolments.values("pk"), COURSE_PAGE).get_page(page_number)
    ids = [values["pk"] for values in page.object_list]
    rows = [
        _row(values)
        for values in enrolments.filter(pk__in=ids)
        .annotate(**_stuck_lessons())
        .values(*_ROW_VALUES)
    ]
    return rows, page


def all_course_rows(course: Course, teachers: Q) -> list[Row]:
    """Every enrolment of the course, for a download (one query)."""
    rows = _course_teachers(course, teachers).annotate(**_stuck_lessons()).values(*_ROW_VALUES)
    return [_row(values) for values in rows]


_ROW_VALUES = (
    "pk",
    "full_name",
    "email",
    "school_name",
    *ENROLMENT_FIELDS,
    "stuck_lesson_id",
    "stuck_since",
)


def _row(values: dict) -> Row:
    return Row(
        teacher_id=values["pk"],
        name=values["full_name"] or values["email"],
        email=values["email"],
        school=values["school_name"] or "",
        is_mentor=bool(values.get("is_mentor")),
        enrolment_id=values["enrolment_id"],
        percent=values["percent"] or 0,
        lessons_done=values["lessons_done"] or 0,
        lessons_total=values["lessons_total"] or 0,
        completed_at=values["completed_at"],
        last_activity_at=values["last_activity_at"],
        stuck_lesson_id=values["stuck_lesson_id"],
        stuck_since=values["stuck_since"],
    )


def lesson_columns(lessons: list[Lesson], enrolments) -> list[Column]:
    """Per lesson, how many of these enrolments completed it and how many are on it (one GROUP
    BY with conditional counts)."""
    totals = {
        r["lesson_id"]: r
        for r in LessonProgress.objects.filter(enrolment_id__in=enrolments)
        .values("lesson_id")
        .annotate(
            done=Count("pk", filter=Q(completed_at__isnull=False)),
            in_progress=Count(
                "pk", filter=Q(completed_at__isnull=True, first_opened_at__isnull=False)
            ),
        )
        .order_by()
    }
    columns = []
    for lesson in lessons:
        counts = totals.get(lesson.pk, {})
        columns.append(Column(lesson, counts.get("done", 0), counts.get("in_progress", 0)))
    return columns


def fill_cells(course: Course, lessons: list[Lesson], rows: list[Row]) -> None:
    """Lay each row's lesson states into the grid: one query for the cells, and the rule engine's
    facts for all rows at once when the course has rules (at most five more)."""
    enrolled = {row.enrolment_id: row for row in rows if row.enrolment_id}
    states: dict[int, dict[int, str]] = defaultdict(dict)
    cells = LessonProgress.objects.filter(enrolment_id__in=list(enrolled)).values_list(
        "enrolment_id", "lesson_id", "completed_at", "first_opened_at"
    )
    for enrolment_id, lesson_id, completed_at, opened_at in cells.order_by():
        if completed_at is not None:
            states[enrolment_id][lesson_id] = DONE
        elif opened_at is not None:
            states[enrolment_id][lesson_id] = IN_PROGRESS
    gates = _gates(course, lessons, rows, states)
    by_id = {lesson.pk: lesson for lesson in lessons}
    for row in rows:
        own = states.get(row.enrolment_id, {})
        gate = gates.get(row.teacher_id)
        row.stuck_lesson = by_id.get(row.stuck_lesson_id)
        row.cells = [
            own.get(lesson.pk)
            or (LOCKED if gate is not None and not gate.lesson(lesson).open else NOT_STARTED)
            for lesson in lessons
        ]


def _gates(course, lessons, rows, states) -> dict[int, CourseGate]:
    """teacher id -> the course's gate with that teacher's facts; empty for a course with no
    rules (most courses: two queries and nothing else)."""
    by_lesson, by_module = conditions_of_course(course)
    if not by_lesson and not by_module:
        return {}
    kinds = {c.kind for rows_ in (*by_lesson.values(), *by_module.values()) for c in rows_}
    teacher_ids = [row.teacher_id for row in rows]
    quiz_marks: dict[int, dict] = defaultdict(dict)
    if Condition.Kind.QUIZ_PASSED in kinds:
        marks = (
            CompletionEvent.objects.filter(
                user_id__in=teacher_ids,
                lesson__module__course=course,
                evidence=Evidence.QUIZ_PASSED,
            )
            .values("user_id", "lesson_id")
            .annotate(best=Max("score"))
            .order_by()
        )
        for mark in marks:
            quiz_marks[mark["user_id"]][mark["lesson_id"]] = mark["best"]
    readiness = readiness_of_teachers(teacher_ids) if Condition.Kind.LEVELS in kinds else {}
    required: dict[int, set[int]] = defaultdict(set)
    for lesson in lessons:
        if lesson.required:
            required[lesson.module_id].add(lesson.pk)
    today = timezone.localdate()
    gates = {}
    for row in rows:
        completed = {k for k, v in states.get(row.enrolment_id, {}).items() if v == DONE}
        facts = Facts(
            completed_lessons=completed,
            completed_modules={m for m, ids in required.items() if ids <= completed},
            quiz_marks=quiz_marks.get(row.teacher_id, {}),
            readiness=readiness.get(row.teacher_id, Readiness()),
            today=today,
        )
        gates[row.teacher_id] = CourseGate(facts=facts, by_lesson=by_lesson, by_module=by_module)
    return gates


def readiness_of_teachers(teacher_ids: list[int]) -> dict[int, Readiness]:
    """Each teacher's level and level per area from their latest scored diagnosis (two queries,
    whatever the number of teachers)."""
    latest = (
        Response.objects.filter(teacher=OuterRef("pk"), status=Response.Status.SCORED)
        .order_by("-scored_at", "-pk")
        .values("pk")[:1]
    )
    latest_ids = (
        User.objects.filter(pk__in=teacher_ids).annotate(latest=Subquery(latest)).values("latest")
    )
    result, teacher_of = {}, {}
    for response_id, teacher_id, level_id in Response.objects.filter(pk__in=latest_ids).values_list(
        "pk", "teacher_id", "level_id"
    ):
        teacher_of[response_id] = teacher_id
        result[teacher_id] = Readiness(level_id=level_id)
    for response_id, area_id, level_id in AreaScore.objects.filter(
        response_id__in=list(teacher_of), part=AreaScore.Part.ALL
    ).values_list("response_id", "area_id", "level_id"):
        result[teacher_of[response_id]].area_levels[area_id] = level_id
    return result


# --- the three overviews -----------------------------------------------------------------------


def group_grid(group, course: Course) -> Grid:
    """Queries: lessons 1, members 1, column totals 1, cells 1, rules 2 (+ facts ≤ 3)."""
    lessons = course_lessons(course)
    rows = group_rows(group, course)
    columns = lesson_columns(lessons, [row.enrolment_id for row in rows if row.enrolment_id])
    fill_cells(course, lessons, rows)
    return Grid(course, columns, rows)


def course_grid(course: Course, teachers: Q, page_number) -> tuple[Grid, object]:
    """Queries: lessons 1, count and page 2, column totals over every enrolment 1, cells 1,
    rules 2 (+ facts ≤ 3)."""
    lessons = course_lessons(course)
    rows, page = course_rows(course, teachers, page_number)
    enrolments = Enrolment.objects.filter(course=course, user__in=User.objects.filter(teachers))
    columns = lesson_columns(lessons, enrolments.values("pk"))
    fill_cells(course, lessons, rows)
    return Grid(course, columns, rows), page


@dataclass
class SchoolRow:
    teacher_id: int
    name: str
    email: str
    courses: int
    completed: int
    mean_percent: int
    last_activity_at: datetime | None
    cells: list = field(default_factory=list)  # percent per column course, None if not enrolled


@dataclass
class SchoolOverview:
    courses: list[Course]  # the columns: the courses most taken at the school
    course_counts: dict[int, int]
    rows: list[SchoolRow]
    more_courses: int


def school_overview(school) -> SchoolOverview:
    """Teachers × courses with percent. Queries: the teachers 1, the courses taken (GROUP BY) 1,
    the columns' courses 1, each teacher's totals (conditional aggregation, GROUP BY) 1, the
    cells 1.

    The teachers' ids come first and every enrolment read is by them (`user_id IN (...)`, the
    (user, course) index): joined to the users by school instead, PostgreSQL hashed the school's
    teachers and scanned every enrolment of the region, twice (70 ms each with 100,000).
    """
    teachers = list(
        User.objects.teachers()
        .of_school(school)
        .order_by("full_name", "pk")
        .values_list("pk", "full_name", "email")
    )
    enrolments = Enrolment.objects.filter(user_id__in=[pk for pk, _name, _email in teachers])
    taken = list(
        enrolments.values("course_id")
        .annotate(teachers=Count("pk"))
        .order_by("-teachers", "course_id")
    )
    column_ids = [t["course_id"] for t in taken[:SCHOOL_COLUMNS]]
    by_id = Course.objects.only("pk", "title", "slug").in_bulk(column_ids)
    courses = [by_id[pk] for pk in column_ids if pk in by_id]
    totals = {
        user_id: (n, done, mean, last)
        for user_id, n, done, mean, last in enrolments.values("user_id")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(completed_at__isnull=False)),
            mean=Avg("percent", output_field=FloatField()),
            last=Max("last_activity_at"),
        )
        .order_by()
        .values_list("user_id", "n", "done", "mean", "last")
    }
    percents: dict[int, dict[int, int]] = defaultdict(dict)
    for user_id, course_id, percent in (
        enrolments.filter(course_id__in=column_ids)
        .order_by()
        .values_list("user_id", "course_id", "percent")
    ):
        percents[user_id][course_id] = percent
    rows = []
    for pk, name, email in teachers:
        n, done, mean, last = totals.get(pk, (0, 0, 0, None))
        cells = [percents[pk].get(c.pk) for c in courses]
        rows.append(SchoolRow(pk, name or email, email, n, done, round(mean or 0), last, cells))
    return SchoolOverview(
        courses=courses,
        course_counts={t["course_id"]: t["teachers"] for t in taken},
        rows=rows,
        more_courses=max(0, len(taken) - len(courses)),
    )


def school_enrolments(school):
    """Every enrolment of the school's teachers, for the export (one query)."""
    return (
        Enrolment.objects.filter(user__school=school, user__role=Role.TEACHER)
        .select_related("user", "course")
        .only(
            "percent",
            "lessons_done",
            "lessons_total",
            "completed_at",
            "last_activity_at",
            "user__full_name",
            "user__email",
            "course__title",
        )
        .order_by("user__full_name", "user_id", "course__title", "pk")
    )
