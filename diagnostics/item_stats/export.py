"""The item-statistics table as a CSV download: one row per question of every part, the numbers
of the page and its flags as words, in the reader's language.

Numbers are written with two decimals by this module (not by the database or str(float)), so
the file reads the same whichever database computed the report. Text cells (codes, area names,
question texts, flags) pass through formula_safe; numbers are Decimals, which it leaves alone, so a
negative discrimination stays a number.
"""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from diagnostics.item_stats.presentation import PartSection
from lms.exports import formula_safe_row

HUNDREDTH = Decimal("0.01")


def statistics_csv_response(sections: list[PartSection], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(formula_safe_row(_header()))
    for section in sections:
        for row in section.questions:
            statistic = row.statistic
            writer.writerow(
                formula_safe_row(
                    [
                        section.title,
                        row.number if row.number is not None else "",
                        row.code,
                        row.area_name,
                        row.text,
                        statistic["n_answered"],
                        statistic["n_scored"],
                        _two_decimals(statistic["mean_score"]),
                        _two_decimals(row.weight),
                        _two_decimals(statistic["facility_index"]),
                        _two_decimals(statistic["standard_deviation"]),
                        _two_decimals(statistic["discrimination_index"]),
                        _two_decimals(statistic["discriminative_efficiency"]),
                        "; ".join(flag.label for flag in row.flags),
                    ]
                )
            )
    # A BOM, so that Excel reads Cyrillic and Kazakh letters right (as every Ustaz CSV).
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _header() -> list[str]:
    return [
        _("Part"),
        _("Question number"),
        _("Code"),
        _("Area"),
        _("Question"),
        _("Answered"),
        _("Respondents counted"),
        _("Mean points"),
        _("Maximum points"),
        # Moodle's names of the statistics, all on its 0-100 scale; the unit is added here so
        # that no catalogue entry has to carry a literal "%".
        _("Facility index") + ", %",
        _("Standard deviation") + ", %",
        _("Discrimination index"),
        _("Discriminative efficiency") + ", %",
        _("Flags"),
    ]


def _two_decimals(value: float | None) -> Decimal | str:
    """The value rounded half up to two decimals; an undefined statistic is an empty cell."""
    if value is None:
        return ""
    # str() first: the shortest decimal that reads back as this float, so 0.125 rounds to 0.13
    # as a reader expects, not to 0.12 as its binary value (0.12499…) would.
    rounded = Decimal(str(value)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    return rounded if rounded else Decimal("0.00")  # never "-0.00"
