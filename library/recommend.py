"""Recommendations ("For you"): resources for a teacher's weakest areas at their level, from
their latest diagnosis."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from diagnostics.models import AreaScore, Response
from library.models import Bookmark, Resource

WEAKEST_AREAS = 2


@dataclass
class Recommendations:
    response: Response | None = None
    weak_areas: list = field(default_factory=list)
    resources: list = field(default_factory=list)

    @property
    def diagnosed(self) -> bool:
        return self.response is not None


def latest_diagnosis(user) -> Response | None:
    return (
        Response.objects.scored()
        .filter(teacher=user)
        .select_related("level", "round")
        .order_by("-scored_at", "-pk")
        .first()
    )


def recommend_for(user, *, limit: int = 6) -> Recommendations:
    """Three queries: the latest scored response, its weakest areas, the resources."""
    response = latest_diagnosis(user)
    if response is None:
        return Recommendations()
    weak = list(
        AreaScore.objects.filter(response=response, part=AreaScore.Part.ALL)
        .select_related("area")
        .order_by("percent", "area__position", "area_id")[:WEAKEST_AREAS]
    )
    if not weak:
        return Recommendations(response=response)
    area_ids = [score.area_id for score in weak]
    levels = Resource.levels.through.objects.filter(resource_id=OuterRef("pk"))
    suits_level = ~Exists(levels)
    if response.level_id:
        suits_level |= Exists(levels.filter(level_id=response.level_id))
    on_shelf = Bookmark.objects.filter(user=user, resource_id=OuterRef("pk"))
    resources = (
        Resource.objects.published()
        .filter(suits_level, areas__in=area_ids)
        .exclude(Exists(on_shelf))
        # Resources for both weak areas first, then the newest.
        .annotate(weak_hits=Count("areas", filter=Q(areas__in=area_ids)))
        .for_cards()
        .order_by("-weak_hits", "-published_at", "-pk")[:limit]
    )
    return Recommendations(response=response, weak_areas=weak, resources=list(resources))
