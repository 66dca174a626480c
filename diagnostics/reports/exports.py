"""CSV and XLSX downloads of a report: the same tables, numbers and markers as the page."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from diagnostics.reports.privacy import hidden_explanation, is_hidden, withheld_explanation
from diagnostics.reports.tables import Table
from lms.exports import formula_safe, formula_safe_row, xlsx_append_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's sheet titles: at most 31 characters, none of these.
FORBIDDEN_IN_SHEET_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _cell(value):
    if value is None:
        return ""
    if is_hidden(value):
        return str(value)  # the translated "fewer than 5"
    if isinstance(value, Decimal):
        return float(value)
    return value


def csv_response(tables: list[Table], filename: str) -> HttpResponse:
    """One CSV with a titled block per table; UTF-8 with a BOM so Excel reads Cyrillic right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([formula_safe(table.title)])
        writer.writerow(formula_safe_row(table.columns))
        for row in table.rows:
            writer.writerow(formula_safe_row(_cell(value) for value in row))
    writer.writerow([])
    writer.writerow([hidden_explanation()])
    writer.writerow([withheld_explanation()])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(tables: list[Table], filename: str) -> HttpResponse:
    """One sheet per table, headers in bold, numbers as numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        xlsx_append_row(sheet, table.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            xlsx_append_row(sheet, (_cell(value) for value in row))
        for number, column in enumerate(table.columns, start=1):
            width = max([len(str(column))] + [len(str(_cell(r[number - 1]))) for r in table.rows])
            sheet.column_dimensions[get_column_letter(number)].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_sheet_title(gettext("Notes"), used))
    xlsx_append_row(notes, [hidden_explanation()])
    xlsx_append_row(notes, [withheld_explanation()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _sheet_title(title: str, used: set) -> str:
    base = str(title).translate(FORBIDDEN_IN_SHEET_TITLE)[:28] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in used:
        candidate, number = f"{base} {number}", number + 1
    used.add(candidate.lower())
    return candidate
