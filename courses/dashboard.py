"""The courses panel: the teacher's first card says what to do next, with one button."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from courses.access import groups_for_overview
from courses.models import Enrolment
from courses.pages import course_outline, next_lesson
from courses.paths import learning_path_for
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
        # The teacher's readiness is read only if the course's rules ask for it.
        rows, _gate = course_outline(user, course, enrolment)
        lesson = next_lesson(rows, enrolment)
    return {
        "path": path[:PANEL_PATH],
        "next_course": course,
        "next_lesson": lesson,
        "reason": entry.get_reason_display() if entry else "",
    }


def head_summary(school) -> dict:
    """A head's card: their teachers' enrolments and completions (one query)."""
    summary = Enrolment.objects.filter(user__school=school, user__role=Role.TEACHER).aggregate(
        enrolments=Count("pk"),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
        teachers=Count("user", distinct=True),
    )
    return {"school": school, **summary}


def panels_for(request) -> list[Panel]:
    user = request.user
    if user.role == Role.SCHOOL_HEAD and user.school_id:
        return [
            Panel(
                _("Progress in courses"),
                "courses/_panel_head.html",
                head_summary(user.school),
                order=40,
            )
        ]
    if user.reads_every_school:
        return [Panel(_("Progress in courses"), "courses/_panel_methodist.html", {}, order=40)]
    if user.role != Role.TEACHER:
        return []
    panels = [
        # Order 1: before every other panel, this is the teacher's first card.
        Panel(_("What to do next"), "courses/_panel_teacher.html", next_step(user), 1)
    ]
    mentored = list(groups_for_overview(user).select_related("level", "weakest_area"))
    if mentored:
        panels.append(
            Panel(
                _("Your mentees' progress"),
                "courses/_panel_mentor.html",
                {"groups": mentored},
                order=40,
            )
        )
    return panels
