"""CSV and XLSX downloads of the progress overviews: formula-safe (lms.exports), numbers as
numbers, dates as day.month.year; a head's download of a teacher named `=HYPERLINK(...)` reads
as text."""

import csv
import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from courses.overview import (
    DONE,
    IN_PROGRESS,
    LOCKED,
    NOT_STARTED,
    all_course_rows,
    course_lessons,
    fill_cells,
    school_enrolments,
)
from courses.overview import Row as OverviewRow
from lms.exports import formula_safe_row, xlsx_append_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    columns: list
    rows: list


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def _states() -> dict[str, str]:
    return {
        DONE: _("Done"),
        IN_PROGRESS: _("In progress"),
        LOCKED: _("Locked"),
        NOT_STARTED: _("Not started"),
    }


def _summary_columns() -> list[str]:
    return [
        _("Teacher"),
        _("Email"),
        _("School"),
        _("Progress, %"),
        _("Lessons completed"),
        _("Stuck on"),
        _("Since"),
        _("Last activity"),
    ]


def _summary(row: OverviewRow) -> list:
    return [
        row.name,
        row.email,
        row.school,
        row.percent if row.enrolment_id else "",
        row.lessons_done if row.enrolment_id else "",
        row.stuck_lesson.title if row.stuck_lesson else "",
        _when(row.stuck_since),
        _when(row.last_activity_at),
    ]


def group_table(group, grid) -> Table:
    """The grid as shown: a row per member, a column per lesson with its state in words."""
    states = _states()
    lessons = [column.lesson for column in grid.columns]
    columns = _summary_columns() + [
        f"{lesson.module.position}.{lesson.position} {lesson.title}" for lesson in lessons
    ]
    rows = [_summary(row) + [states[state] for state in row.cells] for row in grid.rows]
    return Table(f"{group.display_name} — {grid.course.title}", columns, rows)


def course_table(course, teachers) -> Table:
    """Every enrolment of the course (no paging), with each lesson's state."""
    lessons = course_lessons(course)
    rows = all_course_rows(course, teachers)
    fill_cells(course, lessons, rows)
    states = _states()
    columns = _summary_columns() + [
        f"{lesson.module.position}.{lesson.position} {lesson.title}" for lesson in lessons
    ]
    return Table(
        str(course.title),
        columns,
        [_summary(row) + [states[state] for state in row.cells] for row in rows],
    )


def school_table(school) -> Table:
    """One row per enrolment of the school's teachers: every course, not only the columns."""
    columns = [
        _("Teacher"),
        _("Email"),
        _("Course"),
        _("Progress, %"),
        _("Lessons completed"),
        _("Lessons to complete"),
        _("Completed at"),
        _("Last activity"),
    ]
    rows = [
        [
            e.user.full_name or e.user.email,
            e.user.email,
            e.course.title,
            e.percent,
            e.lessons_done,
            e.lessons_total,
            _when(e.completed_at),
            _when(e.last_activity_at),
        ]
        for e in school_enrolments(school)
    ]
    return Table(str(school.name), columns, rows)


def download(table: Table, wanted: str, filename: str) -> HttpResponse:
    if wanted == "xlsx":
        return _xlsx(table, filename)
    return _csv(table, filename)


def _csv(table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(formula_safe_row([table.title]))
    writer.writerow(formula_safe_row(table.columns))
    for row in table.rows:
        writer.writerow(formula_safe_row(row))
    # A BOM, so that Excel reads Cyrillic and Kazakh letters right.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx(table: Table, filename: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Progress")
    xlsx_append_row(sheet, [table.title])
    xlsx_append_row(sheet, table.columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        xlsx_append_row(sheet, row)
    sheet.freeze_panes = "B3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
