"""`manage.py import_library FOLDER --csv metadata.csv`: all rows or none."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from library.models import Resource
from tests.library.factories import SubjectFactory
from tests.library.files import HTML_PAGE, docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # The command speaks the site's language; these tests read its English messages.
    with translation.override("en"):
        yield


HEADER = [
    "file", "external_url", "kind", "title", "authors", "language", "year", "areas", "levels",
    "subjects", "tags", "published", "issuer", "act_number", "adopted_on",
]  # fmt: skip


def write_csv(folder, rows, header=HEADER):
    path = folder / "metadata.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "law.pdf").write_bytes(pdf_bytes("Law on education"))
    (folder / "plan.docx").write_bytes(docx_bytes("Сабақ жоспары: электрондық кесте"))
    (folder / "invoice.pdf").write_bytes(HTML_PAGE)
    return folder


def run(folder, csv_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_library", str(folder), csv=str(csv_path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_folder_is_imported_with_metadata_and_searchable_text(
    folder, areas, levels, django_capture_on_commit_callbacks, teacher
):
    SubjectFactory(code="informatics")
    csv_path = write_csv(
        folder,
        [
            {"file": "law.pdf", "kind": "normative_act", "title": "Law on education",
             "language": "en", "year": "2007", "issuer": "Parliament", "act_number": "319-III",
             "adopted_on": "2007-07-27", "areas": "docs"},
            {"file": "plan.docx", "kind": "lesson_plan", "title": "Сабақ жоспары",
             "language": "kk", "areas": "docs;net", "levels": "low", "subjects": "informatics",
             "tags": "кесте; Excel", "published": "no"},
            {"external_url": "https://example.org/video", "kind": "video",
             "title": "Video lesson", "language": "ru"},
        ],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run(folder, csv_path)
    assert "Imported 3 resource(s)." in out
    law = Resource.objects.get(title="Law on education")
    assert (law.file_type, law.act_number, str(law.adopted_on)) == ("pdf", "319-III", "2007-07-27")
    assert law.published and law.published_at
    assert "Law on education" in law.extracted_text
    plan = Resource.objects.get(title="Сабақ жоспары")
    assert not plan.published
    assert sorted(a.code for a in plan.areas.all()) == ["docs", "net"]
    assert [t.name for t in plan.tags.order_by("name")] == ["Excel", "кесте"]
    assert "электрондық кесте" in plan.extracted_text
    # The file is stored under a random name, not the one it had in the folder.
    assert "plan" not in plan.file.name


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    folder, areas, library_media
):
    csv_path = write_csv(
        folder,
        [
            {"file": "law.pdf", "kind": "normative_act", "title": "Good row", "language": "ru"},
            {"file": "invoice.pdf", "kind": "textbook", "title": "Disguised", "language": "ru"},
            {"file": "missing.pdf", "kind": "textbook", "title": "Missing", "language": "ru"},
            {"external_url": "https://x.example", "kind": "poster", "title": "Bad kind",
             "language": "de", "year": "20x5"},
            {"external_url": "https://x.example", "kind": "video", "title": "Bad area",
             "language": "kk", "areas": "nowhere"},
            {"kind": "video", "title": "No file", "language": "kk"},
            {"file": "../../etc/passwd", "kind": "video", "title": "Escape", "language": "kk"},
        ],
    )  # fmt: skip
    with pytest.raises(CommandError, match="nothing was imported"):
        run(folder, csv_path)
    assert not Resource.objects.exists()
    # Checking comes before writing: not a single file reached storage.
    assert not list(library_media.rglob("*.*"))


def test_bad_rows_messages_name_the_line_and_the_problem(folder, areas, capsys):
    csv_path = write_csv(
        folder,
        [
            {"file": "law.pdf", "kind": "normative_act", "title": "Good row", "language": "ru"},
            {"file": "invoice.pdf", "kind": "textbook", "title": "Disguised", "language": "ru"},
            {"external_url": "https://x.example", "kind": "poster", "title": "Bad kind",
             "language": "de", "year": "20x5"},
            {"external_url": "https://x.example", "kind": "video", "title": "Bad area",
             "language": "kk", "areas": "nowhere"},
            {"kind": "video", "title": "No file", "language": "kk"},
            {"file": "../../etc/passwd", "kind": "video", "title": "Escape", "language": "kk"},
        ],
    )  # fmt: skip
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_library", str(folder), csv=str(csv_path), stderr=err)
    report = err.getvalue()
    assert "line 2" not in report  # the good row
    assert "line 3: invoice.pdf: This file is a web page" in report
    assert "line 4: kind “poster”" in report
    assert "line 4: language “de”" in report
    assert "line 4: year “20x5”" in report
    assert "line 5: unknown competence area code “nowhere”" in report
    assert "line 6: give a file or an external_url" in report
    assert "line 7: file “../../etc/passwd” is outside the folder" in report


def test_missing_columns_are_reported_before_any_row(folder):
    csv_path = write_csv(folder, [{"title": "x"}], header=["title", "colour"])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_library", str(folder), csv=str(csv_path), stderr=err)
    assert "missing columns: kind, language" in err.getvalue()
    assert "unknown columns: colour" in err.getvalue()


def test_running_the_same_import_twice_is_refused_the_second_time(folder):
    csv_path = write_csv(
        folder, [{"file": "law.pdf", "kind": "normative_act", "title": "Law", "language": "en"}]
    )
    run(folder, csv_path)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_library", str(folder), csv=str(csv_path), stderr=err)
    assert "already has “Law”" in err.getvalue()
    assert Resource.objects.count() == 1


def test_semicolon_separated_csv_from_excel_is_read(folder):
    (folder / "metadata.csv").write_text(
        "\ufefftitle;kind;language;external_url\nLink;link;en;https://example.org\n",
        encoding="utf-8",
    )
    out, _ = run(folder, folder / "metadata.csv")
    assert "Imported 1 resource(s)." in out
