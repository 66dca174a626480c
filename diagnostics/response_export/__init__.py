"""A round's responses for a statistics package: one row per response, one column per
question, area percents and the level; teachers as pseudonymous codes unless names are asked
for (docs/diagnostics.md, "Exporting responses").

    plan.py    the columns, their names and the codebook
    codes.py   the teachers' and schools' codes (a keyed hash)
    rows.py    the rows, streamed in a fixed number of queries
    files.py   CSV (streamed) and XLSX (written to a temporary file)
    forms.py   what the methodist chooses
"""

from diagnostics.response_export.codes import school_code, teacher_code
from diagnostics.response_export.files import XLSX_TYPE, csv_lines, xlsx_file
from diagnostics.response_export.forms import ResponseExportForm
from diagnostics.response_export.plan import ExportPlan, Which, export_plan
from diagnostics.response_export.rows import export_rows

__all__ = [
    "XLSX_TYPE",
    "ExportPlan",
    "ResponseExportForm",
    "Which",
    "csv_lines",
    "export_plan",
    "export_rows",
    "school_code",
    "teacher_code",
    "xlsx_file",
]
