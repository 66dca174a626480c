"""What a teacher's result page shows, read from the scored rows in a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from diagnostics.models import AreaScore, Response, ScaleScore

# A self-rating this many percentage points above the test result in the same area is flagged.
OVERRATING_GAP = Decimal(25)
STRENGTHS_AND_GAPS = 2


def is_overrated(self_percent: Decimal | None, knowledge_percent: Decimal | None) -> bool:
    """Rated oneself far above what the test measured (the result page and school reports)."""
    if self_percent is None or knowledge_percent is None:
        return False
    return self_percent - knowledge_percent >= OVERRATING_GAP


@dataclass
class AreaResult:
    area: object
    percent: Decimal
    level: object
    self_percent: Decimal | None = None
    knowledge_percent: Decimal | None = None
    previous_percent: Decimal | None = None

    @property
    def overrated(self) -> bool:
        return is_overrated(self.self_percent, self.knowledge_percent)

    @property
    def change(self) -> Decimal | None:
        if self.previous_percent is None:
            return None
        return self.percent - self.previous_percent


@dataclass
class ResultView:
    response: Response
    areas: list[AreaResult] = field(default_factory=list)
    flags: list[ScaleScore] = field(default_factory=list)
    history: list[Response] = field(default_factory=list)
    # The latest earlier result of this instrument or its versions: the only one to compare with.
    compared_with: Response | None = None

    @property
    def strengths(self) -> list[AreaResult]:
        ranked = sorted(self.areas, key=lambda a: a.percent, reverse=True)
        return ranked[:STRENGTHS_AND_GAPS] if len(ranked) > STRENGTHS_AND_GAPS else []

    @property
    def gaps(self) -> list[AreaResult]:
        ranked = sorted(self.areas, key=lambda a: a.percent)
        return ranked[:STRENGTHS_AND_GAPS] if len(ranked) > STRENGTHS_AND_GAPS else []

    @property
    def has_both_parts(self) -> bool:
        return any(
            a.self_percent is not None and a.knowledge_percent is not None for a in self.areas
        )

    @property
    def overrated_areas(self) -> list[AreaResult]:
        return [a for a in self.areas if a.overrated]


def _area_results(scores: list[AreaScore]) -> list[AreaResult]:
    by_area: dict[int, AreaResult] = {}
    for score in scores:
        if score.part == AreaScore.Part.ALL:
            by_area[score.area_id] = AreaResult(score.area, score.percent, score.level)
    for score in scores:
        result = by_area.get(score.area_id)
        if result is None:
            continue
        if score.part == AreaScore.Part.SELF_ASSESSMENT:
            result.self_percent = score.percent
        elif score.part == AreaScore.Part.KNOWLEDGE:
            result.knowledge_percent = score.percent
    return sorted(by_area.values(), key=lambda r: (r.area.position, r.area.pk))


def result_view(response: Response) -> ResultView:
    scores = list(response.area_scores.select_related("area", "level").order_by("area__position"))
    view = ResultView(response=response, areas=_area_results(scores))
    view.flags = list(response.scale_scores.filter(flagged=True).select_related("scale"))
    view.history = list(
        Response.objects.scored()
        .filter(
            teacher_id=response.teacher_id,
            instrument__framework_id=response.instrument.framework_id,
        )
        .exclude(pk=response.pk)
        .filter(submitted_at__lt=response.submitted_at)
        .select_related("round", "level", "instrument")
        .prefetch_related(
            Prefetch(
                "area_scores",
                queryset=AreaScore.objects.filter(part=AreaScore.Part.ALL),
                to_attr="overall_areas",
            )
        )
        .order_by("-submitted_at")
    )
    view.compared_with = next(
        (r for r in view.history if r.instrument.is_version_of(response.instrument)), None
    )
    if view.compared_with:
        previous = {s.area_id: s.percent for s in view.compared_with.overall_areas}
        for area in view.areas:
            area.previous_percent = previous.get(area.area.pk)
    return view
