"""One school's report for one round: who is diagnosed, levels, areas, groups, each teacher."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import FilteredRelation, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from diagnostics import access
from diagnostics.models import AreaScore, Level, Round, ScaleScore
from diagnostics.reports import queries
from diagnostics.reports.privacy import (
    HIDDEN,
    MIN_SUBGROUP,
    count_shown,
    distribution_shown,
    enough,
    for_chart,
    is_hidden,
    shown,
)
from diagnostics.reports.queries import SCORED, one_decimal
from diagnostics.reports.tables import Table
from diagnostics.taking.results import is_overrated
from lms.models import School

# An area below this percent puts the teacher on the attention list (documented in
# docs/reports.md); the teacher's own lowest area is marked in the teachers' table either way.
LOW_AREA_PERCENT = Decimal(40)


@dataclass
class LevelRow:
    level: Level | None
    teachers: object  # int or HIDDEN


@dataclass
class AreaRow:
    area: object
    school: object  # Decimal, HIDDEN or None (nobody scored)
    district: object
    region: object


@dataclass
class GroupRow:
    group_id: int
    name: str
    level: Level | None
    teachers: object


@dataclass
class TeacherRow:
    name: str
    subject: str
    years: int | None
    percent: Decimal | None
    level: Level | None
    areas: list  # percent per area of the report, None when not scored
    lowest_area_index: int | None = None
    flags: list = field(default_factory=list)  # AttitudeScale
    overrated: list = field(default_factory=list)  # (area, self %, test %)
    group: str = ""

    @property
    def diagnosed(self) -> bool:
        return self.percent is not None

    def area_cells(self):
        return [(percent, i == self.lowest_area_index) for i, percent in enumerate(self.areas)]


@dataclass
class AttentionRow:
    name: str
    reasons: list[str]


@dataclass
class FlagCount:
    """How many teachers an attitude scale flags: the figure a head reads, never who."""

    scale: object
    teachers: object  # int or HIDDEN


@dataclass
class SchoolReport:
    school: School
    round: Round | None
    # What the reader may see of individuals (diagnostics/access.py decides, per instrument).
    shows_each_teacher: bool = True
    names_flagged: bool = False
    flag_counts: list[FlagCount] = field(default_factory=list)
    areas: list = field(default_factory=list)
    levels: list = field(default_factory=list)
    filter_description: str = ""
    total: object = 0
    diagnosed: object = 0
    not_yet: object = 0
    mean_percent: object = None
    level_rows: list[LevelRow] = field(default_factory=list)
    area_rows: list[AreaRow] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    teachers: list[TeacherRow] = field(default_factory=list)
    attention: list[AttentionRow] = field(default_factory=list)
    # A filter left fewer than MIN_SUBGROUP teachers: nothing about them is shown.
    too_small: bool = False

    def level_chart(self) -> dict:
        return {
            "labels": [row.level.name if row.level else _("No level") for row in self.level_rows],
            "datasets": [
                {"label": _("Teachers"), "values": [for_chart(r.teachers) for r in self.level_rows]}
            ],
        }

    def area_chart(self) -> dict:
        return {
            "labels": [row.area.name for row in self.area_rows],
            "percent": True,
            "datasets": [
                {"label": _("School"), "values": [for_chart(r.school) for r in self.area_rows]},
                {"label": _("District"), "values": [for_chart(r.district) for r in self.area_rows]},
                {"label": _("Region"), "values": [for_chart(r.region) for r in self.area_rows]},
            ],
        }

    def tables(self) -> list[Table]:
        summary = Table(
            pgettext("report section", "Summary"),
            [_("Figure"), _("Value")],
            [
                [_("School"), self.school.name],
                [_("Round"), self.round.title if self.round else ""],
                [pgettext("report filter", "Filter"), self.filter_description or _("All teachers")],
                [_("Teachers"), self.total],
                [_("Diagnosed"), self.diagnosed],
                [_("Not diagnosed yet"), self.not_yet],
                [_("Mean score, %"), self.mean_percent],
            ],
        )
        levels = Table(
            _("Levels"),
            [_("Level"), _("Teachers")],
            [[r.level.name if r.level else _("No level"), r.teachers] for r in self.level_rows],
        )
        areas = Table(
            _("Areas"),
            [_("Area"), _("School, %"), _("District, %"), _("Region, %")],
            [[r.area.name, r.school, r.district, r.region] for r in self.area_rows],
        )
        groups = Table(
            _("Groups"),
            [_("Group"), _("Level"), _("Teachers")],
            [[g.name, g.level.name if g.level else "", g.teachers] for g in self.groups],
        )
        flagged = Table(
            _("Attitude flags"),
            [_("Attitude scale"), _("Teachers flagged")],
            [[row.scale.name, row.teachers] for row in self.flag_counts],
        )
        tables = [summary, levels, areas, groups, flagged]
        if not self.too_small and self.shows_each_teacher:
            tables.append(
                Table(
                    _("Teachers"),
                    [_("Teacher"), _("Subject"), _("Years of teaching"), _("Score, %")]
                    + [_("Level"), _("Group")]
                    + [f"{area.name}, %" for area in self.areas],
                    [
                        [t.name, t.subject, t.years, t.percent]
                        + [t.level.name if t.level else "", t.group]
                        + list(t.areas)
                        for t in self.teachers
                    ],
                )
            )
        if not self.too_small:
            tables.append(
                Table(
                    _("Needs attention"),
                    [_("Teacher"), _("Why")],
                    [[row.name, "; ".join(row.reasons)] for row in self.attention],
                )
            )
        return tables


def school_report(*, school: School, round_: Round | None, form, reader) -> SchoolReport:
    report = SchoolReport(school=school, round=round_)
    if round_ is None:
        return report
    report.shows_each_teacher = access.sees_each_teacher(reader, round_.instrument)
    report.names_flagged = access.sees_who_is_flagged(reader)
    report.areas, report.levels = queries.framework_of(round_)
    filtered = form.teacher_filter()
    teachers = Q(school=school) & filtered
    report.filter_description = form.description()

    rows = queries.headcount(round_, teachers)
    total = sum(row["teachers"] for row in rows)
    by_level = {row["level_id"]: row for row in rows if row["scored"]}
    diagnosed = sum(row["scored"] for row in by_level.values())
    report.too_small = form.is_filtered and not enough(total)
    # Who has taken the round is participation, not a result: shown, unless a filter left so
    # few teachers that nothing about them is shown.
    if report.too_small:
        report.total = report.diagnosed = report.not_yet = HIDDEN
    else:
        report.total, report.diagnosed, report.not_yet = total, diagnosed, total - diagnosed
    if diagnosed:
        percent_sum = sum(row["percent_sum"] for row in by_level.values())
        report.mean_percent = shown(one_decimal(percent_sum / diagnosed), diagnosed)

    level_ids = [level.pk for level in report.levels]
    if None in by_level:
        level_ids.append(None)
    levels_by_id = {level.pk: level for level in report.levels}
    counts = [by_level.get(pk, {}).get("scored", 0) for pk in level_ids]
    report.level_rows = [
        LevelRow(levels_by_id.get(pk), cell)
        for pk, cell in zip(level_ids, distribution_shown(counts), strict=True)
    ]

    # The district and region are compared on the same kind of teachers (the same filter).
    school_means = queries.area_means(round_, teachers)
    district_means = queries.area_means(
        round_, filtered & Q(school__region=school.region, school__district=school.district)
    )
    region_means = queries.area_means(round_, filtered & Q(school__region=school.region))
    report.area_rows = [
        comparison_row(
            area,
            school_means.get(area.pk),
            district_means.get(area.pk),
            region_means.get(area.pk),
        )
        for area in report.areas
    ]

    group_rows = queries.group_sizes(round_, teachers)
    report.groups = [
        GroupRow(
            row["group_id"],
            row["group__name"],
            levels_by_id.get(row["group__level_id"]),
            distribution_shown([row["teachers"]], total_public=False)[0],
        )
        for row in group_rows
    ]
    if not report.too_small:
        group_names = {row["group_id"]: row["group__name"] for row in group_rows}
        rows = _teacher_rows(round_, teachers, report, levels_by_id, group_names)
        report.flag_counts = _flag_counts(rows)
        report.attention = _attention(rows, report)
        if report.shows_each_teacher:
            report.teachers = rows
    return report


def _flag_counts(rows: list[TeacherRow]) -> list[FlagCount]:
    """Teachers flagged per attitude scale; 1 to 4 reads "fewer than 5", like any head count."""
    counts: dict = defaultdict(int)
    for row in rows:
        for scale in row.flags:
            counts[scale] += 1
    return [
        FlagCount(scale, count_shown(n))
        for scale, n in sorted(counts.items(), key=lambda i: i[0].pk)
    ]


def comparison_row(area, school: dict | None, district: dict | None, region: dict | None):
    """An area's mean for the school, its district and its region.

    A reader knows their own teachers' percents, so a district (region) mean over the school's
    teachers and fewer than MIN_SUBGROUP others gives the others away by subtraction: it is
    hidden. Likewise the region beside the district: region minus district must be 0 or at
    least MIN_SUBGROUP teachers, or the region is hidden.
    """

    def teachers(row):
        return row["teachers"] if row else 0

    own = teachers(school)
    district_cell = area_mean_shown(district)
    if district_cell is not None and not enough(teachers(district) - own):
        district_cell = HIDDEN
    region_cell = area_mean_shown(region)
    beyond_district = teachers(region) - teachers(district)
    if region_cell is not None and (
        not enough(teachers(region) - own)
        or (not is_hidden(district_cell) and 0 < beyond_district < MIN_SUBGROUP)
    ):
        region_cell = HIDDEN
    return AreaRow(area, area_mean_shown(school), district_cell, region_cell)


def area_mean_shown(row: dict | None):
    """An area mean: None if nobody has a score there, HIDDEN over fewer than five."""
    if row is None or not row["teachers"]:
        return None
    return shown(one_decimal(row["mean"]), row["teachers"])


def _teacher_rows(round_, teachers, report, levels_by_id, group_names) -> list[TeacherRow]:
    people = (
        queries.report_teachers(round_, teachers)
        .annotate(
            result=FilteredRelation(
                "diagnostic_responses",
                condition=Q(
                    diagnostic_responses__round=round_, diagnostic_responses__status=SCORED
                ),
            ),
            membership=FilteredRelation(
                "group_memberships", condition=Q(group_memberships__round=round_)
            ),
        )
        .values(
            "pk",
            "full_name",
            "subject",
            "years_of_teaching",
            "result__percent",
            "result__level_id",
            "membership__group_id",
        )
        .order_by("full_name", "pk")
    )
    scores = defaultdict(dict)  # teacher -> (area, part) -> percent
    for row in (
        AreaScore.objects.filter(
            queries.with_prefix(teachers, "response__teacher__"),
            response__round=round_,
            response__status=SCORED,
        )
        .values_list("response__teacher_id", "area_id", "part", "percent")
        .order_by()
    ):
        scores[row[0]][row[1], row[2]] = row[3]
    flags = defaultdict(list)
    for score in (
        ScaleScore.objects.filter(
            queries.with_prefix(teachers, "response__teacher__"),
            response__round=round_,
            response__status=SCORED,
            flagged=True,
        )
        .select_related("scale", "response")
        .order_by("scale__pk")
    ):
        flags[score.response.teacher_id].append(score.scale)

    rows = []
    for person in people:
        mine = scores.get(person["pk"], {})
        percents = [mine.get((area.pk, AreaScore.Part.ALL)) for area in report.areas]
        present = [(p, i) for i, p in enumerate(percents) if p is not None]
        rows.append(
            TeacherRow(
                name=person["full_name"],
                subject=person["subject"],
                years=person["years_of_teaching"],
                percent=one_decimal(person["result__percent"]),
                level=levels_by_id.get(person["result__level_id"]),
                areas=[one_decimal(p) for p in percents],
                lowest_area_index=min(present)[1] if len(present) > 1 else None,
                flags=flags.get(person["pk"], []),
                overrated=[
                    (area, mine[area.pk, "self_assessment"], mine[area.pk, "knowledge"])
                    for area in report.areas
                    if is_overrated(
                        mine.get((area.pk, AreaScore.Part.SELF_ASSESSMENT)),
                        mine.get((area.pk, AreaScore.Part.KNOWLEDGE)),
                    )
                ],
                group=group_names.get(person["membership__group_id"], ""),
            )
        )
    return rows


def _attention(teachers: list[TeacherRow], report: SchoolReport) -> list[AttentionRow]:
    """Who a head should talk to first, and why, in words.

    Attitude flags name a teacher only for readers who offer support (methodists); a head reads
    how many (report.flag_counts). Without per-teacher figures (the instrument's setting) a head
    reads only who has not taken the round yet.
    """
    concerns, undiagnosed = [], []
    for teacher in teachers:
        if not teacher.diagnosed:
            undiagnosed.append(AttentionRow(teacher.name, [_("Not diagnosed yet")]))
            continue
        reasons = [scale.name for scale in teacher.flags] if report.names_flagged else []
        if not report.shows_each_teacher:
            if reasons:
                concerns.append(AttentionRow(teacher.name, reasons))
            continue
        areas = report.areas
        low = [
            f"{area.name} ({percent:.0f}%)"
            for area, percent in zip(areas, teacher.areas, strict=True)
            if percent is not None and percent < LOW_AREA_PERCENT
        ]
        if low:
            reasons.append(_("Low areas: %(areas)s") % {"areas": ", ".join(low)})
        if teacher.overrated:
            reasons.append(
                _("Rates themselves far above the test in: %(areas)s")
                % {
                    "areas": ", ".join(
                        _("%(area)s (self %(self)s%%, test %(test)s%%)")
                        % {"area": a.name, "self": f"{s:.0f}", "test": f"{k:.0f}"}
                        for a, s, k in teacher.overrated
                    )
                }
            )
        if reasons:
            concerns.append(AttentionRow(teacher.name, reasons))
    return concerns + undiagnosed
