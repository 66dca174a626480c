"""A teacher's diagnostic growth per area, across the rounds they were scored in.

Rounds compare only when they measure the same thing. Ustaz's growth report
(diagnostics.reports.growth) compares two rounds only when their instruments share a framework;
a portfolio goes further and keeps each instrument's line apart (its versions share a code), so a
knowledge test and a self-assessment on one framework never read as one series.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from diagnostics.models import AreaScore, Response
from diagnostics.reports.queries import SCORED, one_decimal


def comparable(earlier: Response, later: Response) -> bool:
    """Same framework, as the growth report asks, and the same instrument or one of its versions."""
    return (
        earlier.instrument.framework_id == later.instrument.framework_id
        and earlier.instrument.code == later.instrument.code
    )


@dataclass
class GrowthRow:
    response: Response
    cells: list  # percent per area, or None

    @property
    def round(self):
        return self.response.round


@dataclass
class GrowthSeries:
    """The rounds of one instrument line (oldest first), with a column per area."""

    title: str
    areas: list = field(default_factory=list)
    rows: list[GrowthRow] = field(default_factory=list)

    @property
    def change(self) -> list[Decimal | None]:
        if len(self.rows) < 2:
            return [None] * len(self.areas)
        first, last = self.rows[0].cells, self.rows[-1].cells
        return [
            one_decimal(b - a) if a is not None and b is not None else None
            for a, b in zip(first, last, strict=True)
        ]

    def chart(self) -> dict:
        return {
            "labels": [str(area.name) for area in self.areas],
            "datasets": [
                {
                    "label": str(row.round.title),
                    "values": [float(v) if v is not None else None for v in row.cells],
                }
                for row in self.rows
            ],
        }


def scored_responses(user) -> list[Response]:
    """The teacher's scored diagnoses, oldest first, with what the page shows of each (1 query)."""
    return list(
        Response.objects.filter(teacher=user, status=SCORED)
        .select_related("round", "instrument", "level")
        .order_by("scored_at", "pk")
    )


def growth_series(responses: list[Response]) -> list[GrowthSeries]:
    """One series per instrument line, newest line first (1 query for every area score)."""
    if not responses:
        return []
    scores = {}
    areas = {}
    for score in (
        AreaScore.objects.filter(response__in=[r.pk for r in responses], part=AreaScore.Part.ALL)
        .select_related("area")
        .order_by()
    ):
        scores[score.response_id, score.area_id] = one_decimal(score.percent)
        areas.setdefault(score.response_id, {})[score.area_id] = score.area
    lines: dict[tuple, list[Response]] = {}
    for response in responses:
        key = (response.instrument.framework_id, response.instrument.code)
        lines.setdefault(key, []).append(response)
    series = []
    for line in lines.values():
        line_areas = {}
        for response in line:
            line_areas.update(areas.get(response.pk, {}))
        ordered = sorted(line_areas.values(), key=lambda a: (a.position, a.pk))
        series.append(
            GrowthSeries(
                title=line[-1].instrument.title,
                areas=ordered,
                rows=[
                    GrowthRow(response, [scores.get((response.pk, a.pk)) for a in ordered])
                    for response in line
                ],
            )
        )
    series.sort(key=lambda s: (s.rows[-1].response.scored_at, s.rows[-1].response.pk), reverse=True)
    return series
