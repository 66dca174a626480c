"""A methodist exports a round's responses for a statistics package: one row per response, one
column per question, area percents and the level; teachers as codes unless names are asked for;
every cell formula-safe; a fixed number of queries whatever the round's size."""

import csv
import io
import zipfile
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from diagnostics.kinds import QuestionKind, kind_registered
from diagnostics.models import Answer, AreaScore, Response
from diagnostics.response_export import school_code, teacher_code
from diagnostics.scoring import responses_score
from lms.roles import Role
from tests.diagnostics.admin_helpers import english_methodist
from tests.diagnostics.factories import ChoiceFactory, QuestionFactory, RoundFactory
from tests.diagnostics.helpers import ALL_RIGHT, answered_response
from tests.lms.factories import (
    AdministratorFactory,
    HeadFactory,
    MethodistFactory,
    SchoolFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example","click")'
KAZAKH = "Мен Word-та құжат жасаймын, ә, ғ, қ, ң, ө, ұ, ү, һ, і"
QUESTION_COLUMNS = [
    "Q01_single",
    "Q02_multi",
    "Q03_levels",
    "Q04_likert",
    "Q05_likert_rev",
    "Q06_tf",
    "Q07_short",
    "Q08_num",
    "Q09_match",
    "Q10_essay",
    "Q11_anx",
]
TAIL_COLUMNS = ["area_docs_pct", "area_net_pct", "total_pct", "level", "scale_anxiety_pct"]


def url(round_) -> str:
    return reverse("diagnostics:export-responses", args=[round_.pk])


@pytest.fixture
def aigerim(school):
    school.name = "Aqsu village school"
    school.save(update_fields=["name"])
    return TeacherFactory(school=school, full_name="Aigerim Nurlanovna")


@pytest.fixture
def bolat(school):
    return TeacherFactory(school=school, full_name="Bolat Serikuly")


@pytest.fixture
def answered(open_round, aigerim, bolat, school):
    """Aigerim answers everything (a formula as her short answer, Kazakh free text); Bolat
    answers a few questions partly right; a third teacher has only a draft."""
    first = answered_response(
        open_round, aigerim, {**ALL_RIGHT, "short": HYPERLINK, "essay": KAZAKH}
    )
    second = answered_response(
        open_round,
        bolat,
        {
            "single": "A",
            "multi": ["A", "C"],
            "levels": "L1",
            "num": "-2",
            "likert": 1,
            "match": {"Word": "Music"},
        },
    )
    answered_response(open_round, TeacherFactory(school=school), {"single": "B"}, submit=False)
    responses_score(response_ids=[first.pk, second.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def download(client, round_, **choice) -> tuple[object, bytes]:
    data = {"format": "csv", "which": "finished", **choice}
    if data.get("include_names") is False:
        del data["include_names"]
    response = client.post(url(round_), data)
    assert response.status_code == 200, response.status_code
    return response, b"".join(response.streaming_content)


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode()), "Excel needs the BOM to read Kazakh text"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def area_percent(response, code: str) -> str:
    score = AreaScore.objects.get(response=response, area__code=code, part=AreaScore.Part.ALL)
    return f"{score.percent:.2f}"


# --- the CSV ---------------------------------------------------------------------------------


def test_csv_has_a_row_per_response_and_a_column_per_question(client, open_round, answered):
    first, second = answered
    client.force_login(english_methodist())
    response, content = download(client, open_round)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = csv_rows(content)
    assert header == [
        "response_id",
        "teacher_code",
        "school_code",
        "language",
        "status",
        "submitted_at",
        *QUESTION_COLUMNS,
        *TAIL_COLUMNS,
    ]
    # Submitted responses only, by default: the draft is not in the file.
    assert [int(row[0]) for row in rows] == [first.pk, second.pk]
    aigerim_row = dict(zip(header, rows[0], strict=True))
    bolat_row = dict(zip(header, rows[1], strict=True))

    # Choices by their number in the question; several joined with ";".
    assert aigerim_row["Q01_single"] == "2"  # B
    assert aigerim_row["Q02_multi"] == "1;2"
    assert aigerim_row["Q03_levels"] == "3"  # L2, the third statement
    assert aigerim_row["Q04_likert"] == "4"
    assert aigerim_row["Q05_likert_rev"] == "2"  # as chosen, not reversed
    assert aigerim_row["Q06_tf"] == "2"  # "False"
    assert aigerim_row["Q08_num"] == "4.5"
    assert aigerim_row["Q09_match"] == "1=1;2=2"
    assert aigerim_row["Q10_essay"] == KAZAKH
    assert aigerim_row["Q11_anx"] == "5"
    assert bolat_row["Q02_multi"] == "1;3"
    assert bolat_row["Q08_num"] == "-2"  # a negative number stays a number
    assert bolat_row["Q09_match"] == "1=3"
    assert bolat_row["Q03_levels"] == "2"
    assert bolat_row["Q06_tf"] == bolat_row["Q10_essay"] == ""  # not answered

    assert aigerim_row["status"] == bolat_row["status"] == "scored"
    assert aigerim_row["submitted_at"].startswith(
        first.submitted_at.astimezone().date().isoformat()[:4]
    )
    assert "T" in aigerim_row["submitted_at"]
    for row, scored in ((aigerim_row, first), (bolat_row, second)):
        assert row["area_docs_pct"] == area_percent(scored, "docs")
        assert row["area_net_pct"] == area_percent(scored, "net")
        assert row["total_pct"] == f"{scored.percent:.2f}"
        assert row["level"] == scored.level.code
    # Two decimals and a point, whatever the database: a third of 1 point of 4 is 8.33.
    assert bolat_row["area_docs_pct"] == "8.33"
    assert aigerim_row["area_docs_pct"] == "91.67"  # 3.6667 of 4


def test_a_formula_typed_by_a_teacher_is_text_in_the_csv(client, open_round, answered):
    client.force_login(english_methodist())
    _response, content = download(client, open_round)
    header, aigerim_row, _bolat = csv_rows(content)
    assert aigerim_row[header.index("Q07_short")] == "'" + HYPERLINK
    assert not any(cell.startswith(("=", "+", "@", "\t")) for row in (aigerim_row,) for cell in row)


# --- codes or names --------------------------------------------------------------------------


def test_teachers_are_codes_unless_names_are_asked_for(client, open_round, answered, aigerim):
    client.force_login(english_methodist())
    _response, content = download(client, open_round)
    text = content.decode("utf-8-sig")
    assert "Aigerim" not in text and "Bolat" not in text
    assert "Aqsu" not in text  # a small school's name would give its teachers away
    header, aigerim_row, bolat_row = csv_rows(content)
    assert aigerim_row[1] == teacher_code(aigerim.pk)
    assert aigerim_row[1] != bolat_row[1]
    assert aigerim_row[2] == bolat_row[2] == school_code(aigerim.school_id)
    assert aigerim_row[1].startswith("T-") and len(aigerim_row[1]) == 12

    _response, named = download(client, open_round, include_names="on")
    header, aigerim_row, bolat_row = csv_rows(named)
    assert header[:5] == ["response_id", "teacher_code", "school_code", "teacher", "school"]
    assert aigerim_row[1:5] == [
        teacher_code(aigerim.pk),
        school_code(aigerim.school_id),
        "Aigerim Nurlanovna",
        "Aqsu village school",
    ]


def test_a_teacher_has_the_same_code_in_every_round(client, open_round, answered, aigerim):
    later = RoundFactory(instrument=open_round.instrument, schools=[aigerim.school])
    answered_response(later, aigerim, {"single": "B"})
    client.force_login(english_methodist())
    _response, first_file = download(client, open_round)
    _response, later_file = download(client, later)
    assert csv_rows(first_file)[1][1] == csv_rows(later_file)[1][1] == teacher_code(aigerim.pk)


def test_the_code_is_not_the_teachers_id(aigerim, bolat):
    # A keyed hash: neither the id nor its order can be read from it.
    code = teacher_code(aigerim.pk)
    assert str(aigerim.pk) not in code.removeprefix("T-")
    assert code == teacher_code(aigerim.pk)
    assert code != teacher_code(bolat.pk)


# --- which responses -------------------------------------------------------------------------


def test_drafts_only_on_request_and_scored_only_on_request(client, open_round, answered, school):
    waiting = answered_response(open_round, TeacherFactory(school=school), {"single": "B"})
    client.force_login(english_methodist())
    ids = {
        which: [int(row[0]) for row in csv_rows(download(client, open_round, which=which)[1])[1:]]
        for which in ("finished", "scored", "all")
    }
    first, second = answered
    draft = Response.objects.get(round=open_round, status=Response.Status.DRAFT)
    assert ids["finished"] == [first.pk, second.pk, waiting.pk]
    assert ids["scored"] == [first.pk, second.pk]
    assert ids["all"] == sorted([first.pk, second.pk, waiting.pk, draft.pk])


# --- the XLSX --------------------------------------------------------------------------------


def test_xlsx_holds_the_same_values_as_numbers_and_a_codebook(client, open_round, answered):
    first, second = answered
    client.force_login(english_methodist())
    response, content = download(client, open_round, format="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Responses"]
    header = [cell.value for cell in sheet[1]]
    assert header[6:] == QUESTION_COLUMNS + TAIL_COLUMNS
    aigerim_row = dict(zip(header, sheet[2], strict=True))
    assert aigerim_row["response_id"].value == first.pk
    assert aigerim_row["Q01_single"].value == 2
    assert aigerim_row["Q02_multi"].value == "1;2"
    assert aigerim_row["Q08_num"].value == 4.5
    assert aigerim_row["Q10_essay"].value == KAZAKH
    assert aigerim_row["area_docs_pct"].value == 91.67
    assert aigerim_row["area_docs_pct"].number_format == "0.00"
    assert aigerim_row["total_pct"].value == float(first.percent)
    bolat_row = dict(zip(header, sheet[3], strict=True))
    assert bolat_row["Q08_num"].value == -2
    assert bolat_row["Q10_essay"].value is None
    assert sheet.max_row == 3

    codebook = workbook["Codebook"]
    explained = [row[0].value for row in codebook.iter_rows(min_row=2)]
    assert explained == header
    meaning = {row[0].value: (row[1].value, row[2].value) for row in codebook.iter_rows()}
    assert meaning["Q01_single"] == ("1. Pick B", "1 = A; 2 = B")
    assert meaning["Q09_match"][1] == "1 = Word → Documents; 2 = Excel → Tables; 3 = Music"
    assert meaning["level"][1] == "low = Low; mid = Middle; high = High"


def test_a_formula_typed_by_a_teacher_is_text_in_the_xlsx(client, open_round, answered):
    client.force_login(english_methodist())
    _response, content = download(client, open_round, format="xlsx", include_names="on")
    sheet = load_workbook(io.BytesIO(content))["Responses"]
    header = [cell.value for cell in sheet[1]]
    short = sheet.cell(row=2, column=header.index("Q07_short") + 1)
    assert short.value == "'" + HYPERLINK
    assert short.data_type == "s"
    # No formula anywhere in the file: no <f> element in any sheet.
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in package.read(name) and b"<f " not in package.read(name)


def test_a_teacher_named_like_a_formula_is_text_in_both_files(client, open_round, school):
    formula_named = TeacherFactory(school=school, full_name="=1+2")
    answered_response(open_round, formula_named, {"single": "B"})
    client.force_login(english_methodist())
    _response, content = download(client, open_round, include_names="on")
    assert csv_rows(content)[1][3] == "'=1+2"
    _response, content = download(client, open_round, format="xlsx", include_names="on")
    name = load_workbook(io.BytesIO(content))["Responses"]["D2"]
    assert (name.value, name.data_type) == ("'=1+2", "s")


# --- bounded: the same queries for 2 responses as for 8 --------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_queries_do_not_grow_with_the_responses(client, open_round, answered, school, fmt):
    client.force_login(english_methodist())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            download(client, open_round, format=fmt)
        return len(captured)

    few = queries()
    for _ in range(6):
        answered_response(open_round, TeacherFactory(school=school), ALL_RIGHT)
    responses_score(response_ids=list(Response.objects.values_list("pk", flat=True)))
    # session and user (2), the methodist's permissions (2: role group, user's own), the round,
    # the questions and their choices, the scales, the levels, the history entry (its content
    # type is cached), then five streams: responses, answers, picked choices, area and scale
    # scores.
    assert queries() == few == 15


# --- who may ---------------------------------------------------------------------------------


def test_the_page_shows_the_choices_and_the_counts(client, open_round, answered):
    client.force_login(english_methodist())
    page = client.get(url(open_round))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Include teachers&#x27; names and schools" in text or "Include teachers' names" in text
    assert "Scored: 2" in text and "In progress: 1" in text
    assert (
        'name="include_names"' in text
        and "checked" not in text.split('name="include_names"')[1][:40]
    )


def test_a_wrong_format_is_a_clear_error_not_a_file(client, open_round, answered):
    client.force_login(english_methodist())
    page = client.post(url(open_round), {"format": "pdf", "which": "finished"})
    assert page.status_code == 200
    assert not page.streaming
    assert "Select a valid choice" in page.content.decode()


def test_the_export_is_recorded_in_the_rounds_history(client, open_round, answered):
    methodist = english_methodist()
    client.force_login(methodist)
    download(client, open_round, include_names="on", format="xlsx")
    entry = LogEntry.objects.get(object_id=str(open_round.pk), user=methodist)
    assert entry.get_change_message() == (
        "Exported the responses as XLSX with teachers' names and schools."
    )


def test_administrator_may_export(client, open_round, answered):
    client.force_login(AdministratorFactory(preferred_language="en"))
    _response, content = download(client, open_round)
    assert len(csv_rows(content)) == 3


@pytest.mark.parametrize("who", ["head", "teacher"])
def test_heads_and_teachers_are_refused(client, open_round, answered, head, teacher, who):
    client.force_login({"head": head, "teacher": teacher}[who])
    assert client.get(url(open_round)).status_code == 403
    assert client.post(url(open_round), {"format": "csv", "which": "all"}).status_code == 403


def test_a_head_of_another_school_is_refused_too(client, open_round, answered):
    client.force_login(HeadFactory(school=SchoolFactory()))
    assert client.post(url(open_round), {"format": "csv", "which": "all"}).status_code == 403


def test_a_stranger_is_sent_to_sign_in(client, open_round, answered):
    page = client.get(url(open_round))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))


