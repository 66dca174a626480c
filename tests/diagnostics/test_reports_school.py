"""The school report: what a head (and a methodist) reads about one school's round."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from diagnostics.models import GroupMembership, StudyGroup
from diagnostics.reports.privacy import hidden_label, is_hidden, withheld_label
from tests.cache import clear_test_cache
from tests.diagnostics.factories import AreaFactory, RoundFactory
from tests.diagnostics.report_helpers import level, scored, teachers
from tests.lms.factories import SchoolFactory, TeacherFactory

pytestmark = pytest.mark.usefixtures("fresh_cache_and_english")

with translation.override("en"):
    HIDDEN = hidden_label()
    WITHHELD = withheld_label()


@pytest.fixture
def report_round(instrument, school, other_school):
    """17 teachers at `school`: 7 at "mid" (60 %), 5 at "high" (85 %), 5 not diagnosed.

    Means over the 12 diagnosed: total (7*60 + 5*85) / 12 = 70.4; documents
    (7*55 + 5*90) / 12 = 69.6; internet (7*65 + 5*80) / 12 = 71.3.
    The district adds `other_school` (5 teachers, documents 40): (835 + 200) / 17 = 60.9.
    The region adds a Talgar school (5, documents 30): (835 + 200 + 150) / 22 = 53.9.
    Another region (documents 0) counts nowhere.
    """
    talgar = SchoolFactory(district="Talgar district")
    elsewhere = SchoolFactory(region="Zhambyl region", district="Taraz")
    round_ = RoundFactory(instrument=instrument, schools=[school, other_school, talgar, elsewhere])
    for teacher in teachers(school, 7, subject="Physics", years_of_teaching=3):
        scored(round_, teacher, percent=60, level_code="mid", areas={"docs": 55, "net": 65})
    for teacher in teachers(school, 5, subject="History", years_of_teaching=15):
        scored(round_, teacher, percent=85, level_code="high", areas={"docs": 90, "net": 80})
    teachers(school, 5, subject="History", years_of_teaching=25)
    for where, docs in ((other_school, 40), (talgar, 30), (elsewhere, 0)):
        for teacher in teachers(where, 5):
            scored(round_, teacher, percent=docs, level_code="low", areas={"docs": docs})
    return round_


def report_url(school, **params):
    url = reverse("diagnostics:school-report", args=[school.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def area_row(report, code):
    return next(row for row in report.area_rows if row.area.code == code)


def test_head_sees_how_many_are_diagnosed_and_the_levels(client, head, school, report_round):
    client.force_login(head)
    response = client.get(report_url(school))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.round == report_round
    assert (report.total, report.diagnosed, report.not_yet) == (17, 12, 5)
    assert report.mean_percent == Decimal("70.4")
    assert [(row.level.code, row.teachers) for row in report.level_rows] == [
        ("low", 0),
        ("mid", 7),
        ("high", 5),
    ]
    page = response.content.decode()
    assert 'id="level-chart"' in page and 'id="area-chart"' in page
    assert 'id="level-chart-data"' in page


def test_area_means_stand_against_district_and_region(client, head, school, report_round):
    client.force_login(head)
    report = client.get(report_url(school)).context["report"]
    docs = area_row(report, "docs")
    assert (docs.school, docs.district, docs.region) == (
        Decimal("69.6"),
        Decimal("60.9"),
        Decimal("53.9"),
    )
    net = area_row(report, "net")
    # Only this school's teachers have internet scores: no teacher outside the school stands
    # behind the district and region means, so they compare nothing and are hidden.
    assert net.school == Decimal("71.3")
    assert is_hidden(net.district) and is_hidden(net.region)


def test_every_teacher_is_listed_with_level_and_area_percents(client, head, school, report_round):
    client.force_login(head)
    report = client.get(report_url(school)).context["report"]
    assert len(report.teachers) == 17
    physics = next(t for t in report.teachers if t.subject == "Physics")
    assert (physics.level.code, physics.percent, physics.areas) == (
        "mid",
        Decimal("60.0"),
        [Decimal("55.0"), Decimal("65.0")],
    )
    assert physics.lowest_area_index == 0
    undiagnosed = [t for t in report.teachers if not t.diagnosed]
    assert len(undiagnosed) == 5


def test_a_level_with_fewer_than_five_teachers_is_hidden_and_the_next_smallest_withheld(
    client, head, school, instrument
):
    round_ = RoundFactory(instrument=instrument, schools=[school])
    for teacher in teachers(school, 6):
        scored(round_, teacher, percent=60, level_code="mid", areas={"docs": 60})
    for teacher in teachers(school, 7):
        scored(round_, teacher, percent=90, level_code="high", areas={"docs": 90})
    for teacher in teachers(school, 2):
        scored(round_, teacher, percent=10, level_code="low", areas={"docs": 10})
    client.force_login(head)
    response = client.get(report_url(school))
    report = response.context["report"]
    # 2 at "low" would point at two people; with the total (15) printed, "low" could be found
    # by subtraction unless one more cell goes: the smallest other one, "mid", is withheld.
    cells = [str(row.teachers) for row in report.level_rows]
    assert cells == [HIDDEN, WITHHELD, "7"]
    assert report.diagnosed == 15
    page = response.content.decode()
    assert HIDDEN in page and WITHHELD in page


def test_filter_leaving_fewer_than_five_teachers_shows_no_figures(
    client, head, school, report_round
):
    TeacherFactory(school=school, subject="Chemistry", years_of_teaching=2)
    scored(
        report_round,
        TeacherFactory(school=school, subject="Chemistry"),
        percent=12,
        level_code="low",
        areas={"docs": 12, "net": 12},
    )
    client.force_login(head)
    response = client.get(report_url(school, subject="Chemistry"))
    report = response.context["report"]
    assert report.too_small
    assert report.teachers == [] and report.attention == []
    assert str(report.mean_percent) == HIDDEN
    assert all(str(row.teachers) in (HIDDEN, "0") for row in report.level_rows)
    assert str(area_row(report, "docs").school) == HIDDEN
    page = response.content.decode()
    assert 'id="too-small"' in page and "12.0%" not in page and 'id="teacher-table"' not in page


def test_filter_by_years_of_teaching_narrows_every_figure(client, head, school, report_round):
    client.force_login(head)
    report = client.get(report_url(school, experience="11-20")).context["report"]
    assert (report.total, report.diagnosed, report.not_yet) == (5, 5, 0)
    assert report.mean_percent == Decimal("85.0")
    assert area_row(report, "docs").school == Decimal("90.0")
    assert {t.subject for t in report.teachers} == {"History"}
    assert report.filter_description


def test_attention_list_names_who_needs_a_closer_look_and_why(client, head, school, instrument):
    round_ = RoundFactory(instrument=instrument, schools=[school])
    calm = teachers(school, 5)
    for teacher in calm:
        scored(round_, teacher, percent=70, level_code="mid", areas={"docs": 70, "net": 70})
    anxious = TeacherFactory(school=school, full_name="Anxious Aigul")
    scored(round_, anxious, percent=70, level_code="mid", areas={"docs": 70}, anxious=True)
    low = TeacherFactory(school=school, full_name="Low Nurlan")
    scored(round_, low, percent=45, level_code="low", areas={"docs": 20, "net": 70})
    proud = TeacherFactory(school=school, full_name="Proud Erlan")
    scored(round_, proud, percent=55, level_code="mid", areas={"net": 55}, parts={"net": (90, 40)})
    TeacherFactory(school=school, full_name="Zhanar Not-yet")
    client.force_login(head)
    report = client.get(report_url(school)).context["report"]
    reasons = {row.name: " ".join(row.reasons) for row in report.attention}
    # Attitude flags never name a teacher to the head (test_privacy_promises.py).
    assert set(reasons) == {"Low Nurlan", "Proud Erlan", "Zhanar Not-yet"}
    assert "Documents (20%)" in reasons["Low Nurlan"]
    assert "Internet (self 90%, test 40%)" in reasons["Proud Erlan"]
    assert "Not diagnosed yet" in reasons["Zhanar Not-yet"]
    assert report.attention[-1].name == "Zhanar Not-yet"


def test_groups_of_the_round_are_listed_with_their_teachers(client, head, school, instrument):
    round_ = RoundFactory(instrument=instrument, schools=[school])
    group = StudyGroup.objects.create(
        round=round_,
        school=school,
        level=level(instrument, "mid"),
        name="Middle — 1",
        bucket="school-mid",
    )
    for teacher in teachers(school, 6):
        response = scored(round_, teacher, percent=60, level_code="mid", areas={"docs": 60})
        GroupMembership.objects.create(
            round=round_, group=group, teacher=teacher, response=response
        )
    client.force_login(head)
    report = client.get(report_url(school)).context["report"]
    assert [(g.name, g.teachers) for g in report.groups] == [("Middle — 1", 6)]
    assert {t.group for t in report.teachers} == {"Middle — 1"}


def test_round_select_chooses_another_round_and_bad_input_is_explained(
    client, head, school, report_round, instrument
):
    older = RoundFactory(
        instrument=instrument,
        schools=[school],
        opens_at=report_round.opens_at - (report_round.closes_at - report_round.opens_at),
    )
    client.force_login(head)
    response = client.get(report_url(school, round=older.pk))
    assert response.context["report"].round == older
    assert response.context["report"].diagnosed == 0
    response = client.get(report_url(school, round="999999", experience="ancient"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["report"].round == report_round
    assert 'class="invalid-feedback"' in response.content.decode()


def test_school_without_rounds_says_so(client, head, school):
    client.force_login(head)
    response = client.get(report_url(school))
    assert response.status_code == 200
    assert response.context["report"].round is None


# --- who may read it ---------------------------------------------------------------------------

SCHOOL_VIEWS = [
    ("diagnostics:school-report", ()),
    ("diagnostics:school-report-print", ()),
    ("diagnostics:school-report-export", ("csv",)),
    ("diagnostics:school-report-export", ("xlsx",)),
    ("diagnostics:school-growth", ()),
    ("diagnostics:school-growth-print", ()),
    ("diagnostics:school-growth-export", ("csv",)),
    ("diagnostics:school-growth-export", ("xlsx",)),
]


@pytest.mark.parametrize(("name", "extra"), SCHOOL_VIEWS)
def test_head_reads_own_school_only(client, head, other_head, school, report_round, name, extra):
    url = reverse(name, args=[school.pk, *extra])
    client.force_login(head)
    assert client.get(url).status_code == 200
    client.force_login(other_head)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("name", "extra"), SCHOOL_VIEWS)
def test_stranger_is_sent_to_sign_in_and_teacher_refused(client, teacher, school, name, extra):
    url = reverse(name, args=[school.pk, *extra])
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(teacher)
    assert client.get(url).status_code == 403


def test_methodist_and_administrator_read_any_school(
    client, methodist, administrator, school, report_round
):
    for reader in (methodist, administrator):
        client.force_login(reader)
        response = client.get(report_url(school))
        assert response.status_code == 200
        assert response.context["report"].diagnosed == 12


def test_unknown_export_format_is_404(client, head, school, report_round):
    client.force_login(head)
    url = reverse("diagnostics:school-report-export", args=[school.pk, "pdf"])
    assert client.get(url).status_code == 404


# --- exports and print -------------------------------------------------------------------------


def sheet_rows(content: bytes, title: str) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook[title].iter_rows(values_only=True))


def test_xlsx_export_has_the_numbers_of_the_page(client, head, school, report_round):
    client.force_login(head)
    url = reverse("diagnostics:school-report-export", args=[school.pk, "xlsx"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    summary = dict(sheet_rows(response.content, "Summary")[1:])
    assert (summary["Teachers"], summary["Diagnosed"], summary["Not diagnosed yet"]) == (17, 12, 5)
    assert summary["Mean score, %"] == pytest.approx(70.4)
    areas = {row[0]: row[1:] for row in sheet_rows(response.content, "Areas")[1:]}
    assert areas["Documents"] == pytest.approx((69.6, 60.9, 53.9))
    levels = dict(sheet_rows(response.content, "Levels")[1:])
    assert levels == {"Low": 0, "Middle": 7, "High": 5}
    teacher_rows = sheet_rows(response.content, "Teachers")
    assert len(teacher_rows) == 1 + 17
    assert teacher_rows[0][-2:] == ("Documents, %", "Internet, %")


def test_xlsx_export_of_a_small_filter_carries_the_marker_not_the_numbers(
    client, head, school, report_round
):
    scored(
        report_round,
        TeacherFactory(school=school, subject="Chemistry"),
        percent=12,
        level_code="low",
        areas={"docs": 12},
    )
    client.force_login(head)
    url = reverse("diagnostics:school-report-export", args=[school.pk, "xlsx"])
    response = client.get(url + "?subject=Chemistry", HTTP_ACCEPT_LANGUAGE="en")
    workbook = load_workbook(io.BytesIO(response.content))
    assert "Teachers" not in workbook.sheetnames
    summary = dict(sheet_rows(response.content, "Summary")[1:])
    assert summary["Mean score, %"] == HIDDEN
    areas = {row[0]: row[1] for row in sheet_rows(response.content, "Areas")[1:]}
    assert areas["Documents"] == HIDDEN


def test_csv_export_opens_in_excel_with_cyrillic_and_is_translated(
    client, head, school, report_round
):
    first = report_round.responses.filter(teacher__school=school).first().teacher
    first.full_name = "Ахметова Айгүл"
    first.save(update_fields=["full_name"])
    client.force_login(head)
    url = reverse("diagnostics:school-report-export", args=[school.pk, "csv"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert any("Ахметова Айгүл" in row for row in rows)
    assert ["Школа", school.name] in rows  # headings in the reader's language


def test_csv_cell_that_looks_like_a_formula_is_neutralised(client, head, school, report_round):
    teacher = TeacherFactory(school=school, full_name="=HYPERLINK(1)")
    scored(report_round, teacher, percent=60, level_code="mid", areas={"docs": 60})
    client.force_login(head)
    url = reverse("diagnostics:school-report-export", args=[school.pk, "csv"])
    body = client.get(url).content.decode("utf-8")
    assert "'=HYPERLINK(1)" in body


def test_print_page_has_the_report_without_navigation(client, head, school, report_round):
    client.force_login(head)
    response = client.get(reverse("diagnostics:school-report-print", args=[school.pk]))
    page = response.content.decode()
    assert '<nav class="navbar' not in page
    assert 'id="area-table"' in page and 'id="teacher-table"' in page
    # The print button (its click handler is static/js/page-actions.js, loaded by the page).
    assert 'data-action="print"' in page and "js/page-actions.js" in page


# --- a fixed number of queries, whatever the school's size --------------------------------------


def test_school_report_query_count_does_not_grow_with_teachers_or_areas(
    client, head, school, report_round, instrument, django_assert_num_queries
):
    client.force_login(head)
    url = report_url(school)
    client.get(url)  # warm: content types, translations
    # session, user, school, rounds, subjects, areas, levels, teachers per level, the round's
    # scores version, area means of the school, of its district, of its region, groups,
    # teachers, their area scores, their flags; the apps' panels: courses completed per area
    # (one GROUP BY) and the areas courses develop
    cold, warm = 18, 15  # warm: the three area means come from the cache
    clear_test_cache()
    with django_assert_num_queries(cold):
        client.get(url)
    with django_assert_num_queries(warm):
        client.get(url)
    AreaFactory(framework=instrument.framework, code="extra")
    for teacher in teachers(school, 20, subject="Biology"):
        scored(
            report_round,
            teacher,
            percent=50,
            level_code="mid",
            areas={"docs": 50, "net": 40, "extra": 30},
            anxious=True,
        )
    # New scores change the version: the cache is not used, and the count is the cold one.
    with django_assert_num_queries(cold):
        response = client.get(url)
    assert response.context["report"].diagnosed == 32
    with django_assert_num_queries(warm):
        client.get(url)


def test_new_scores_show_at_once_despite_the_cache(client, head, school, report_round):
    client.force_login(head)
    before = client.get(report_url(school)).context["report"]
    assert area_row(before, "docs").school == Decimal("69.6")
    scored(
        report_round,
        TeacherFactory(school=school),
        percent=0,
        level_code="low",
        areas={"docs": 0, "net": 0},
    )
    after = client.get(report_url(school)).context["report"]
    # (835 + 0) / 13 = 64.2
    assert area_row(after, "docs").school == Decimal("64.2")


# --- the way in --------------------------------------------------------------------------------


def test_head_dashboard_leads_to_the_report_after_the_round_has_closed(
    client, head, school, instrument
):
    RoundFactory(
        instrument=instrument,
        schools=[school],
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() - timedelta(days=30),
    )
    client.force_login(head)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("diagnostics:school-report", args=[school.pk]) in page
    assert reverse("diagnostics:school-growth", args=[school.pk]) in page


def test_methodist_dashboard_links_each_round_to_its_readiness_report(
    client, methodist, report_round
):
    client.force_login(methodist)
    page = client.get(reverse("dashboard")).content.decode()
    assert f"{reverse('diagnostics:region-report')}?round={report_round.pk}" in page
