"""Import a folder of files described by a CSV of metadata: every row is checked first, and if
any row is bad nothing is imported, so a methodist fixes the CSV and runs it again.

Columns (docs/library.md has an example): title, kind, language are required, and a file (a path
inside the folder) or an external_url; the others are optional.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diagnostics.models import Area, Level
from library.models import Resource, Subject, Tag
from library.services import resource_saved
from library.uploads import detect_cover, detect_document

COLUMNS = [
    "file",
    "external_url",
    "kind",
    "title",
    "authors",
    "description",
    "language",
    "year",
    "subjects",
    "areas",
    "levels",
    "tags",
    "licence",
    "published",
    "cover",
    "issuer",
    "act_number",
    "adopted_on",
    "in_force_on",
    "repealed_on",
]
REQUIRED_COLUMNS = {"title", "kind", "language"}
LIST_SEPARATOR = ";"
YES = {"", "1", "yes", "true", "y", "иә", "да", "ооба"}
NO = {"0", "no", "false", "n", "жоқ", "нет", "жок"}
MAX_ROWS = 5_000
UNKNOWN_CODE = {
    "subjects": gettext_lazy("unknown subject code “%(code)s”"),
    "areas": gettext_lazy("unknown competence area code “%(code)s”"),
    "levels": gettext_lazy("unknown readiness level code “%(code)s”"),
}


@dataclass
class RowPlan:
    line: int
    fields: dict
    file_path: Path | None = None
    file_type: str = ""
    cover_path: Path | None = None
    cover_type: str = ""
    subjects: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    levels: list = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: list[Resource] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(LIST_SEPARATOR) if part.strip()]


def _read_rows(csv_path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    text = csv_path.read_text(encoding="utf-8-sig")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    rows = []
    for row in reader:
        # The header is line 1; csv keeps multi-line cells, so ask the reader for the line.
        rows.append(
            (reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None})
        )
    return header, rows


class _Lookups:
    """Codes of subjects, areas and levels, read once for the whole file."""

    def __init__(self):
        self.subjects = {subject.code: [subject] for subject in Subject.objects.all()}
        self.areas = self._by_code(Area.objects.select_related("framework"))
        self.levels = self._by_code(Level.objects.select_related("framework"))

    @staticmethod
    def _by_code(queryset) -> dict:
        found: dict[str, list] = {}
        for item in queryset:
            found.setdefault(item.code, []).append(item)
            found.setdefault(f"{item.framework.code}:{item.code}", []).append(item)
        return found

    def resolve(self, what: str, codes, errors: list[str]) -> list:
        table = getattr(self, what)
        items = []
        for code in codes:
            matches = table.get(code, [])
            if not matches:
                errors.append(UNKNOWN_CODE[what] % {"code": code})
            elif len(matches) > 1:
                errors.append(
                    _("code “%(code)s” exists in several frameworks; write it as framework:code")
                    % {"code": code}
                )
            else:
                items.append(matches[0])
        return items


def _date(value: str, column: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(
            _("%(column)s “%(value)s” is not a date like 2026-09-01")
            % {"column": column, "value": value}
        )
        return None


def _inside(folder: Path, name: str, column: str, errors: list[str]) -> Path | None:
    path = (folder / name).resolve()
    if not path.is_relative_to(folder):
        errors.append(
            _("%(column)s “%(name)s” is outside the folder") % {"column": column, "name": name}
        )
        return None
    if not path.is_file():
        errors.append(_("%(column)s “%(name)s” does not exist") % {"column": column, "name": name})
        return None
    return path


def _checked_type(path: Path, detect, errors: list[str]) -> str:
    try:
        with path.open("rb") as handle:
            detected = detect(File(handle, name=path.name))
    except ValidationError as error:
        errors.extend(f"{path.name}: {message}" for message in error.messages)
        return ""
    return getattr(detected, "extension", detected)


def _plan_row(line: int, row: dict, folder: Path, lookups: _Lookups, seen: set) -> tuple:
    errors: list[str] = []
    title = row.get("title", "")
    kind = row.get("kind", "")
    language = row.get("language", "")
    if not title:
        errors.append(_("title is empty"))
    if kind not in Resource.Kind.values:
        errors.append(
            _("kind “%(kind)s” is not one of %(kinds)s")
            % {"kind": kind, "kinds": ", ".join(Resource.Kind.values)}
        )
    if language not in Resource.Language.values:
        errors.append(
            _("language “%(language)s” is not one of %(languages)s")
            % {"language": language, "languages": ", ".join(Resource.Language.values)}
        )
    year = None
    if row.get("year"):
        if row["year"].isdigit() and 1900 <= int(row["year"]) <= 2100:
            year = int(row["year"])
        else:
            errors.append(_("year “%(year)s” is not a year") % {"year": row["year"]})
    published = row.get("published", "").lower()
    if published not in YES | NO:
        errors.append(_("published must be yes or no, not “%(value)s”") % {"value": published})
    url = row.get("external_url", "")
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors.append(_("external_url “%(url)s” is not a web address") % {"url": url})
    plan = RowPlan(line=line, fields={})
    if row.get("file"):
        plan.file_path = _inside(folder, row["file"], "file", errors)
        if plan.file_path:
            plan.file_type = _checked_type(plan.file_path, detect_document, errors)
    elif not url:
        errors.append(_("give a file or an external_url"))
    if row.get("cover"):
        plan.cover_path = _inside(folder, row["cover"], "cover", errors)
        if plan.cover_path:
            plan.cover_type = _checked_type(plan.cover_path, detect_cover, errors)
    dates = {
        column: _date(row.get(column, ""), column, errors)
        for column in ("adopted_on", "in_force_on", "repealed_on")
    }
    if kind != Resource.Kind.NORMATIVE_ACT and (dates["repealed_on"] or row.get("act_number")):
        errors.append(_("only a normative act has a number or a date of repeal"))
    plan.subjects = lookups.resolve("subjects", _split(row.get("subjects")), errors)
    plan.areas = lookups.resolve("areas", _split(row.get("areas")), errors)
    plan.levels = lookups.resolve("levels", _split(row.get("levels")), errors)
    plan.tags = _split(row.get("tags"))
    key = (title.casefold(), language, kind)
    if title and key in seen:
        errors.append(_("the same title, language and kind appear twice in this file"))
    elif title and Resource.objects.filter(title=title, language=language, kind=kind).exists():
        errors.append(_("the library already has “%(title)s”") % {"title": title})
    seen.add(key)
    plan.fields = {
        "kind": kind,
        "title": title[:300],
        "authors": row.get("authors", "")[:300],
        "description": row.get("description", ""),
        "language": language,
        "year": year,
        "licence": row.get("licence", "")[:120],
        "external_url": url,
        "issuer": row.get("issuer", "")[:255],
        "act_number": row.get("act_number", "")[:64],
        "published": published not in NO,
        **dates,
    }
    return plan, errors


def plan_import(folder: Path, csv_path: Path) -> tuple[list[RowPlan], ImportReport]:
    report = ImportReport()
    folder = folder.resolve()
    if not folder.is_dir():
        report.errors.append((0, _("the folder %(folder)s does not exist") % {"folder": folder}))
        return [], report
    try:
        header, rows = _read_rows(csv_path)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        report.errors.append((0, _("the CSV cannot be read: %(error)s") % {"error": error}))
        return [], report
    missing = REQUIRED_COLUMNS - set(header)
    unknown = set(header) - set(COLUMNS)
    if missing:
        report.errors.append(
            (1, _("missing columns: %(columns)s") % {"columns": ", ".join(sorted(missing))})
        )
    if unknown:
        report.errors.append(
            (1, _("unknown columns: %(columns)s") % {"columns": ", ".join(sorted(unknown))})
        )
    if len(rows) > MAX_ROWS:
        report.errors.append((0, _("more than %(max)d rows") % {"max": MAX_ROWS}))
    if report.errors:
        return [], report
    lookups = _Lookups()
    seen: set = set()
    plans = []
    for line, row in rows:
        plan, errors = _plan_row(line, row, folder, lookups, seen)
        report.errors.extend((line, message) for message in errors)
        plans.append(plan)
    if not plans:
        report.errors.append((0, _("the CSV has no rows")))
    return plans, report


def _create(plan: RowPlan, saved_files: list) -> Resource:
    fields = dict(plan.fields)
    if fields["published"]:
        fields["published_at"] = timezone.now()
    resource = Resource(**fields, file_type=plan.file_type, cover_type=plan.cover_type)
    if plan.file_path:
        with plan.file_path.open("rb") as handle:
            resource.file.save(f"import.{plan.file_type}", File(handle), save=False)
        saved_files.append(resource.file)
        resource.file_size = resource.file.size
    if plan.cover_path:
        with plan.cover_path.open("rb") as handle:
            resource.cover.save(f"cover.{plan.cover_type}", File(handle), save=False)
        saved_files.append(resource.cover)
    resource.save()
    resource.subjects.set(plan.subjects)
    resource.areas.set(plan.areas)
    resource.levels.set(plan.levels)
    resource.tags.set([Tag.objects.get_or_create(name=name[:80])[0] for name in plan.tags])
    resource_saved(resource=resource, file_changed=bool(plan.file_path))
    return resource


def import_library(folder: Path, csv_path: Path) -> ImportReport:
    """Check every row; import all of them in one transaction, or none."""
    plans, report = plan_import(Path(folder), Path(csv_path))
    if not report.ok:
        return report
    saved_files: list = []
    try:
        with transaction.atomic():
            report.created = [_create(plan, saved_files) for plan in plans]
    except Exception:
        # The rows are rolled back; the copies already written to storage go too.
        for stored in saved_files:
            stored.storage.delete(stored.name)
        raise
    return report
