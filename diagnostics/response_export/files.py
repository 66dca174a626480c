"""The export as a file: CSV streamed line by line, or XLSX written to a temporary file.

CSV is UTF-8 with a byte-order mark (Excel then reads Kazakh and Russian text right), comma
separated, decimals with a point, like the other CSVs of Ustaz (diagnostics/reports/exports.py).
XLSX has the responses on one sheet and a codebook on another. Both pass every text cell
through lms/exports.py, so a teacher's answer "=HYPERLINK(...)" is text, never a live formula.
"""

import csv
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from diagnostics.response_export.plan import ExportPlan
from diagnostics.response_export.rows import Percent, export_rows
from lms.exports import formula_safe, xlsx_append_row

BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Line:
    """A file-like object that hands back what csv.writer writes (Django's streaming CSV)."""

    def write(self, value: str) -> str:
        return value


def csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # never an exponent: 100, not 1E+2
    if isinstance(value, str):
        return formula_safe(value)
    return str(value)


def csv_lines(plan: ExportPlan) -> Iterator[str]:
    """The CSV file, a line at a time: the BOM and the header, then one line per response."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([csv_text(name) for name in plan.header])
    for row in export_rows(plan):
        yield writer.writerow([csv_text(value) for value in row])


def _xlsx_cell(sheet, value):
    if isinstance(value, Percent):
        cell = WriteOnlyCell(sheet, value=float(value))
        cell.number_format = "0.00"
        return cell
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def xlsx_file(plan: ExportPlan):
    """The XLSX file, written row by row to a temporary file (openpyxl's write-only mode keeps
    no rows in memory); the caller sends and closes it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Responses")[:31])
    sheet.freeze_panes = "A2"
    xlsx_append_row(sheet, [_bold(sheet, name) for name in plan.header])
    for row in export_rows(plan):
        xlsx_append_row(sheet, [_xlsx_cell(sheet, value) for value in row])
    codebook = workbook.create_sheet(_("Codebook")[:31])
    codebook.column_dimensions["A"].width = 24
    codebook.column_dimensions["B"].width = 60
    codebook.column_dimensions["C"].width = 60
    xlsx_append_row(
        codebook, [_bold(codebook, str(text)) for text in (_("Column"), _("Meaning"), _("Values"))]
    )
    for entry in plan.codebook():
        xlsx_append_row(codebook, entry)
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once it is sent
    workbook.save(file)
    file.seek(0)
    return file


def _bold(sheet, text: str):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True)
    return cell
