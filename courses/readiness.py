"""A teacher's readiness as the courses app reads it: their latest scored diagnosis."""

from dataclasses import dataclass, field

from diagnostics.models import AreaScore, Response


@dataclass
class Readiness:
    response: Response | None = None
    level_id: int | None = None
    # area id -> level id, and area ids from the weakest up (by percent over every part)
    area_levels: dict[int, int | None] = field(default_factory=dict)
    weakest_areas: list[int] = field(default_factory=list)

    def level_for_area(self, area_id: int | None) -> int | None:
        """The level in this area, or the overall level where the area was not measured."""
        if area_id is not None and self.area_levels.get(area_id):
            return self.area_levels[area_id]
        return self.level_id


def latest_scored_response(user) -> Response | None:
    return (
        Response.objects.filter(teacher=user, status=Response.Status.SCORED)
        .order_by("-scored_at", "-pk")
        .first()
    )


def readiness_of(user) -> Readiness:
    """Two queries: the latest scored response and its area scores."""
    if not user.is_authenticated:
        return Readiness()
    response = latest_scored_response(user)
    if response is None:
        return Readiness()
    scores = AreaScore.objects.filter(response=response, part=AreaScore.Part.ALL).order_by(
        "percent", "area__position", "area_id"
    )
    rows = list(scores.values_list("area_id", "level_id"))
    return Readiness(
        response=response,
        level_id=response.level_id,
        area_levels=dict(rows),
        weakest_areas=[area_id for area_id, _level in rows],
    )
