"""Text people type never runs as a formula in a CSV or XLSX Ustaz writes."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from lms.exports import formula_safe, formula_safe_row, xlsx_append_row

DANGEROUS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_text_is_text_in_xlsx(text):
    workbook = Workbook()
    sheet = workbook.active
    xlsx_append_row(sheet, ["Name", "Score"])
    xlsx_append_row(sheet, [text, 42])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell, score = load_workbook(io.BytesIO(buffer.getvalue())).active[2]
    assert cell.data_type == "s"
    assert not str(cell.value).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert str(cell.value).endswith(text.lstrip("\t\r"))
    assert (score.value, score.data_type) == (42, "n")  # numbers stay numbers


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_text_is_text_in_a_write_only_xlsx(text):
    # Big exports stream rows to disk (openpyxl's write-only mode): the same rule holds there,
    # for plain text and for text handed over as a cell of its own.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet")
    xlsx_append_row(sheet, [text, WriteOnlyCell(sheet, value=text), 42])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plain, as_cell, score = load_workbook(io.BytesIO(buffer.getvalue())).active[1]
    for cell in (plain, as_cell):
        assert cell.data_type == "s"
        assert not str(cell.value).startswith(("=", "+", "-", "@", "\t", "\r"))
        assert str(cell.value).endswith(text.lstrip("\t\r"))
    assert (score.value, score.data_type) == (42, "n")


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_text_is_text_in_csv(text):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(formula_safe_row([text, 42, -3.5, None]))
    cell, score, negative, empty = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert cell == "'" + text
    assert (score, negative, empty) == ("42", "-3.5", "")


def test_ordinary_text_is_left_alone():
    assert formula_safe("Ахметова Айгүл") == "Ахметова Айгүл"
    assert formula_safe("a=b") == "a=b"
    assert formula_safe(-1) == -1
