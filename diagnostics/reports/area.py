"""Region -> district -> school: one round's readiness over many schools, for methodists.

The page shows a scope (every region of the round, one region, or one district of it): its
totals, its level distribution and its area means against the scope above, then one row per
part (region, district or school) to drill into. A handful of GROUP BY queries whatever the
number of teachers; each row obeys the small-subgroup rule.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from diagnostics.models import Round
from diagnostics.reports import queries
from diagnostics.reports.privacy import distribution_shown, for_chart, shown
from diagnostics.reports.queries import one_decimal
from diagnostics.reports.school import LevelRow, area_mean_shown
from diagnostics.reports.tables import Table
from lms.models import School


@dataclass
class PartRow:
    """One region, district or school of the scope."""

    name: str
    region: str
    district: str
    school_id: int | None
    total: object
    diagnosed: object
    not_yet: object
    levels: list
    mean: object


@dataclass
class ScopeAreaRow:
    area: object
    scope: object  # mean of the scope shown, or HIDDEN / None
    parent: object  # mean of the scope above (None at the top)


@dataclass
class AreaReport:
    round: Round | None
    region: str = ""
    district: str = ""
    areas: list = field(default_factory=list)
    levels: list = field(default_factory=list)
    filter_description: str = ""
    total: object = 0
    diagnosed: object = 0
    not_yet: object = 0
    mean_percent: object = None
    level_rows: list[LevelRow] = field(default_factory=list)
    area_rows: list[ScopeAreaRow] = field(default_factory=list)
    parts: list[PartRow] = field(default_factory=list)

    @property
    def depth(self) -> str:
        if self.district:
            return "schools"
        return "districts" if self.region else "regions"

    @property
    def scope_name(self) -> str:
        return self.district or self.region or ""

    @property
    def part_heading(self) -> str:
        return {"regions": _("Region"), "districts": _("District"), "schools": _("School")}[
            self.depth
        ]

    @property
    def parent_label(self) -> str:
        return _("Region")

    def level_chart(self) -> dict:
        return {
            "labels": [row.level.name if row.level else _("No level") for row in self.level_rows],
            "datasets": [
                {"label": _("Teachers"), "values": [for_chart(r.teachers) for r in self.level_rows]}
            ],
        }

    def area_chart(self) -> dict:
        datasets = [
            {
                "label": self.scope_name or _("All regions"),
                "values": [for_chart(r.scope) for r in self.area_rows],
            }
        ]
        if self.district:
            datasets.append(
                {
                    "label": self.parent_label,
                    "values": [for_chart(r.parent) for r in self.area_rows],
                }
            )
        return {
            "labels": [row.area.name for row in self.area_rows],
            "percent": True,
            "datasets": datasets,
        }

    def tables(self) -> list[Table]:
        if self.round is None:
            return []
        level_names = [row.level.name if row.level else _("No level") for row in self.level_rows]
        return [
            Table(
                pgettext("report section", "Summary"),
                [_("Figure"), _("Value")],
                [
                    [_("Round"), self.round.title],
                    [_("Region"), self.region or _("All regions")],
                    [_("District"), self.district or _("All districts")],
                    [
                        pgettext("report filter", "Filter"),
                        self.filter_description or _("All teachers"),
                    ],
                    [_("Teachers"), self.total],
                    [_("Diagnosed"), self.diagnosed],
                    [_("Not diagnosed yet"), self.not_yet],
                    [_("Mean score, %"), self.mean_percent],
                ],
            ),
            Table(
                _("Areas"),
                [_("Area"), f"{self.scope_name or _('All regions')}, %"]
                + ([f"{self.parent_label}, %"] if self.district else []),
                [
                    [r.area.name, r.scope] + ([r.parent] if self.district else [])
                    for r in self.area_rows
                ],
            ),
            Table(
                self.part_heading,
                [self.part_heading, _("Teachers"), _("Diagnosed"), _("Not diagnosed yet")]
                + level_names
                + [_("Mean score, %")],
                [
                    [p.name, p.total, p.diagnosed, p.not_yet] + list(p.levels) + [p.mean]
                    for p in self.parts
                ],
            ),
        ]


BY = {"regions": "school__region", "districts": "school__district", "schools": "school_id"}


def area_report(*, round_: Round | None, region: str, district: str, form) -> AreaReport:
    report = AreaReport(round=round_, region=region, district=district if region else "")
    if round_ is None:
        return report
    report.areas, report.levels = queries.framework_of(round_)
    report.filter_description = form.description()
    filtered = form.teacher_filter() & Q(school__in=queries.schools_in_round(round_))
    scope = filtered
    if report.region:
        scope &= Q(school__region=report.region)
    if report.district:
        scope &= Q(school__district=report.district)
    by = BY[report.depth]

    rows = queries.headcount(round_, scope, by=by)
    level_ids = [level.pk for level in report.levels]
    if any(row["level_id"] is None and row["scored"] for row in rows):
        level_ids.append(None)
    levels_by_id = {level.pk: level for level in report.levels}

    # Per part: its rows by level (teachers, scored, percent sum).
    per_part: dict = {}
    for row in rows:
        per_part.setdefault(row["by"], {})[row["level_id"]] = row
    names = _school_names(per_part) if report.depth == "schools" else {}
    for key in sorted(per_part, key=lambda k: str(names.get(k, k))):
        report.parts.append(_part_row(key, per_part[key], level_ids, names, report))

    scope_counts = [
        sum(part.get(level_id, {}).get("scored", 0) for part in per_part.values())
        for level_id in level_ids
    ]
    diagnosed = sum(scope_counts)
    total = sum(row["teachers"] for row in rows)
    report.total = total
    report.diagnosed, report.not_yet = diagnosed, max(total - diagnosed, 0)
    report.level_rows = [
        LevelRow(levels_by_id.get(pk), cell)
        for pk, cell in zip(level_ids, distribution_shown(scope_counts), strict=True)
    ]
    if diagnosed:
        percent_sum = sum(row["percent_sum"] for part in per_part.values() for row in part.values())
        report.mean_percent = shown(one_decimal(percent_sum / diagnosed), diagnosed)
    report.area_rows = _area_rows(round_, report, filtered, scope)
    return report


def _school_names(per_part) -> dict:
    return dict(School.objects.filter(pk__in=list(per_part)).values_list("pk", "name"))


def _part_row(key, by_level, level_ids, names, report) -> PartRow:
    counts = [by_level.get(level_id, {}).get("scored", 0) for level_id in level_ids]
    diagnosed = sum(counts)
    total = sum(row["teachers"] for row in by_level.values())
    mean = None
    if diagnosed:
        percent_sum = sum(row["percent_sum"] for row in by_level.values())
        mean = shown(one_decimal(percent_sum / diagnosed), diagnosed)
    depth = report.depth
    return PartRow(
        name=names.get(key, key) if depth == "schools" else (key or _("(not given)")),
        region=key if depth == "regions" else report.region,
        district=key if depth == "districts" else report.district,
        school_id=key if depth == "schools" else None,
        total=total,
        diagnosed=diagnosed,
        not_yet=max(total - diagnosed, 0),
        levels=distribution_shown(counts),
        mean=mean,
    )


def _area_rows(round_, report, filtered, scope) -> list[ScopeAreaRow]:
    """Area means of the scope; a district's against its region's."""
    means = queries.area_means(round_, scope)
    parent = {}
    if report.district:
        parent = queries.area_means(round_, filtered & Q(school__region=report.region))
    return [
        ScopeAreaRow(
            area,
            area_mean_shown(means.get(area.pk)),
            area_mean_shown(parent.get(area.pk)) if report.district else None,
        )
        for area in report.areas
    ]
