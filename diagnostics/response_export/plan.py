"""What a round's export holds: its columns in order, their names and what their values mean.

Column names are identifiers a statistics package accepts as variable names (SPSS: a letter
first, then letters, digits and "_", at most 64 characters), the same in every interface
language, so that a syntax file written for one round runs on the next. What they mean, in the
reader's language, is in the XLSX file's codebook sheet.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from diagnostics.kinds import kind_for
from diagnostics.kinds.text_formats import question_plain
from diagnostics.models import AttitudeScale, Level, Question, Response, Round
from diagnostics.taking.pages import instrument_pages, instrument_questions


class Which:
    """Which responses go in the file."""

    FINISHED = "finished"  # submitted, scored or not yet (the default)
    SCORED = "scored"
    ALL = "all"  # also drafts still in progress

    STATUSES = {
        FINISHED: [Response.Status.SUBMITTED, Response.Status.SCORED],
        SCORED: [Response.Status.SCORED],
        ALL: [Response.Status.DRAFT, Response.Status.SUBMITTED, Response.Status.SCORED],
    }


@dataclass
class ExportPlan:
    round: Round
    include_names: bool
    statuses: list[str]
    questions: list[Question]  # in the order teachers see them, each with its `ordinal`
    areas: list  # the areas the instrument asks about, in the framework's order
    scales: list[AttitudeScale]
    levels: list[Level] = field(default_factory=list)

    @property
    def fixed_columns(self) -> list[str]:
        names = ["teacher", "school"] if self.include_names else []
        return [
            "response_id",
            "teacher_code",
            "school_code",
            *names,
            "language",
            "status",
            "submitted_at",
        ]

    def question_column(self, question) -> str:
        width = max(2, len(str(len(self.questions))))
        return variable_name(f"Q{question.ordinal:0{width}d}_{question.code}")

    @property
    def header(self) -> list[str]:
        return [
            *self.fixed_columns,
            *(self.question_column(q) for q in self.questions),
            *(variable_name(f"area_{a.code}_pct") for a in self.areas),
            "total_pct",
            "level",
            *(variable_name(f"scale_{s.code}_pct") for s in self.scales),
        ]

    def codebook(self) -> list[tuple[str, str, str]]:
        """(column, what it is, what its values mean) for every column, in the reader's
        language."""
        statuses = "; ".join(f"{value} = {label}" for value, label in Response.Status.choices)
        rows = [
            ("response_id", _("Number of the response in Ustaz"), ""),
            (
                "teacher_code",
                _(
                    "Pseudonymous code of the teacher: the same teacher has the same code in "
                    "every round and every export"
                ),
                "",
            ),
            (
                "school_code",
                _("Pseudonymous code of the teacher's school (where the teacher works now)"),
                "",
            ),
        ]
        if self.include_names:
            rows += [
                ("teacher", _("Teacher's full name"), ""),
                ("school", _("Teacher's school (where the teacher works now)"), ""),
            ]
        rows += [
            ("language", _("Language the teacher answered in"), ""),
            ("status", _("Status of the response"), statuses),
            ("submitted_at", _("Submitted (date and time, ISO 8601)"), ""),
        ]
        for question in self.questions:
            kind = kind_for(question)
            labels = kind.export_labels(question, list(question.choices.all()))
            rows.append(
                (
                    self.question_column(question),
                    f"{question.ordinal}. {question_plain(question)}",
                    "; ".join(f"{v} = {label}" if v != "" else label for v, label in labels)
                    or _kind_label(question),
                )
            )
        for area in self.areas:
            rows.append(
                (
                    variable_name(f"area_{area.code}_pct"),
                    _("Percent of the maximum score in the area “%(area)s”") % {"area": area.name},
                    _("0.00 to 100.00"),
                )
            )
        rows.append(("total_pct", _("Percent of the maximum score overall"), _("0.00 to 100.00")))
        rows.append(
            (
                "level",
                _("Readiness level"),
                "; ".join(f"{level.code} = {level.name}" for level in self.levels),
            )
        )
        for scale in self.scales:
            rows.append(
                (
                    variable_name(f"scale_{scale.code}_pct"),
                    _("Attitude scale “%(scale)s”, percent") % {"scale": scale.name},
                    _("0.00 to 100.00"),
                )
            )
        return rows


def export_plan(*, round_: Round, include_names: bool, which: str) -> ExportPlan:
    """The columns of a round's export. Four queries: questions, their choices, the instrument's
    attitude scales and the framework's levels."""
    instrument = round_.instrument
    pages = instrument_pages(instrument_questions(instrument))
    questions = [question for page in pages for question in page.questions]
    areas = sorted(
        {q.area_id: q.area for q in questions if q.area_id is not None}.values(),
        key=lambda area: (area.position, area.pk),
    )
    return ExportPlan(
        round=round_,
        include_names=include_names,
        statuses=Which.STATUSES[which],
        questions=questions,
        areas=areas,
        scales=list(instrument.scales.order_by("pk")),
        levels=list(Level.objects.filter(framework_id=instrument.framework_id)),
    )


def variable_name(text: str) -> str:
    """A name SPSS, R and Stata accept: letters, digits and "_", a letter first, 64 at most."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", text)
    if not name[:1].isalpha():
        name = f"v_{name}"
    return name[:64]


def _kind_label(question) -> str:
    try:
        return str(Question.Kind(question.kind).label)
    except ValueError:
        return question.kind
