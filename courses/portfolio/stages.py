"""The teacher's stage, from their levels and their work, by the methodists' StageRules.

A teacher's `Standing` at a moment counts what they had by then: the overall level rank of their
latest scored diagnosis, courses completed, works accepted (creative ones also apart) and times as
a mentor or speaker. Rules are tried in order and the first that holds names the stage; when none
does, the teacher is adapting. The trajectory is the stage after each dated event, so it moves
exactly when a diagnosis, a course or a work moved it.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.portfolio.models import STAGE_ORDER, Stage, StageRule
from courses.portfolio.sections import ACCEPTED_WORK, CREATIVE_WORK, SPEAKER

LEVEL = "level"
COURSE = "course"


@dataclass(frozen=True)
class Standing:
    level_rank: int | None = None
    courses: int = 0
    accepted_works: int = 0
    creative_works: int = 0
    speaker_events: int = 0


@dataclass(frozen=True)
class Event:
    """Something dated that may move the stage: a scored diagnosis (with its level rank), a
    completed course, an accepted (creative) work, a time as a speaker."""

    when: datetime
    kind: str
    label: str = ""
    level_rank: int | None = None


@dataclass
class TrajectoryPoint:
    when: datetime
    stage: str
    label: str
    changed: bool

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)


@dataclass
class StageReading:
    stage: str
    standing: Standing
    rule: StageRule | None
    trajectory: list[TrajectoryPoint] = field(default_factory=list)

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label


def rule_holds(rule: StageRule, standing: Standing) -> bool:
    if rule.min_level_rank and (standing.level_rank or 0) < rule.min_level_rank:
        return False
    return (
        standing.courses >= rule.min_courses
        and standing.accepted_works >= rule.min_accepted_works
        and standing.creative_works >= rule.min_creative_works
        and standing.speaker_events >= rule.min_speaker_events
    )


def stage_for(standing: Standing, rules: list[StageRule]) -> tuple[str, StageRule | None]:
    for rule in rules:
        if rule_holds(rule, standing):
            return rule.stage, rule
    return Stage.ADAPTATION, None


def rule_in_words(rule: StageRule) -> str:
    """What the rule asks, as a sentence a methodist and a teacher read alike."""
    parts = []
    if rule.min_level_rank:
        parts.append(_("overall level of rank %(rank)s or higher") % {"rank": rule.min_level_rank})
    if rule.min_courses:
        parts.append(
            ngettext("%(n)s course completed", "%(n)s courses completed", rule.min_courses)
            % {"n": rule.min_courses}
        )
    if rule.min_accepted_works:
        parts.append(
            ngettext("%(n)s work accepted", "%(n)s works accepted", rule.min_accepted_works)
            % {"n": rule.min_accepted_works}
        )
    if rule.min_creative_works:
        parts.append(
            ngettext(
                "%(n)s creative work accepted",
                "%(n)s creative works accepted",
                rule.min_creative_works,
            )
            % {"n": rule.min_creative_works}
        )
    if rule.min_speaker_events:
        parts.append(
            ngettext(
                "%(n)s time as a mentor or speaker",
                "%(n)s times as a mentor or speaker",
                rule.min_speaker_events,
            )
            % {"n": rule.min_speaker_events}
        )
    stage = Stage(rule.stage).label
    if not parts:
        return _("%(stage)s: everyone") % {"stage": stage}
    return _("%(stage)s: %(conditions)s") % {"stage": stage, "conditions": ", ".join(parts)}


def _moment(value) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.get_current_timezone())
    return timezone.now()


def _apply(standing: Standing, event: Event) -> Standing:
    if event.kind == LEVEL:
        return replace(standing, level_rank=event.level_rank)
    if event.kind == COURSE:
        return replace(standing, courses=standing.courses + 1)
    if event.kind == ACCEPTED_WORK:
        return replace(standing, accepted_works=standing.accepted_works + 1)
    if event.kind == CREATIVE_WORK:
        # A creative work accepted is an accepted work too.
        return replace(
            standing,
            accepted_works=standing.accepted_works + 1,
            creative_works=standing.creative_works + 1,
        )
    if event.kind == SPEAKER:
        return replace(standing, speaker_events=standing.speaker_events + 1)
    return standing


def read_stage(events: list[Event], rules: list[StageRule]) -> StageReading:
    """The stage now, the standing behind it, and the stage after each event in time order."""
    standing = Standing()
    current, _rule = stage_for(standing, rules)
    trajectory = []
    for event in sorted(events, key=lambda e: (e.when, e.kind)):
        standing = _apply(standing, event)
        stage, _rule = stage_for(standing, rules)
        trajectory.append(TrajectoryPoint(event.when, stage, event.label, stage != current))
        current = stage
    stage, rule = stage_for(standing, rules)
    return StageReading(stage=stage, standing=standing, rule=rule, trajectory=trajectory)


def events_from_items(sections) -> list[Event]:
    """The dated items other apps' sections count towards the stage."""
    events = []
    for section in sections:
        for item in section.items:
            for kind in item.counts_as:
                if kind in (ACCEPTED_WORK, CREATIVE_WORK, SPEAKER) and item.date:
                    events.append(Event(_moment(item.date), kind, item.title))
    return events


def ordered_rules() -> list[StageRule]:
    return list(StageRule.objects.order_by("position", "pk"))
