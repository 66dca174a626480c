"""Demo portfolios: a few demo teachers with courses completed over the past months (so they hold
certificates and a trajectory), reflections in Kazakh and Russian, stored stages and one share
link. Built through the same paths as real use: completion events, then the progress recompute
(which issues the certificates). Safe to run twice."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from courses.demo import DEMO_COURSES
from courses.models import CompletionEvent, Course, Enrolment, Lesson
from courses.portfolio.models import Reflection
from courses.portfolio.services import reflection_save, share_link_create, stages_refresh
from courses.progress import enrolment_recompute
from courses.services import enrolment_create
from diagnostics.models import Response
from lms.roles import Role

REFLECTIONS = [
    (
        "kk",
        "Курстан кейін сабақта презентацияны жиі қолданамын: оқушылар тақырыпты тезірек "
        "түсінеді, ал мен дайындыққа аз уақыт жұмсаймын.",
    ),
    (
        "ru",
        "После курса я веду с классом общий документ: ученики правят текст вместе, и я вижу, "
        "кто где затрудняется.",
    ),
    (
        "kk",
        "Диагностикадан кейін интернет қауіпсіздігі бойынша әлсіз екенімді көрдім; енді "
        "оқушылармен бірге құпиясөз ережелерін талқылаймын.",
    ),
]


def _complete_course(teacher, course: Course, when) -> None:
    """Evidence for every lesson of the course on one day in the past, then the recompute."""
    enrolment = enrolment_create(user=teacher, course=course)
    lessons = list(Lesson.objects.of_course(course).in_order())
    CompletionEvent.objects.bulk_create(
        CompletionEvent(
            user=teacher,
            lesson=lesson,
            evidence=lesson.completion_rule,
            score=100 if lesson.completion_rule != "marked_done" else None,
            source_ref="demo",
            occurred_at=when + timedelta(minutes=index),
        )
        for index, lesson in enumerate(lessons)
    )
    enrolment_recompute(enrolment=enrolment)


def seed_portfolio_demo() -> list[str]:
    courses = list(Course.objects.filter(slug__in=[spec["slug"] for spec in DEMO_COURSES]))
    scored = (
        Response.objects.filter(
            status=Response.Status.SCORED,
            teacher__role=Role.TEACHER,
            teacher__email__endswith="@demo.ustaz.kz",
        )
        .select_related("teacher", "level")
        .order_by("-level__position", "teacher__email")
    )
    teachers = []
    for response in scored:
        if response.teacher not in teachers:
            teachers.append(response.teacher)
        if len(teachers) == 6:
            break
    if not courses or not teachers:
        return []
    already = Reflection.objects.filter(user__in=teachers).exists()
    now = timezone.now()
    with transaction.atomic():
        if not already:
            for index, teacher in enumerate(teachers):
                # The first three complete every demo course, the others fewer.
                count = len(courses) if index < 3 else 1 + index % 2
                for number, course in enumerate(courses[:count]):
                    when = now - timedelta(days=200 - 60 * number - index)
                    if not Enrolment.objects.filter(
                        user=teacher, course=course, completed_at__isnull=False
                    ).exists():
                        _complete_course(teacher, course, when)
                for number, (_language, text) in enumerate(REFLECTIONS[: 1 + index % 3]):
                    reflection = reflection_save(
                        user=teacher, text=text, course=courses[number % len(courses)]
                    )
                    Reflection.objects.filter(pk=reflection.pk).update(
                        created_at=now - timedelta(days=150 - 40 * number)
                    )
            share_link_create(
                user=teachers[0],
                sections=["stage", "courses", "certificates", "growth", "reflections"],
            )
    all_demo = list(
        Response.objects.filter(teacher__email__endswith="@demo.ustaz.kz")
        .values_list("teacher_id", flat=True)
        .distinct()
    )
    stages_refresh(user_ids=all_demo)
    return [
        f"Portfolio: {len(teachers)} demo teachers with completed courses, certificates and "
        f"reflections; stages stored for {len(all_demo)} teachers."
    ]
