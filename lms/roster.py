"""Reading a school's teacher roster from CSV, checking every row before anything is saved.

The file is UTF-8 (with or without the BOM spreadsheet programs add), separated by commas or by
semicolons (what Excel writes in a Russian or Kazakh locale). The header names the columns, in
any of the interface languages (the template a head downloads is in theirs); their order is free.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from lms.params import has_nul

COLUMNS = ("full_name", "email", "subject", "years_of_teaching")
REQUIRED_VALUES = ("full_name", "email")
MAX_YEARS_OF_TEACHING = 70
# The columns of User the values are stored in (an address may be valid and still not fit).
MAX_LENGTHS = {"full_name": 200, "email": 254, "subject": 120}
# The column names of the template, in the reader's language; a header in any language is read.
COLUMN_LABELS = {
    "full_name": pgettext_lazy("roster column", "Full name"),
    "email": pgettext_lazy("roster column", "E-mail"),
    "subject": pgettext_lazy("roster column", "Subject"),
    "years_of_teaching": pgettext_lazy("roster column", "Years of teaching"),
}

# Header spellings accepted for each column, compared case-insensitively, spaces folded.
HEADER_ALIASES = {
    "full_name": {
        "full_name",
        "full name",
        "name",
        "фио",
        "ф.и.о.",
        "аты-жөні",
        "толық аты-жөні",
        "аты-жөнү",
        "толук аты-жөнү",
    },
    "email": {
        "email",
        "e-mail",
        "электронная почта",
        "почта",
        "электрондық пошта",
        "электрондук почта",
    },
    "subject": {"subject", "предмет", "пән", "сабак", "предмет преподавания"},
    "years_of_teaching": {
        "years_of_teaching",
        "years of teaching",
        "стаж",
        "педагогический стаж",
        "еңбек өтілі",
        "педагогикалық өтілі",
        "иш стажы",
        "педагогикалык стаж",
    },
}


@dataclass(frozen=True)
class RosterRow:
    line: int
    full_name: str
    email: str
    subject: str
    years_of_teaching: int | None


@dataclass(frozen=True)
class RosterError:
    line: int
    message: str


class RosterFileError(ValueError):
    """The file as a whole cannot be read (encoding, empty, no header, too many rows)."""


def column_labels() -> list[str]:
    """The template's header in the active language."""
    return [str(COLUMN_LABELS[column]) for column in COLUMNS]


def _fold(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().lower().split())


def _accepted_headers() -> dict[str, str]:
    """Every accepted spelling, folded, and its column: the aliases and the template's labels in
    every interface language, whichever language the head reads Ustaz in."""
    accepted = {alias: column for column, aliases in HEADER_ALIASES.items() for alias in aliases}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column, label in COLUMN_LABELS.items():
                accepted.setdefault(_fold(str(label)), column)
    return accepted


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RosterFileError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from error


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _parse_years(value: str) -> int | None:
    if value == "":
        return None
    if not value.isdigit() or int(value) > MAX_YEARS_OF_TEACHING:
        raise ValueError
    return int(value)


def _value_problems(record: dict[str, str]) -> list[str]:
    """Values no column can hold: a NUL byte, or more characters than the column keeps."""
    problems = []
    for column, value in record.items():
        label = COLUMN_LABELS[column]
        if has_nul(value):
            problems.append(
                _("column “%(column)s” contains a NUL byte, which cannot be stored")
                % {"column": label}
            )
        limit = MAX_LENGTHS.get(column)
        if limit is not None and len(value) > limit:
            problems.append(
                _("column “%(column)s” is too long: at most %(max)d characters")
                % {"column": label, "max": limit}
            )
    return problems


def _read_row(line: int, record: dict[str, str]) -> tuple[RosterRow | None, list[str]]:
    problems = _value_problems(record)
    if problems:
        return None, problems
    for column in REQUIRED_VALUES:
        if not record.get(column):
            problems.append(
                _("missing value in column “%(column)s”") % {"column": COLUMN_LABELS[column]}
            )
    email = record.get("email", "").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("“%(email)s” is not a valid e-mail address") % {"email": email})
    try:
        years = _parse_years(record.get("years_of_teaching", ""))
    except ValueError:
        years = None
        problems.append(
            _("years of teaching must be a whole number from 0 to %(max)d")
            % {"max": MAX_YEARS_OF_TEACHING}
        )
    if problems:
        return None, problems
    row = RosterRow(
        line=line,
        full_name=" ".join(record["full_name"].split()),
        email=email,
        subject=record.get("subject", ""),
        years_of_teaching=years,
    )
    return row, []


def _records(reader, errors: list[RosterError]):
    """The reader's records; a line the csv module cannot read (a value over its limit of
    131,072 characters) ends the reading with a problem on that line."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            errors.append(
                RosterError(
                    reader.line_num,
                    _("the line is too long to read: a value has more than %(max)d characters")
                    % {"max": csv.field_size_limit()},
                )
            )
            return


def parse_roster(data: bytes, *, max_rows: int) -> tuple[list[RosterRow], list[RosterError]]:
    """Every well-formed row and every problem, each with the line it is on (1 is the header).

    Rows are checked on their own here; whether an address already has an account is the
    importer's question, since it needs the database.
    """
    text = _decode(data)
    first_line = text.splitlines()[0] if text.strip() else ""
    if not first_line.strip():
        raise RosterFileError(_("The file is empty: the first line must name the columns."))
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first_line))
    try:
        header = next(reader)
    except csv.Error as error:
        raise RosterFileError(
            _("The first line cannot be read: a column name has more than %(max)d characters.")
            % {"max": csv.field_size_limit()}
        ) from error
    accepted = _accepted_headers()
    columns = [accepted.get(_fold(name)) for name in header]
    missing_columns = [column for column in COLUMNS if column not in columns]
    if missing_columns:
        return [], [
            RosterError(
                1,
                _("missing column “%(column)s”; the header must name: %(expected)s")
                % {"column": COLUMN_LABELS[column], "expected": ", ".join(column_labels())},
            )
            for column in missing_columns
        ]

    rows: list[RosterRow] = []
    errors: list[RosterError] = []
    first_line_of_email: dict[str, int] = {}
    line = reader.line_num
    for values in _records(reader, errors):
        line, previous_line = reader.line_num, line
        row_line = previous_line + 1  # where the record starts, for quoted multi-line values
        if not any(value.strip() for value in values):
            continue
        if len(rows) + len(errors) >= max_rows:
            raise RosterFileError(
                _("The file has more than %(max)d rows; split it into several files.")
                % {"max": max_rows}
            )
        if len(values) < len(header):
            errors.append(
                RosterError(
                    row_line,
                    _("missing column: the line has %(found)d values, the header %(expected)d")
                    % {"found": len(values), "expected": len(header)},
                )
            )
            continue
        record = {
            column: value.strip()
            for column, value in zip(columns, values, strict=False)
            if column is not None
        }
        row, problems = _read_row(row_line, record)
        if problems:
            errors.extend(RosterError(row_line, problem) for problem in problems)
            continue
        if row.email in first_line_of_email:
            errors.append(
                RosterError(
                    row_line,
                    _("duplicate e-mail “%(email)s”, already on line %(line)d")
                    % {"email": row.email, "line": first_line_of_email[row.email]},
                )
            )
            continue
        first_line_of_email[row.email] = row_line
        rows.append(row)
    return rows, errors
