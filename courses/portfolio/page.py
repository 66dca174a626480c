"""Everything a portfolio page shows, gathered in a fixed number of queries.

Whatever the length of a teacher's history, the page reads: completed enrolments with their
courses, certificates, scored diagnoses, their area scores, reflections, the stage rules — one
query each — plus what other apps' `portfolio_sections` hooks read.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from courses.certificates.models import Certificate
from courses.models import Enrolment
from courses.portfolio.growth import growth_series, scored_responses
from courses.portfolio.models import Reflection
from courses.portfolio.sections import PortfolioSection, collect_sections
from courses.portfolio.stages import (
    COURSE,
    LEVEL,
    Event,
    StageReading,
    events_from_items,
    ordered_rules,
    read_stage,
    rule_in_words,
)

# The portfolio's own sections, in page order; other apps' sections come through the hook.
BUILT_IN_SECTIONS = [
    ("stage", _("Stage and trajectory")),
    ("courses", _("Completed courses")),
    ("certificates", _("Certificates")),
    ("growth", _("Diagnostic growth per area")),
    ("reflections", _("Reflections")),
]


@dataclass
class Portfolio:
    teacher: object
    completed: list
    certificates: list
    growth: list
    reflections: list
    stage: StageReading
    rules_in_words: list[str]
    sections: list[PortfolioSection] = field(default_factory=list)
    shown: frozenset | None = None  # None: every section

    def shows(self, key: str) -> bool:
        return self.shown is None or key in self.shown

    @property
    def show(self) -> dict[str, bool]:
        """Which of the portfolio's own sections the page shows, for the templates."""
        return {key: self.shows(key) for key, _title in BUILT_IN_SECTIONS}

    @property
    def visible_sections(self) -> list[PortfolioSection]:
        return [section for section in self.sections if self.shows(section.key)]

    def section_choices(self) -> list[tuple[str, str]]:
        """(key, title) of every section, for the share link's checkboxes."""
        return [(key, str(title)) for key, title in BUILT_IN_SECTIONS] + [
            (section.key, section.title) for section in self.sections
        ]

    def trajectory_chart(self) -> dict:
        return {
            "stages": [str(label) for label in _stage_labels()],
            "points": [
                {"x": point.when.date().isoformat(), "y": point.stage_index, "label": point.label}
                for point in self.stage.trajectory
            ],
        }


def _stage_labels():
    from courses.portfolio.models import Stage

    return [stage.label for stage in Stage]


def completed_enrolments(teacher) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(user=teacher, completed_at__isnull=False)
        .select_related("course")
        .order_by("-completed_at", "-pk")
    )


def stage_events(completed, responses, sections) -> list[Event]:
    events = [
        Event(r.scored_at, LEVEL, str(r.round.title), r.level.position if r.level else None)
        for r in responses
        if r.scored_at
    ]
    events += [Event(e.completed_at, COURSE, str(e.course.title)) for e in completed]
    return events + events_from_items(sections)


def portfolio_build(*, teacher, viewer, shown=None) -> Portfolio:
    completed = completed_enrolments(teacher)
    responses = scored_responses(teacher)
    sections = collect_sections(teacher, viewer)
    rules = ordered_rules()
    stage = read_stage(stage_events(completed, responses, sections), rules)
    shown = frozenset(shown) if shown is not None else None

    def wanted(key):
        return shown is None or key in shown

    return Portfolio(
        teacher=teacher,
        completed=completed,
        certificates=list(Certificate.objects.of(teacher).order_by("-issued_on", "-pk"))
        if wanted("certificates")
        else [],
        growth=growth_series(responses) if wanted("growth") else [],
        reflections=list(Reflection.objects.filter(user=teacher).select_related("course", "round"))
        if wanted("reflections")
        else [],
        stage=stage,
        rules_in_words=[rule_in_words(rule) for rule in rules],
        sections=sections,
        shown=shown,
    )


def stage_of(teacher) -> StageReading:
    """The stage alone, as the nightly refresh and the directory need it."""
    completed = completed_enrolments(teacher)
    responses = scored_responses(teacher)
    sections = collect_sections(teacher, None)
    return read_stage(stage_events(completed, responses, sections), ordered_rules())
