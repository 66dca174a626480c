"""What the teacher pages show, gathered in a fixed number of queries (pinned in tests)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse

from courses.conditions import Verdict, course_gate
from courses.markdown import render_markdown
from courses.models import Course, Enrolment, Lesson, LessonResource, LessonVariant, Module
from courses.readiness import Readiness, readiness_of

OUTLINE_DEFERRED = ("body", "summary", "information_sources")


@dataclass
class LessonRow:
    lesson: Lesson
    verdict: Verdict
    completed: bool
    url: str = ""


_MARKER = 2_147_483_647


def lesson_urls():
    """pk -> the lesson page's URL, from one `reverse()` for a whole outline (a `reverse()` per
    lesson was about 15 % of a 100-lesson course page in cProfile)."""
    head, tail = reverse("courses:lesson", args=[_MARKER]).rsplit(str(_MARKER), 1)
    return lambda pk: f"{head}{pk}{tail}"


@dataclass
class ModuleRow:
    module: Module
    verdict: Verdict
    done: int
    total: int
    lessons: list[LessonRow] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def course_outline(user, course: Course, enrolment: Enrolment | None, readiness=None):
    """Modules with their lessons, each with its verdict and whether the teacher completed it."""
    gate = course_gate(user, course, enrolment, readiness)
    # The gate's facts counted them (lesson_states: for a visitor too, all zero).
    counts = gate.facts.module_counts
    # Titles and kinds only: the texts (every language's) are the lesson page's, and were
    # most of the bytes read for a course of 100 lessons.
    lessons = Lesson.objects.defer(*OUTLINE_DEFERRED).order_by("position", "pk")
    modules = list(
        Module.objects.filter(course=course)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("lessons", queryset=lessons))
    )
    url_of = lesson_urls()
    rows = []
    for module in modules:
        done, total = counts.get(module.pk, (0, 0))
        row = ModuleRow(module, gate.module(module.pk), done, total)
        for lesson in module.lessons.all():
            row.lessons.append(
                LessonRow(
                    lesson,
                    gate.lesson(lesson),
                    lesson.pk in gate.facts.completed_lessons,
                    url_of(lesson.pk),
                )
            )
        rows.append(row)
    return rows, gate


def next_lesson(rows: list[ModuleRow], enrolment: Enrolment | None) -> Lesson | None:
    """Where to continue: the first open lesson not completed after the last one opened,
    else the first open lesson not completed."""
    ordered = [lesson_row for row in rows for lesson_row in row.lessons]
    candidates = [r for r in ordered if r.verdict.open and not r.completed]
    if not candidates:
        return None
    if enrolment is not None and enrolment.last_lesson_id:
        ids = [r.lesson.pk for r in ordered]
        if enrolment.last_lesson_id in ids:
            last = ids.index(enrolment.last_lesson_id)
            last_row = ordered[last]
            if not last_row.completed and last_row.verdict.open:
                return last_row.lesson
            after = [r for r in candidates if ids.index(r.lesson.pk) > last]
            if after:
                return after[0].lesson
    return candidates[0].lesson


@dataclass
class LessonText:
    html: str
    level: object  # the Level shown, or None for the lesson's own text
    own_level_id: int | None
    variants: list[LessonVariant]


def lesson_text(lesson: Lesson, readiness: Readiness, chosen_level_id=None) -> LessonText:
    """The variant for the teacher's level in the lesson's area, or the one they chose."""
    variants = list(
        LessonVariant.objects.filter(lesson=lesson)
        .select_related("level")
        .order_by("level__position")
    )
    own = readiness.level_for_area(lesson.area_id)
    wanted = chosen_level_id or own
    shown = next((v for v in variants if v.level_id == wanted), None)
    return LessonText(
        html=render_markdown(shown.body if shown else lesson.body),
        level=shown.level if shown else None,
        own_level_id=own,
        variants=variants,
    )


def lesson_resources(lesson: Lesson):
    return list(
        LessonResource.objects.filter(lesson=lesson, resource__published=True)
        .select_related("resource")
        .defer("resource__extracted_text")
        .order_by("position", "pk")
    )


def readiness_for_page(user) -> Readiness:
    return readiness_of(user)
