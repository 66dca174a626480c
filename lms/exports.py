"""Formula-safe cells for every CSV and XLSX Ustaz writes (CSV / formula injection).

A spreadsheet runs a cell that starts with = + - or @ as a formula, and Excel also after a leading
tab or carriage return; a teacher named `=HYPERLINK(...)` must read as text in the head's
download, not as a live link. Every export passes people's text through `formula_safe` (CSV) or
appends rows with `xlsx_append_row` (XLSX). Numbers stay numbers.
"""

from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell

# What a spreadsheet may start a formula with, and the invisible characters before one.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """The value itself, or a string that starts with an apostrophe if it could run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def formula_safe_row(values: Iterable) -> list:
    return [formula_safe(value) for value in values]


def xlsx_append_row(sheet, values: Iterable) -> None:
    """Append a row to an openpyxl sheet with every text cell stored as text, never as a formula.

    openpyxl stores a string starting with "=" as a formula; the text is neutralised as in CSV and
    the cell's type forced to string, so no reader of the file evaluates it. A write-only sheet
    (big exports, streamed to disk) takes the same row; other cells may come as WriteOnlyCells
    (a number with its format), and their text is neutralised too.
    """
    if sheet.parent.write_only:
        sheet.append([_write_only_cell(sheet, value) for value in values])
        return
    sheet.append(formula_safe_row(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _write_only_cell(sheet, value):
    if isinstance(value, str):
        value = WriteOnlyCell(sheet, value=value)
    if isinstance(getattr(value, "value", None), str):
        value.value = formula_safe(value.value)
        value.data_type = "s"
    return value
