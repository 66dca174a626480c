"""The diagnostics panel on each role's dashboard: what is open, what is done."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from diagnostics.models import Response, Round
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
    rounds = list(
        Round.objects.open_now()
        .for_school(user.school)
        .annotate(
            done=Count(
                "responses",
                filter=Q(responses__teacher__school=user.school)
                & ~Q(responses__status=Response.Status.DRAFT),
            )
        )
    )
    if not rounds:
        return []
    return [
        Panel(
            _("Open rounds of diagnosis"), "diagnostics/_panel_school.html", {"rounds": rounds}, 10
        )
    ]


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


def panels_for(request) -> list[Panel]:
    user = request.user
    if user.role == Role.TEACHER:
        return _teacher_panel(user)
    if user.role == Role.SCHOOL_HEAD:
        return _school_panel(user)
    return _methodist_panel()
