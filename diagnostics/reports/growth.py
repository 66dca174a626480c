"""Growth of one school between two rounds of one framework, over the teachers who took both.

Teachers are matched by account: a teacher counts only if scored in both rounds, so the change
is never an artefact of who happened to take part. Groups are those of the later round.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, FilteredRelation, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from diagnostics.models import AreaScore, GroupMembership, Level, Response, Round
from diagnostics.reports import queries
from diagnostics.reports.privacy import HIDDEN, count_shown, enough, for_chart, shown
from diagnostics.reports.queries import SCORED, one_decimal, with_prefix
from diagnostics.reports.tables import Table
from lms.models import School, User
from lms.roles import Role


@dataclass
class TransitionRow:
    level: Level | None
    cells: list  # count per later level, or HIDDEN


@dataclass
class AreaChange:
    area: object
    before: object
    after: object
    change: object


@dataclass
class TeacherGrowth:
    name: str
    level_before: Level | None
    level_after: Level | None
    before: Decimal | None
    after: Decimal | None
    area_changes: list  # Decimal or None per area
    group: str = ""

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class GroupGrowth:
    name: str
    level: Level | None
    teachers: object
    before: object
    after: object
    change: object


@dataclass
class GrowthReport:
    school: School
    earlier: Round | None
    later: Round | None
    areas: list = field(default_factory=list)
    levels: list = field(default_factory=list)
    filter_description: str = ""
    matched: object = 0
    only_earlier: object = 0
    only_later: object = 0
    transitions: list[TransitionRow] = field(default_factory=list)
    area_changes: list[AreaChange] = field(default_factory=list)
    teachers: list[TeacherGrowth] = field(default_factory=list)
    groups: list[GroupGrowth] = field(default_factory=list)
    too_small: bool = False

    @property
    def ready(self) -> bool:
        return self.earlier is not None and self.later is not None

    def area_chart(self) -> dict:
        return {
            "labels": [row.area.name for row in self.area_changes],
            "percent": True,
            "datasets": [
                {
                    "label": self.earlier.title,
                    "values": [for_chart(r.before) for r in self.area_changes],
                },
                {
                    "label": self.later.title,
                    "values": [for_chart(r.after) for r in self.area_changes],
                },
            ],
        }

    def tables(self) -> list[Table]:
        if not self.ready:
            return []
        level_names = [level.name for level in self.levels]
        tables = [
            Table(
                pgettext("report section", "Summary"),
                [_("Figure"), _("Value")],
                [
                    [_("School"), self.school.name],
                    [_("Earlier round"), self.earlier.title],
                    [_("Later round"), self.later.title],
                    [
                        pgettext("report filter", "Filter"),
                        self.filter_description or _("All teachers"),
                    ],
                    [_("Teachers in both rounds"), self.matched],
                    [_("Only in the earlier round"), self.only_earlier],
                    [_("Only in the later round"), self.only_later],
                ],
            ),
            Table(
                _("Level transitions"),
                [_("Level before / after")] + level_names,
                [[r.level.name if r.level else _("No level")] + r.cells for r in self.transitions],
            ),
            Table(
                _("Change per area"),
                [
                    _("Area"),
                    _("Before, %"),
                    _("After, %"),
                    pgettext("difference between rounds", "Change"),
                ],
                [[r.area.name, r.before, r.after, r.change] for r in self.area_changes],
            ),
            Table(
                _("Change per group"),
                [_("Group"), _("Level"), _("Teachers"), _("Before, %"), _("After, %")]
                + [pgettext("difference between rounds", "Change")],
                [
                    [g.name, g.level.name if g.level else "", g.teachers, g.before, g.after]
                    + [g.change]
                    for g in self.groups
                ],
            ),
        ]
        if not self.too_small:
            tables.append(
                Table(
                    _("Change per teacher"),
                    [_("Teacher"), _("Level before"), _("Level after"), _("Before, %")]
                    + [_("After, %"), pgettext("difference between rounds", "Change"), _("Group")]
                    + [f"{area.name}, ±" for area in self.areas],
                    [
                        [
                            t.name,
                            t.level_before.name if t.level_before else "",
                            t.level_after.name if t.level_after else "",
                            t.before,
                            t.after,
                            t.change,
                            t.group,
                        ]
                        + list(t.area_changes)
                        for t in self.teachers
                    ],
                )
            )
        return tables


def default_pair(rounds: list[Round]) -> tuple[Round | None, Round | None]:
    """The two newest rounds with results of the newest one's instrument (or its versions)."""
    scored = [r for r in rounds if r.scored]
    if not scored:
        return None, None
    later = scored[0]
    earlier = next((r for r in scored[1:] if r.instrument.is_version_of(later.instrument)), None)
    return earlier, later


