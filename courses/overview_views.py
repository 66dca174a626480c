"""Pages where methodists, mentors and heads watch progress; each fetches through courses.access.

Every page takes `?format=csv` or `?format=xlsx` for a formula-safe download of what it shows.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from courses import access
from courses.models import Course, GroupCourseAssignment
from courses.overview import (
    DONE,
    IN_PROGRESS,
    LOCKED,
    NOT_STARTED,
    course_grid,
    group_grid,
    school_overview,
)
from courses.overview_exports import course_table, download, group_table, school_table
from lms.models import School
from lms.params import int_or_none, without_nul

ASSIGNMENTS_SHOWN = 50


def cell_labels() -> dict[str, str]:
    return {
        DONE: _("Done"),
        IN_PROGRESS: _("In progress"),
        LOCKED: _("Locked"),
        NOT_STARTED: _("Not started"),
    }


CELL_SYMBOLS = {DONE: "✓", IN_PROGRESS: "◐", LOCKED: "🔒", NOT_STARTED: "·"}


def _rendered_cells(rows) -> None:
    """A row's cells as one HTML string: 3,000 cells through the template language would cost
    more than every query of the page (each label is escaped once, here)."""
    html = {
        state: format_html(
            '<td class="ov-cell ov-{}" title="{}"><span aria-hidden="true">{}</span>'
            '<span class="visually-hidden">{}</span></td>',
            state.replace("_", "-"),
            label,
            CELL_SYMBOLS[state],
            label,
        )
        for state, label in cell_labels().items()
    }
    for row in rows:
        row.cells_html = mark_safe("".join(html[state] for state in row.cells))  # noqa: S308


def _wants(request) -> str | None:
    wanted = request.GET.get("format")
    return wanted if wanted in ("csv", "xlsx") else None


@login_required
def overview_index(request):
    """Methodists: courses, study groups and schools; a mentor: the groups they mentor."""
    user = request.user
    groups = access.groups_for_overview(user)
    reads_all = access.reads_every_overview(user)
    if not reads_all and not groups.exists():
        raise Http404
    if reads_all and (school_id := int_or_none(request.GET.get("school"))):
        return redirect("courses:overview-school", school_id=school_id)
    context = {"reads_all": reads_all}
    if reads_all:
        context["courses"] = list(
            Course.objects.annotate(
                n_enrolled=Count("enrolments"),
                n_completed=Count("enrolments", filter=Q(enrolments__completed_at__isnull=False)),
            ).order_by("-published", "title", "pk")
        )
        context["assignments"] = list(
            GroupCourseAssignment.objects.select_related("group__level", "course").order_by(
                "-assigned_at", "-pk"
            )[:ASSIGNMENTS_SHOWN]
        )
        context["schools"] = list(School.objects.only("pk", "name", "district").order_by("name"))
    else:
        context["groups"] = list(groups.select_related("level", "round").order_by("-created_at"))
    return render(request, "courses/overview/index.html", context)


@login_required
def group_overview(request, group_id):
    """The courses a group's members take: assigned ones first, then by members enrolled."""
    group = access.group_for_overview(request.user, group_id)
    assigned = set(group.course_assignments.values_list("course_id", flat=True))
    courses = list(
        Course.objects.filter(
            Q(pk__in=assigned) | Q(enrolments__user__group_memberships__group=group)
        )
        .annotate(
            n_members=Count(
                "enrolments",
                filter=Q(enrolments__user__group_memberships__group=group),
                distinct=True,
            )
        )
        .order_by("-n_members", "title", "pk")
    )
    for course in courses:
        course.is_assigned = course.pk in assigned
    courses.sort(key=lambda c: not c.is_assigned)
    return render(request, "courses/overview/group.html", {"group": group, "courses": courses})


@login_required
def group_course_overview(request, group_id, slug):
    """A study group × the lessons of one course. Queries: session and user 2, group 1,
    course 1, then `group_grid` (lessons, members, column totals, cells, rules 2; ≤ 3 more
    for the facts of a course with rules)."""
    group = access.group_for_overview(request.user, group_id)
    course = _course_of_group(group, slug)
    grid = group_grid(group, course)
    if wanted := _wants(request):
        return download(group_table(group, grid), wanted, f"progress-group-{group.pk}")
    _rendered_cells(grid.rows)
    return render(
        request,
        "courses/overview/grid.html",
        {"group": group, "course": course, "grid": grid, "labels": cell_labels()},
    )


def _course_of_group(group, slug) -> Course:
    # Any course: a group's members may take courses nobody assigned them.
    return get_object_or_404(Course, slug=slug)


@login_required
def course_overview(request, slug):
    """Every enrolment of a course, 50 teachers a page, filtered by school or district.
    Queries: session and user 2, course 1, districts 1, then `course_grid` (lessons, count,
    page, column totals, cells, rules 2; ≤ 3 more with rules)."""
    course = access.course_for_overview(request.user, slug)
    school_id = int_or_none(request.GET.get("school"))
    district = without_nul(request.GET.get("district", ""))
    teachers = Q()
    if school_id:
        teachers &= Q(school_id=school_id)
    if district:
        teachers &= Q(school__district=district)
    districts = list(
        School.objects.filter(staff__course_enrolments__course=course)
        .values_list("district", flat=True)
        .distinct()
        .order_by("district")
    )
    if wanted := _wants(request):
        return download(course_table(course, teachers), wanted, f"progress-{course.slug}")
    grid, page = course_grid(course, teachers, request.GET.get("page"))
    _rendered_cells(grid.rows)
    return render(
        request,
        "courses/overview/grid.html",
        {
            "course": course,
            "grid": grid,
            "page": page,
            "labels": cell_labels(),
            "districts": districts,
            "chosen": {"district": district, "school": school_id},
            "filter_query": urlencode({"district": district}) if district else "",
        },
    )


@login_required
def school_course_overview(request, school_id):
    """A school's teachers × the courses they take. Queries: session and user 2, school 1,
    then `school_overview` 5."""
    school = access.school_for_overview(request.user, school_id)
    if wanted := _wants(request):
        return download(school_table(school), wanted, f"progress-school-{school.pk}")
    overview = school_overview(school)
    for row in overview.rows:
        # As in the grid: 300 teachers × 15 courses through the template language cost more
        # than the queries.
        row.cells_html = format_html_join(
            "",
            '<td class="text-end">{}</td>',
            (("·" if percent is None else percent,) for percent in row.cells),
        )
    return render(request, "courses/overview/school.html", {"school": school, "overview": overview})
