"""The diagnostics panel on each role's dashboard: what is open, what is done."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from diagnostics.models import GroupingRun, GroupMembership, Response, Round, StudyGroup
from lms.dashboard import Panel
from lms.roles import Role


def _teacher_panel(user) -> list[Panel]:
    rounds = list(Round.objects.open_now().for_teacher(user).select_related("instrument"))
    mine = {
        r.round_id: r
        for r in Response.objects.filter(teacher=user, round__in=rounds).only(
            "pk", "round_id", "status"
        )
    }
    earlier = (
        Response.objects.scored()
        .filter(teacher=user)
        .exclude(round__in=rounds)
        .select_related("round", "level")[:5]
    )
    if not rounds and not earlier:
        return []
    entries = [(round, mine.get(round.pk)) for round in rounds]
    return [
        Panel(
            _("Diagnosis"),
            "diagnostics/_panel_teacher.html",
            {"entries": entries, "earlier": list(earlier)},
            order=10,
        )
    ]


def _school_panel(user) -> list[Panel]:
    # Every round of the school, not only the open ones: the panel also leads to the readiness
    # reports, which heads read mostly after a round has closed.
    rounds = list(
        Round.objects.for_school(user.school).annotate(
            done=Count(
                "responses",
                filter=Q(responses__teacher__school=user.school)
                & ~Q(responses__status=Response.Status.DRAFT),
            )
        )
    )
    if not rounds:
        return []
    open_rounds = [round for round in rounds if round.is_open()]
    title = _("Open rounds of diagnosis") if open_rounds else _("Readiness reports")
    return [Panel(title, "diagnostics/_panel_school.html", {"rounds": open_rounds}, 10)]


def _methodist_panel() -> list[Panel]:
    rounds = list(
        Round.objects.select_related("instrument")
        .annotate(done=Count("responses", filter=~Q(responses__status=Response.Status.DRAFT)))
        .order_by("-opens_at")[:8]
    )
    if not rounds:
        return []
    return [
        Panel(_("Rounds of diagnosis"), "diagnostics/_panel_methodist.html", {"rounds": rounds}, 10)
    ]


def _teacher_group_panel(user) -> list[Panel]:
    membership = (
        GroupMembership.objects.filter(teacher=user)
        .select_related("group__level", "group__weakest_area", "round")
        .annotate(size=Count("group__memberships"))
        .order_by("-round__opens_at", "-pk")
        .first()
    )
    if membership is None:
        return []
    return [
        Panel(
            _("Your study group"),
            "diagnostics/groups/_panel_teacher.html",
            {"membership": membership},
            order=11,
        )
    ]


def _school_groups_panel(user) -> list[Panel]:
    rounds = list(
        StudyGroup.objects.visible_to(user)
        .values("round_id", "round__title")
        .annotate(
            groups=Count("pk", distinct=True),
            # District groups also hold other schools' teachers: count this school's only.
            teachers=Count("memberships", filter=Q(memberships__teacher__school_id=user.school_id)),
        )
        .order_by("-round__opens_at", "-round_id")[:3]
    )
    if not rounds:
        return []
    return [
        Panel(_("Study groups"), "diagnostics/groups/_panel_school.html", {"rounds": rounds}, 11)
    ]


def _methodist_groups_panel() -> list[Panel]:
    runs = list(
        GroupingRun.objects.select_related("round", "started_by")
        .defer("preview")
        .order_by("-started_at", "-pk")[:5]
    )
    if not runs:
        return []
    return [Panel(_("Grouping"), "diagnostics/groups/_panel_methodist.html", {"runs": runs}, 11)]


def panels_for(request) -> list[Panel]:
    user = request.user
    if user.role == Role.TEACHER:
        return _teacher_panel(user) + _teacher_group_panel(user)
    if user.role == Role.SCHOOL_HEAD:
        return _school_panel(user) + _school_groups_panel(user)
    return _methodist_panel() + _methodist_groups_panel()
