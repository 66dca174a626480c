"""The library's panel on a teacher's dashboard: "For you" and the latest of their shelf."""

from django.utils.translation import gettext as _

from library.models import Bookmark
from library.recommend import recommend_for
from lms.dashboard import Panel
from lms.roles import Role

PANEL_RECOMMENDATIONS = 3
PANEL_SHELF = 3


def panels_for(request) -> list[Panel]:
    user = request.user
    if user.role != Role.TEACHER:
        return []
    recommendations = recommend_for(user, limit=PANEL_RECOMMENDATIONS)
    shelf = list(
        Bookmark.objects.filter(user=user, resource__published=True)
        .select_related("resource")
        .only("pk", "resource_id", "resource__title", "created_at")[:PANEL_SHELF]
    )
    return [
        Panel(
            _("Library: for you"),
            "library/_panel_teacher.html",
            {"recommendations": recommendations, "shelf": shelf},
            order=30,
        )
    ]