def _scored_in(round_: Round):
    return Response.objects.filter(round=round_, status=SCORED).values("teacher_id")


def growth_report(*, school: School, earlier: Round | None, later: Round | None, form):
    report = GrowthReport(school=school, earlier=earlier, later=later)
    if not report.ready:
        return report
    report.areas, report.levels = queries.framework_of(later)
    report.filter_description = form.description()
    teachers = Q(school=school) & form.teacher_filter()
    matched = teachers & Q(pk__in=_scored_in(earlier)) & Q(pk__in=_scored_in(later))
    levels_by_id = {level.pk: level for level in report.levels}

    counts = (
        User.objects.filter(teachers, role=Role.TEACHER)
        .alias(
            before=Exists(_scored_in(earlier).filter(teacher=OuterRef("pk"))),
            after=Exists(_scored_in(later).filter(teacher=OuterRef("pk"))),
        )
        .aggregate(
            matched=Count("pk", filter=Q(before=True, after=True)),
            only_earlier=Count("pk", filter=Q(before=True, after=False)),
            only_later=Count("pk", filter=Q(before=False, after=True)),
        )
    )
    report.too_small = form.is_filtered and not enough(counts["matched"])
    # Who took which round is participation, not a result: shown unless the filter is too narrow.
    if report.too_small:
        report.matched = report.only_earlier = report.only_later = HIDDEN
    else:
        report.matched = counts["matched"]
        report.only_earlier, report.only_later = counts["only_earlier"], counts["only_later"]

    report.transitions = _transitions(earlier, later, matched, report.levels, levels_by_id)
    report.area_changes = _area_changes(earlier, later, matched, report.areas)
    report.groups = _group_changes(earlier, later, matched, levels_by_id)
    if not report.too_small:
        report.teachers = _teacher_changes(earlier, later, teachers, report.areas, levels_by_id)
    return report


def _transitions(earlier, later, matched, levels, levels_by_id) -> list[TransitionRow]:
    level_before = Response.objects.filter(
        round=earlier, status=SCORED, teacher=OuterRef("teacher")
    ).values("level_id")[:1]
    cells = {
        (row["before"], row["level_id"]): row["teachers"]
        for row in queries.scored_responses(later, matched)
        .annotate(before=Subquery(level_before))
        .values("before", "level_id")
        .annotate(teachers=Count("pk"))
        .order_by()
    }
    ids = [level.pk for level in levels]
    if any(None in key for key in cells):
        ids.append(None)
    return [
        TransitionRow(
            levels_by_id.get(before), [count_shown(cells.get((before, after), 0)) for after in ids]
        )
        for before in ids
    ]


