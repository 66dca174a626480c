"""The needs map: which courses to write next, from what teachers' diagnoses measured.

Each teacher counts once, in the cell of their weakest area and their level in that area, read
from their latest scored diagnosis (or their diagnosis in the chosen round). The weakest area is
the one the learning path and grouping use: the lowest overall percent, ties to the area that
comes first (`courses.readiness`, `diagnostics.grouping.store`). Beside each cell stand the
published courses that develop the area and suit the level (a course naming no level suits
every level); a cell with teachers and no course says which course to write next.

Fixed queries whatever the region's size: the counts are one GROUP BY (district, area, level).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery

from courses.models import Course
from diagnostics.models import Area, AreaScore, Framework, Level, Response, Round
from lms.roles import Role


@dataclass
class Cell:
    area: Area
    level: Level
    teachers: int = 0
    courses: list[Course] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return self.teachers > 0 and not self.courses


@dataclass
class NeedsMap:
    framework: Framework | None
    areas: list[Area]
    levels: list[Level]
    grid: list[list[Cell]]  # a row per area, a cell per level
    districts: list[str]  # the district rows of `by_district`
    by_district: list[tuple[str, list[int], int]]  # district, teachers per area, total
    gaps: list[Cell]  # cells with teachers and no course, most teachers first
    teachers: int = 0


def _diagnoses(round_id: int | None):
    """One scored response per teacher: the latest, or the latest in the chosen round."""
    scored = Response.objects.filter(
        status=Response.Status.SCORED, teacher__role=Role.TEACHER, teacher__is_active=True
    )
    if round_id:
        scored = scored.filter(round_id=round_id)
    latest = scored.filter(teacher=OuterRef("teacher")).order_by("-scored_at", "-pk").values("pk")
    return scored.filter(pk=Subquery(latest[:1]))


def weakest_counts(*, framework_id: int, round_id=None, district: str = "") -> list[dict]:
    """(district, area, level, teachers) rows: one GROUP BY over one response per teacher."""
    weakest = AreaScore.objects.filter(
        response=OuterRef("pk"), part=AreaScore.Part.ALL, area__framework_id=framework_id
    ).order_by("percent", "area__position", "area_id")
    responses = _diagnoses(round_id).filter(instrument__framework_id=framework_id)
    if district:
        responses = responses.filter(teacher__school__district=district)
    return list(
        responses.annotate(
            weakest_area=Subquery(weakest.values("area_id")[:1]),
            weakest_level=Subquery(weakest.values("level_id")[:1]),
        )
        .filter(weakest_area__isnull=False)
        .values("teacher__school__district", "weakest_area", "weakest_level", "level_id")
        .annotate(teachers=Count("pk"))
        .order_by()
    )


def serving_courses(framework_id: int) -> dict[tuple[int, int | None], list[Course]]:
    """(area, level) -> published courses; level None holds courses that suit every level.
    Three queries: the courses with their areas and levels prefetched."""
    courses = (
        Course.objects.published()
        .filter(areas__framework_id=framework_id)
        .distinct()
        .only("pk", "title", "slug")
        .prefetch_related("areas", "levels")
        .order_by("title", "pk")
    )
    serving = defaultdict(list)
    for course in courses:
        level_ids = [level.pk for level in course.levels.all()] or [None]
        for area in course.areas.all():
            for level_id in level_ids:
                serving[(area.pk, level_id)].append(course)
    return serving


def needs_map(*, framework: Framework | None, round_id=None, district: str = "") -> NeedsMap:
    if framework is None:
        return NeedsMap(None, [], [], [], [], [], [])
    areas = list(Area.objects.filter(framework=framework).order_by("position", "pk"))
    levels = list(Level.objects.filter(framework=framework).order_by("position", "pk"))
    counts = weakest_counts(framework_id=framework.pk, round_id=round_id, district=district)
    serving = serving_courses(framework.pk)
    per_cell: dict[tuple[int, int], int] = defaultdict(int)
    per_district: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in counts:
        # The level in the weakest area; the overall level where the area has none.
        level_id = row["weakest_level"] or row["level_id"]
        per_cell[(row["weakest_area"], level_id)] += row["teachers"]
        per_district[row["teacher__school__district"] or ""][row["weakest_area"]] += row["teachers"]
    grid = [
        [
            Cell(
                area,
                level,
                per_cell[(area.pk, level.pk)],
                serving[(area.pk, level.pk)] + serving[(area.pk, None)],
            )
            for level in levels
        ]
        for area in areas
    ]
    districts = sorted(per_district)
    by_district = [
        (
            name,
            [per_district[name][area.pk] for area in areas],
            sum(per_district[name].values()),
        )
        for name in districts
    ]
    gaps = sorted(
        (cell for row in grid for cell in row if cell.is_gap),
        key=lambda cell: (-cell.teachers, cell.area.position, cell.level.position),
    )
    return NeedsMap(
        framework=framework,
        areas=areas,
        levels=levels,
        grid=grid,
        districts=districts,
        by_district=by_district,
        gaps=gaps,
        teachers=sum(cell.teachers for row in grid for cell in row),
    )


def frameworks_and_rounds():
    """The filter's choices: frameworks and rounds, newest first (two queries)."""
    return (
        list(Framework.objects.order_by("pk")),
        list(Round.objects.select_related("instrument").order_by("-opens_at", "-pk")),
    )
