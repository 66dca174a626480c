"""Panels the courses app shows on diagnostics pages (the lead wires the AppConfig hooks in)."""

from django.utils.translation import gettext as _

from courses.evidence import completed_courses_per_area, completed_courses_per_area_for_school
from courses.models import Course
from diagnostics.models import Area
from lms.dashboard import Panel


def result_panels(request, response) -> list[Panel]:
    """The result page: for each area, the courses the teacher completed that develop it."""
    per_area = completed_courses_per_area(response.teacher)
    return [
        Panel(
            _("Courses completed per area"),
            "courses/_panel_result.html",
            {
                "per_area": per_area,
                "area_scores": list(
                    response.area_scores.filter(part="all").select_related("area", "level")
                ),
            },
            order=50,
        )
    ]


def school_report_panels(request, school, round_=None) -> list[Panel]:
    return [
        Panel(
            _("Courses completed per area"),
            "courses/_panel_school.html",
            {
                "per_area": completed_courses_per_area_for_school(school, round_),
                "areas": list(Area.objects.filter(courses__isnull=False).distinct()),
            },
            order=50,
        )
    ]


def study_group_panels(request, group) -> list[Panel]:
    """The courses a methodist gave the whole group (every member is enrolled in them)."""
    courses = list(
        Course.objects.filter(group_assignments__group=group).order_by("title", "pk").distinct()
    )
    if not courses:
        return []
    return [Panel(_("Group courses"), "courses/_panel_group.html", {"courses": courses}, order=50)]