def _area_changes(earlier, later, matched, areas) -> list[AreaChange]:
    in_earlier, in_later = Q(response__round=earlier), Q(response__round=later)
    rows = {
        row["area_id"]: row
        for row in AreaScore.objects.filter(
            with_prefix(matched, "response__teacher__"),
            part=AreaScore.Part.ALL,
            response__status=SCORED,
            response__round__in=[earlier, later],
        )
        .values("area_id")
        .annotate(
            teachers=Count("pk", filter=in_later),
            before=Avg("percent", filter=in_earlier),
            after=Avg("percent", filter=in_later),
        )
        .order_by()
    }
    changes = []
    for area in areas:
        row = rows.get(area.pk)
        if row is None or row["before"] is None or row["after"] is None:
            changes.append(AreaChange(area, None, None, None))
            continue
        before, after = one_decimal(row["before"]), one_decimal(row["after"])
        changes.append(
            AreaChange(
                area,
                shown(before, row["teachers"]),
                shown(after, row["teachers"]),
                shown(one_decimal(row["after"] - row["before"]), row["teachers"]),
            )
        )
    return changes


def _group_changes(earlier, later, matched, levels_by_id) -> list[GroupGrowth]:
    results = "teacher__diagnostic_responses"
    in_earlier = Q(**{f"{results}__round": earlier, f"{results}__status": SCORED})
    in_later = Q(**{f"{results}__round": later, f"{results}__status": SCORED})
    rows = (
        GroupMembership.objects.filter(with_prefix(matched, "teacher__"), round=later)
        .values("group_id", "group__name", "group__level_id")
        .annotate(
            teachers=Count("teacher", distinct=True),
            before=Avg(f"{results}__percent", filter=in_earlier),
            after=Avg(f"{results}__percent", filter=in_later),
        )
        .order_by("group__level__position", "group__name", "group_id")
    )
    groups = []
    for row in rows:
        n = row["teachers"]
        change = None
        if row["before"] is not None and row["after"] is not None:
            change = one_decimal(row["after"] - row["before"])
        groups.append(
            GroupGrowth(
                row["group__name"],
                levels_by_id.get(row["group__level_id"]),
                count_shown(n),
                shown(one_decimal(row["before"]), n),
                shown(one_decimal(row["after"]), n),
                shown(change, n),
            )
        )
    return groups


def _teacher_changes(earlier, later, teachers, areas, levels_by_id) -> list[TeacherGrowth]:
    def result_in(round_):
        return FilteredRelation(
            "diagnostic_responses",
            condition=Q(diagnostic_responses__round=round_, diagnostic_responses__status=SCORED),
        )

    people = (
        User.objects.filter(teachers, role=Role.TEACHER)
        .filter(Q(pk__in=_scored_in(earlier)) | Q(pk__in=_scored_in(later)))
        .annotate(
            before=result_in(earlier),
            after=result_in(later),
            membership=FilteredRelation(
                "group_memberships", condition=Q(group_memberships__round=later)
            ),
        )
        .values(
            "pk",
            "full_name",
            "before__percent",
            "before__level_id",
            "after__percent",
            "after__level_id",
            "membership__group__name",
        )
        .order_by("full_name", "pk")
    )
    percents = defaultdict(dict)  # teacher -> (round, area) -> percent
    for teacher_id, round_id, area_id, percent in (
        AreaScore.objects.filter(
            with_prefix(teachers, "response__teacher__"),
            part=AreaScore.Part.ALL,
            response__status=SCORED,
            response__round__in=[earlier, later],
        )
        .values_list("response__teacher_id", "response__round_id", "area_id", "percent")
        .order_by()
    ):
        percents[teacher_id][round_id, area_id] = percent
    rows = []
    for person in people:
        mine = percents.get(person["pk"], {})
        changes = []
        for area in areas:
            before, after = mine.get((earlier.pk, area.pk)), mine.get((later.pk, area.pk))
            changes.append(
                one_decimal(after - before) if before is not None and after is not None else None
            )
        rows.append(
            TeacherGrowth(
                name=person["full_name"],
                level_before=levels_by_id.get(person["before__level_id"]),
                level_after=levels_by_id.get(person["after__level_id"]),
                before=one_decimal(person["before__percent"]),
                after=one_decimal(person["after__percent"]),
                area_changes=changes,
                group=person["membership__group__name"] or "",
            )
        )
    return rows
