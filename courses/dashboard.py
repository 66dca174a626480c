"""The courses panel: the teacher's first card says what to do next, with one button."""

from django.utils.translation import gettext as _

from courses.models import Enrolment
from courses.pages import course_outline, next_lesson
from courses.paths import learning_path_for
from courses.readiness import readiness_of
from lms.dashboard import Panel
from lms.roles import Role

PANEL_PATH = 5


def next_step(user) -> dict:
    """The next lesson of the first unfinished course of the path (or of any enrolment)."""
    path = learning_path_for(user)
    enrolments = {
        e.course_id: e
        for e in Enrolment.objects.filter(user=user, course_id__in=[p.course_id for p in path])
    }
    entry = next(
        (p for p in path if not getattr(enrolments.get(p.course_id), "is_completed", False)),
        None,
    )
    course, enrolment = (entry.course, enrolments.get(entry.course_id)) if entry else (None, None)
    if course is None:
        # No path (not diagnosed yet): continue the course last worked on.
        enrolment = (
            Enrolment.objects.filter(user=user, completed_at__isnull=True)
            .select_related("course")
            .order_by("-last_activity_at", "-enrolled_at")
            .first()
        )
        course = enrolment.course if enrolment else None
    lesson = None
    if enrolment is not None:
        rows, _gate = course_outline(user, course, enrolment, readiness_of(user))
        lesson = next_lesson(rows, enrolment)
    return {
        "path": path[:PANEL_PATH],
        "next_course": course,
        "next_lesson": lesson,
        "reason": entry.get_reason_display() if entry else "",
    }


def panels_for(request) -> list[Panel]:
    if request.user.role != Role.TEACHER:
        return []
    # Order 1: before every other panel, this is the teacher's first card.
    return [Panel(_("What to do next"), "courses/_panel_teacher.html", next_step(request.user), 1)]
