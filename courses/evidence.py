"""Completed courses as evidence for the areas they develop, beside the diagnosed levels.

Both reads are one GROUP BY each; the result page and the head's report show them through
`CoursesConfig.result_panels` / `school_report_panels`.
"""

from django.db.models import Count

from courses.models import Course, Enrolment


def completed_courses_per_area(user) -> dict[int, list[Course]]:
    """area id -> the courses this teacher completed that develop it (one query)."""
    rows = (
        Course.areas.through.objects.filter(
            course__enrolments__user=user, course__enrolments__completed_at__isnull=False
        )
        .select_related("course")
        .order_by("area_id", "course__title")
    )
    result: dict[int, list[Course]] = {}
    for row in rows:
        result.setdefault(row.area_id, []).append(row.course)
    return result


def completed_courses_per_area_for_school(school, round_=None) -> dict[int, dict[str, int]]:
    """area id -> {"completions": courses completed, "teachers": teachers who completed one}.

    With a round, only teachers who took part in it count, so the numbers sit beside that
    round's levels. One GROUP BY query.
    """
    enrolments = Enrolment.objects.filter(
        user__school=school, completed_at__isnull=False, course__areas__isnull=False
    )
    if round_ is not None:
        enrolments = enrolments.filter(user__diagnostic_responses__round=round_)
    rows = (
        enrolments.values("course__areas")
        .annotate(completions=Count("pk", distinct=True), teachers=Count("user", distinct=True))
        .order_by()
    )
    return {
        row["course__areas"]: {"completions": row["completions"], "teachers": row["teachers"]}
        for row in rows
    }
