"""What the forums show on other apps' pages: the dashboard panel and the portfolio section."""

from django.utils import timezone
from django.utils.translation import gettext as _

from forums.access import forums_visible_to
from forums.models import Registration, RoundTable
from lms.dashboard import Panel

PANEL_ROUND_TABLES = 5


def panels_for(request) -> list[Panel]:
    user = request.user
    upcoming = list(
        RoundTable.objects.filter(
            forum__in=forums_visible_to(user), starts_at__gte=timezone.now()
        ).only("pk", "title", "starts_at", "duration_minutes")[:PANEL_ROUND_TABLES]
    )
    if not upcoming:
        return []
    return [
        Panel(
            _("Upcoming round tables"),
            "forums/_panel_round_tables.html",
            {"round_tables": upcoming},
            order=40,
        )
    ]


def attended_round_tables(user) -> list[dict]:
    """Round tables the person attended, newest first, for the portfolio."""
    rows = (
        Registration.objects.filter(user=user, attended=True)
        .select_related("round_table")
        .order_by("-round_table__starts_at")
    )
    return [
        {
            "title": row.round_table.title,
            "date": row.round_table.starts_at,
            "url": row.round_table.get_absolute_url(),
        }
        for row in rows
    ]