def test_a_round_that_does_not_exist_is_404(client, open_round):
    client.force_login(english_methodist())
    missing = reverse("diagnostics:export-responses", args=[open_round.pk + 1000])
    assert client.get(missing).status_code == 404
    assert client.post(missing, {"format": "csv", "which": "all"}).status_code == 404


def test_a_methodist_without_the_permission_is_refused(client, open_round, answered):
    permission = Permission.objects.get(
        content_type__app_label="diagnostics", codename="export_responses"
    )
    Group.objects.get(name=Role.METHODIST).permissions.remove(permission)
    client.force_login(english_methodist())
    assert client.post(url(open_round), {"format": "csv", "which": "all"}).status_code == 403
    change = client.get(reverse("admin:diagnostics_round_change", args=[open_round.pk]))
    assert url(open_round) not in change.content.decode()
    changelist = client.get(reverse("admin:diagnostics_round_changelist"))
    actions = [name for name, _label in changelist.context["action_form"].fields["action"].choices]
    assert "export_responses" not in actions


# --- from the admin --------------------------------------------------------------------------


def test_the_rounds_admin_page_links_to_the_export(client, open_round):
    client.force_login(english_methodist())
    change = client.get(reverse("admin:diagnostics_round_change", args=[open_round.pk]))
    assert f'href="{url(open_round)}"' in change.content.decode()


