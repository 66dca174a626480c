"""The head's report downloads keep a teacher's typed name as text, in XLSX as in CSV."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.diagnostics.factories import RoundFactory
from tests.diagnostics.report_helpers import scored, teachers
from tests.lms.factories import TeacherFactory

pytestmark = pytest.mark.usefixtures("fresh_cache_and_english")

NAMES = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-1+1", "@SUM(1)", "\t=1", "\r=1"]


@pytest.fixture
def round_with_formula_names(instrument, school):
    round_ = RoundFactory(instrument=instrument, schools=[school])
    for teacher in teachers(school, 5):
        scored(round_, teacher, percent=60, level_code="mid", areas={"docs": 60})
    for name in NAMES:
        teacher = TeacherFactory(school=school, full_name=name)
        scored(round_, teacher, percent=60, level_code="mid", areas={"docs": 60})
    return round_


def test_xlsx_teacher_names_are_strings_not_formulas(
    client, head, school, round_with_formula_names
):
    client.force_login(head)
    url = reverse("diagnostics:school-report-export", args=[school.pk, "xlsx"])
    workbook = load_workbook(io.BytesIO(client.get(url).content))
    cells = [row[0] for row in workbook["Teachers"].iter_rows(min_row=2)]
    formula_cells = [c.value for c in cells if c.data_type == "f"]
    assert formula_cells == []
    names = {c.value for c in cells}
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert all(c.data_type == "s" for c in cells)
    assert not any(str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for v in names)


def test_csv_teacher_names_with_a_leading_tab_or_return_are_neutralised(
    client, head, school, round_with_formula_names
):
    client.force_login(head)
    url = reverse("diagnostics:school-report-export", args=[school.pk, "csv"])
    body = client.get(url).content.decode("utf-8").lstrip("\ufeff")
    cells = {cell for row in csv.reader(io.StringIO(body)) for cell in row}
    assert "'\t=1" in cells
    assert "'\r=1" in cells
    assert "\t=1" not in cells
