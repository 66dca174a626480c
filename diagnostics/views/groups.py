"""Study-group pages: one group (members, level, area profile, learning), and a round's groups.

Who sees what (docs/grouping.md): methodists and administrators every group; a school head the
groups of their school; a teacher only their own group. Individual scores on the group page are
shown to methodists only: a head reads aggregates, colleagues see each other's names.
"""

from django.core.paginator import Paginator
from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from diagnostics.access import group_for_user, round_for_groups, sees_individual_scores
from diagnostics.models import Area, AreaScore, GroupingRun, GroupMembership, StudyGroup
from lms.dashboard import app_panels
from lms.models import School
from lms.params import int_or_none
from lms.permissions import role_required
from lms.roles import Role

GROUPS_PER_PAGE = 50
EVERY_ROLE = (Role.TEACHER, Role.SCHOOL_HEAD, Role.METHODIST)


@role_required(*EVERY_ROLE)
def group(request, group_id):
    group = group_for_user(request.user, group_id)
    members = list(
        GroupMembership.objects.filter(group=group)
        .select_related("teacher__school", "response__level")
        .order_by("-is_mentor", "teacher__full_name", "pk")
    )
    profile = _area_profile(group)
    return render(
        request,
        "diagnostics/groups/group.html",
        {
            "group": group,
            "members": members,
            "learners": sum(1 for m in members if not m.is_mentor),
            "mentor_count": sum(1 for m in members if m.is_mentor),
            "my_membership": next((m for m in members if m.teacher_id == request.user.pk), None),
            "show_scores": sees_individual_scores(request.user),
            "profile": profile,
            # The group's courses and forum, from the apps that hold them (AppConfig hooks).
            "panels": app_panels("study_group_panels", request, group),
            "chart_data": {
                "labels": [row["area"].name for row in profile],
                "values": [row["average"] for row in profile],
                "label": _("Group average"),
            },
        },
    )


def _area_profile(group: StudyGroup) -> list[dict]:
    """The learners' average, lowest and highest score in each area (mentors left out)."""
    learners = GroupMembership.objects.filter(group=group, is_mentor=False).values("response_id")
    rows = {
        row["area_id"]: row
        for row in AreaScore.objects.filter(part=AreaScore.Part.ALL, response_id__in=learners)
        .values("area_id")
        .annotate(
            average=Avg("percent"), lowest=Min("percent"), highest=Max("percent"), count=Count("pk")
        )
        .order_by()
    }
    areas = Area.objects.filter(framework_id=group.round.instrument.framework_id)
    return [
        {
            "area": area,
            "average": round(float(rows[area.pk]["average"]), 1),
            "lowest": rows[area.pk]["lowest"],
            "highest": rows[area.pk]["highest"],
            "count": rows[area.pk]["count"],
            "is_weakest": area.pk == group.weakest_area_id,
        }
        for area in areas
        if area.pk in rows
    ]


@role_required(*EVERY_ROLE)
def round_groups(request, round_id):
    user = request.user
    round_ = round_for_groups(user, round_id)
    groups = (
        StudyGroup.objects.visible_to(user)
        .filter(round=round_)
        .select_related("level", "weakest_area", "school")
        .annotate(
            size=Count("memberships"),
            mentors=Count("memberships", filter=Q(memberships__is_mentor=True)),
        )
        .order_by("region", "district", "school__name", "level__position", "bucket", "number")
    )
    school = None
    school_id = int_or_none(request.GET.get("school"))
    if user.reads_every_school and school_id is not None:
        school = get_object_or_404(School, pk=school_id)
        from_school = GroupMembership.objects.filter(group=OuterRef("pk"), teacher__school=school)
        groups = groups.filter(Q(school=school) | Q(Exists(from_school)))
    elif user.role == Role.SCHOOL_HEAD:
        school = user.school
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    last_run = None
    if user.reads_every_school:
        last_run = (
            GroupingRun.objects.filter(round=round_)
            .defer("preview")
            .select_related("started_by")
            .order_by("-started_at", "-pk")
            .first()
        )
    return render(
        request,
        "diagnostics/groups/list.html",
        {
            "round": round_,
            "page": page,
            "school": school,
            "last_run": last_run,
            "manages": user.reads_every_school,
        },
    )
