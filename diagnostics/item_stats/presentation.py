"""A stored item-statistics report as the methodists' page shows it: the numbers joined to the
questions' texts and the areas' names in the reader's language, each flag explained with the
threshold the report was computed with."""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from diagnostics.item_stats.definitions import (
    FLAG_LOW_DISCRIMINATION,
    FLAG_TOO_EASY,
    FLAG_TOO_HARD,
)
from diagnostics.kinds.text_formats import PLAIN, text_html, text_plain
from diagnostics.models import ItemStatisticsReport, Question, Round
from diagnostics.taking.pages import QUESTION_ORDER, instrument_pages

# Characters of a question's text shown in its row; the whole text is a click away.
SHORT_TEXT_CHARS = 110


@dataclass
class Flag:
    code: str
    label: str
    explanation: str


@dataclass
class QuestionRow:
    code: str
    area_name: str
    # The text without markup (sanitised and rendered first, so no tag shows as text); empty
    # for a question deleted since the report was computed, as are pk and number.
    text: str
    weight: float | None
    statistic: dict
    flags: list[Flag]
    pk: int | None = None
    # The number the teacher saw beside the question, across the instrument.
    number: int | None = None
    short_text: str = ""
    # The text rendered by its format ([html], [markdown] sanitised by nh3), when the short
    # text does not already say everything.
    full_html: SafeString | None = None


@dataclass
class AreaRow:
    name: str
    statistic: dict


@dataclass
class PartSection:
    part: str
    title: str
    statistics: dict
    questions: list[QuestionRow]
    areas: list[AreaRow]
    flags_used: list[Flag] = field(default_factory=list)


def report_of(round_: Round) -> ItemStatisticsReport | None:
    try:
        return round_.item_statistics
    except ItemStatisticsReport.DoesNotExist:
        return None


def part_sections(report: ItemStatisticsReport, round_: Round) -> list[PartSection]:
    """The stored statistics joined to the questions' texts and areas' names in this language.

    One query: the instrument's questions with their areas."""
    ordered = list(
        Question.objects.filter(instrument_id=round_.instrument_id)
        .select_related("area")
        .order_by(*QUESTION_ORDER)
    )
    instrument_pages(ordered)  # numbers the questions as the teacher saw them
    questions = {question.code: question for question in ordered}
    area_names = {q.area.code: q.area.name for q in questions.values() if q.area is not None}
    sections = []
    for part, stored in report.data.get("parts", {}).items():
        if stored is None:
            continue
        flags = _flags_explained(stored["thresholds"])
        rows = [
            _question_row(statistic, questions.get(statistic["key"]), area_names, stored, flags)
            for statistic in stored["statistics"]["items"]
        ]
        # In the order the teacher met them; questions deleted since the report come last.
        rows.sort(key=lambda row: (row.number is None, row.number or 0))
        used = {flag.code for row in rows for flag in row.flags}
        sections.append(
            PartSection(
                part=part,
                title=Question.Part(part).label,
                statistics=stored["statistics"],
                questions=rows,
                areas=[
                    AreaRow(name=area_names.get(area["area"], area["area"]), statistic=area)
                    for area in stored["statistics"]["areas"]
                ],
                flags_used=[flag for code, flag in flags.items() if code in used],
            )
        )
    return sections


def _question_row(statistic, question, area_names, stored, flags) -> QuestionRow:
    # A question deleted since the report was computed keeps its row, without a text.
    row = QuestionRow(
        code=statistic["key"],
        area_name=area_names.get(statistic["area"], statistic["area"] or ""),
        text="",
        weight=stored["weights"].get(statistic["key"]),
        statistic=statistic,
        flags=[flags[code] for code in statistic["flags"] if code in flags],
    )
    if question is not None:
        text_format = question.text_format or PLAIN
        row.pk = question.pk
        row.number = question.ordinal
        row.text = text_plain(question.text, text_format)
        row.short_text = Truncator(row.text).chars(SHORT_TEXT_CHARS)
        if text_format != PLAIN or row.short_text != row.text:
            row.full_html = text_html(question.text, text_format, block=True)
    return row


def _flags_explained(thresholds: dict) -> dict[str, Flag]:
    """What each flag means, with the threshold the report was computed with."""
    flags = {}
    if thresholds.get("low_discrimination_below") is not None:
        flags[FLAG_LOW_DISCRIMINATION] = Flag(
            FLAG_LOW_DISCRIMINATION,
            _("Low discrimination"),
            _(
                "The discrimination index is below %(threshold)s: teachers who did well on the "
                "other questions do hardly better on this one. Check the wording and the key."
            )
            % {"threshold": _number(thresholds["low_discrimination_below"])},
        )
    if thresholds.get("too_easy_above") is not None:
        flags[FLAG_TOO_EASY] = Flag(
            FLAG_TOO_EASY,
            _("Too easy"),
            _(
                "The facility index is above %(threshold)s%%: nearly everybody earns full "
                "points, so the question tells teachers apart very little."
            )
            % {"threshold": _number(thresholds["too_easy_above"])},
        )
    if thresholds.get("too_hard_below") is not None:
        flags[FLAG_TOO_HARD] = Flag(
            FLAG_TOO_HARD,
            _("Too hard"),
            _(
                "The facility index is below %(threshold)s%%: nearly nobody earns points. "
                "The key may be wrong, or the question beyond the course."
            )
            % {"threshold": _number(thresholds["too_hard_below"])},
        )
    return flags


def histogram_rows(report: ItemStatisticsReport | None) -> list[dict]:
    """The total-score histogram's bins, labelled."""
    return [
        {"label": bin_label(histogram_bin), "count": histogram_bin["count"]}
        for histogram_bin in (report.data.get("total_histogram", []) if report else [])
    ]


def chart_data(histogram: list[dict]) -> dict:
    """What the Chart.js bar chart reads (through json_script)."""
    return {
        "label": _("Teachers"),
        "x_title": _("Total score"),
        "labels": [row["label"] for row in histogram],
        "counts": [row["count"] for row in histogram],
    }


def bin_label(histogram_bin: dict) -> str:
    return _("%(lower)s–%(upper)s%%") % {
        "lower": _number(histogram_bin["lower_percent"]),
        "upper": _number(histogram_bin["upper_percent"]),
    }


def _number(value: float) -> str:
    return f"{value:g}"