def test_the_admin_action_leads_to_the_export_of_one_round(client, open_round):
    other = RoundFactory(instrument=open_round.instrument)
    changelist = reverse("admin:diagnostics_round_changelist")
    client.force_login(english_methodist())
    one = client.post(
        changelist, {"action": "export_responses", "_selected_action": [open_round.pk]}
    )
    assert one.status_code == 302 and one["Location"] == url(open_round)
    two = client.post(
        changelist,
        {"action": "export_responses", "_selected_action": [open_round.pk, other.pk]},
        follow=True,
    )
    assert "Choose one round to export" in two.content.decode()


def test_numbers_are_written_without_exponent_or_padding():
    from diagnostics.response_export.files import csv_text
    from diagnostics.response_export.rows import percent

    assert csv_text(percent(Decimal("100"))) == "100.00"
    assert csv_text(percent(Decimal("22.7272"))) == "22.73"
    assert csv_text(Decimal("1E+2")) == "100"


# --- a new kind of question gives its own value ----------------------------------------------


class Guess(QuestionKind):
    """A throwaway kind: guess a year; the export gives how far the guess was from the key."""

    code = "guess"
    priced = False

    def read(self, question, post, given, problems):  # pragma: no cover - not taken here
        given.number = Decimal(post.get(f"q{question.pk}", "0"))

    def fraction(self, question, choices, given):
        return None

    def export_value(self, question, choices, given):
        return None if given.number is None else int(abs(given.number - choices[0].value))

    def export_labels(self, question, choices):
        return [("", "years away from the right one")]


