"""The ready course "ICT in the teacher's professional activity" in the demo region.

`seed_demo` loads courses/fixtures/ready_course.json through the course importer (the same path a
region's methodist takes), publishes it, and gives the demo teachers of each school realistic
progress: one finished the whole course, a few finished the first module, the others are part way
or have just begun. Safe to run twice: the course is found by its slug, and a teacher already
enrolled is left as they are.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from courses.exchange import course_import
from courses.models import Course, Enrolment, Lesson
from courses.models.choices import Evidence
from courses.paths import learning_path_build
from courses.services import enrolment_create, lesson_complete, lesson_open
from diagnostics.models import Framework
from lms.models import User

READY_COURSE = Path(__file__).resolve().parent / "fixtures" / "ready_course.json"
READY_SLUG = "ict-professional-activity"
# Per school, the first teachers' progress: "course" (all of it), "module" (the first module),
# or a number of lessons done in order; 0 is enrolled with the first lesson opened.
PROGRESS_PLAN = ["course", "module", "module", 9, 4, 2, 1, 0]


def ready_course() -> Course | None:
    """The ready course, imported and published if it is not here yet (None without its
    framework: the diagnostics demo brings it)."""
    existing = Course.objects.filter(slug=READY_SLUG).first()
    if existing is not None:
        return existing
    data = json.loads(READY_COURSE.read_text(encoding="utf-8"))
    if not Framework.objects.filter(code=data["framework"]).exists():
        return None
    return course_import(data, published=True)


def _complete(teacher, lesson: Lesson) -> None:
    lesson_open(user=teacher, lesson=lesson)
    if lesson.completion_rule == Evidence.QUIZ_PASSED:
        lesson_complete(
            user=teacher, lesson=lesson, evidence=Evidence.QUIZ_PASSED, score=Decimal(85),
            source_ref="demo",
        )  # fmt: skip
    else:
        lesson_complete(user=teacher, lesson=lesson, evidence=lesson.completion_rule)


def _lessons_for(plan, lessons: list[Lesson]) -> list[Lesson]:
    if plan == "course":
        return lessons
    if plan == "module":
        return [lesson for lesson in lessons if lesson.module_id == lessons[0].module_id]
    return lessons[:plan]


def seed_ready_course_demo() -> dict:
    course = ready_course()
    if course is None:
        return {}
    lessons = list(Lesson.objects.of_course(course).in_order().select_related("module"))
    enrolled = set(Enrolment.objects.filter(course=course).values_list("user_id", flat=True))
    teachers = User.objects.teachers().filter(school__isnull=False).order_by("school", "email")
    per_school: dict[int, list] = {}
    for teacher in teachers:
        per_school.setdefault(teacher.school_id, []).append(teacher)
    new = 0
    with transaction.atomic():
        for staff in per_school.values():
            for teacher, plan in zip(staff, PROGRESS_PLAN, strict=False):
                if teacher.pk in enrolled:
                    continue
                enrolment_create(user=teacher, course=course)
                lesson_open(user=teacher, lesson=lessons[0])
                for lesson in _lessons_for(plan, lessons):
                    _complete(teacher, lesson)
                learning_path_build(teacher=teacher)
                new += 1
    return {"course": course, "enrolments": new}
