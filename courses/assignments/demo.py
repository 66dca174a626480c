"""A demo assignment on a practical lesson of a demo course, with a work waiting for review,
a returned one and an accepted one. Safe to run twice (skipped once the assignment exists)."""

from django.core.files.base import ContentFile
from django.db import transaction

from courses.assignments.models import Assignment, RubricRow
from courses.assignments.services import (
    assignment_save,
    draft_file_add,
    draft_save,
    submission_get_or_start,
    submission_review,
    submission_submit,
)
from courses.models import Lesson, LessonKind
from diagnostics.models import Level
from library.uploads import PDF
from lms.models import User
from lms.roles import Role

DEMO_COURSE = "demo-documents-first-steps"
INSTRUCTIONS = (
    "Үлгі бойынша өз пәніңізден бір сабақтың жоспарын мәтіндік редакторда жасаңыз: тақырып, "
    "мақсат, кезеңдер кестесі, әр кезеңге уақыт. Құжатты PDF немесе DOCX түрінде жүктеңіз, "
    "не мәтінді осында жазыңыз.\n\n"
    "*По образцу составьте в текстовом редакторе план урока по своему предмету: тема, цель, "
    "таблица этапов, время на каждый этап. Загрузите документ (PDF или DOCX) или напишите "
    "текст здесь.*"
)
# A one-page PDF (the file is checked by content like any teacher's upload).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _hand_in(assignment, teacher, text, with_file=False):
    submission = submission_get_or_start(assignment=assignment, author=teacher)
    draft_save(submission=submission, text=text)
    if with_file:
        upload = ContentFile(DEMO_PDF, name="sabaq-zhospary.pdf")
        draft_file_add(submission=submission, upload=upload, kind=PDF)
    submission_submit(submission=submission)
    return submission


def seed_assignments_demo() -> list[str]:
    lesson = (
        Lesson.objects.filter(module__course__slug=DEMO_COURSE, kind=LessonKind.PRACTICAL_WORK)
        .select_related("module__course", "area")
        .first()
    )
    methodist = User.objects.filter(role=Role.METHODIST).order_by("email").first()
    if lesson is None or methodist is None or Assignment.objects.filter(lesson=lesson).exists():
        return []
    levels = list(Level.objects.filter(framework=lesson.area.framework).order_by("position")[:2])
    teachers = list(
        User.objects.filter(
            role=Role.TEACHER, course_enrolments__course=lesson.module.course
        ).order_by("email")[:3]
    )
    with transaction.atomic():
        assignment = Assignment(lesson=lesson, instructions=INSTRUCTIONS, accepts_link=True)
        assignment_save(assignment=assignment, requested_by=methodist)
        rows = [
            RubricRow.objects.create(
                assignment=assignment, position=n, area=lesson.area, level=level, max_points=3
            )
            for n, level in enumerate(levels, start=1)
        ]
        rows.append(
            RubricRow.objects.create(
                assignment=assignment,
                position=len(rows) + 1,
                criterion="Кезеңдер кестесі толық, уақыт көрсетілген / "
                "Таблица этапов полная, время указано",
                max_points=2,
            )
        )
        full = {str(row.pk): row.max_points for row in rows}
        plans = [
            "Тақырып: Бөлшектер. Мақсат: ... Кезеңдер: 1) ұйымдастыру (3 мин) ...",
            "Тема: Дроби. Цель: ... Этапы: 1) организационный момент ...",
            "Тақырып: Абайдың өлеңдері. Мақсат: ... Кезеңдер кестесі қосымшада.",
        ]
        decisions = ["returned", "accepted", None]
        for teacher, plan, decision in zip(teachers, plans, decisions, strict=False):
            submission = _hand_in(assignment, teacher, plan, with_file=decision == "accepted")
            if decision == "returned":
                submission_review(
                    submission=submission,
                    reviewer=methodist,
                    decision=decision,
                    scores=dict.fromkeys(full, 1),
                    comment="Кезеңдерге уақыт қосыңыз. / Добавьте время на этапы.",
                )
            elif decision == "accepted":
                submission_review(
                    submission=submission,
                    reviewer=methodist,
                    decision=decision,
                    scores=full,
                    comment="Жақсы жоспар! / Хороший план!",
                )
    return [
        f"Assignments: one on “{lesson.title}” with {len(teachers)} works "
        "(returned, accepted, waiting for review)."
    ]