def test_a_new_kind_of_question_exports_its_own_value(client, school):
    question = QuestionFactory(kind="guess", code="founded", text_en="When was it founded?")
    ChoiceFactory(question=question, value=Decimal(1991))
    round_ = RoundFactory(instrument=question.instrument, schools=[school])
    response = Response.objects.create(
        round=round_,
        instrument=round_.instrument,
        teacher=TeacherFactory(school=school),
        status=Response.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Answer.objects.create(response=response, question=question, number=Decimal(1994))
    client.force_login(english_methodist())
    with kind_registered(Guess()):
        header, row = csv_rows(download(client, round_)[1])
        book = load_workbook(io.BytesIO(download(client, round_, format="xlsx")[1]))
    assert dict(zip(header, row, strict=True))["Q01_founded"] == "3"
    assert [r[2].value for r in book["Codebook"].iter_rows() if r[0].value == "Q01_founded"] == [
        "years away from the right one"
    ]


# --- Kazakh first ----------------------------------------------------------------------------


def test_the_page_and_the_codebook_speak_kazakh(client, open_round, answered):
    client.force_login(MethodistFactory(preferred_language="kk"))
    page = client.get(url(open_round))
    assert "Жауаптарды экспорттау" in page.content.decode()
    content = download(client, open_round, format="xlsx")[1]
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Жауаптар", "Кодтар кітабы"]
    # Column names stay the same in every language, so syntax files run on every export.
    assert [c.value for c in book["Жауаптар"][1]][:3] == [
        "response_id",
        "teacher_code",
        "school_code",
    ]


def test_the_export_page_reads_a_fixed_number_of_queries(
    client, open_round, answered, school, django_assert_num_queries
):
    client.force_login(english_methodist())
    for _ in range(3):
        answered_response(open_round, TeacherFactory(school=school), {"single": "B"})
    # session, user, the methodist's permissions (2), the round with its instrument, the
    # responses counted by status: the same for 3 responses as for 30,000.
    with django_assert_num_queries(6):
        assert client.get(url(open_round)).status_code == 200


def test_the_file_is_named_after_the_round_and_the_day(client, open_round, answered):
    open_round.title = "Күз 2026 · Осень 2026"
    open_round.save(update_fields=["title"])
    client.force_login(english_methodist())
    today = timezone.localdate().isoformat()
    for fmt in ("csv", "xlsx"):
        response, _content = download(client, open_round, format=fmt)
        expected = quote(f"күз-2026-осень-2026-responses-{today}.{fmt}")
        assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{expected}"
