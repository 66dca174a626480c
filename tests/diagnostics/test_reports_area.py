"""Region -> district -> school, for methodists and administrators only."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from diagnostics.reports.privacy import hidden_label, withheld_label
from tests.cache import clear_test_cache
from tests.diagnostics.factories import RoundFactory
from tests.diagnostics.report_helpers import scored, teachers
from tests.lms.factories import SchoolFactory

pytestmark = pytest.mark.usefixtures("fresh_cache_and_english")

with translation.override("en"):
    HIDDEN = hidden_label()
    WITHHELD = withheld_label()
URL = reverse("diagnostics:region-report")


@pytest.fixture
def region_round(instrument):
    """Almaty region: Karasai (school A: 6 mid at 60 %, 2 not diagnosed; school B: 3 high at
    90 %) and Talgar (school C: 5 low at 20 %). Zhambyl region: school D, 5 mid at 50 %.
    A school outside the round (E) has teachers who must not count as "not diagnosed".
    """
    a = SchoolFactory(name="A", district="Karasai")
    b = SchoolFactory(name="B", district="Karasai")
    c = SchoolFactory(name="C", district="Talgar")
    d = SchoolFactory(name="D", region="Zhambyl region", district="Taraz")
    e = SchoolFactory(name="E", district="Karasai")
    round_ = RoundFactory(instrument=instrument, schools=[a, b, c, d])
    for school, count, percent, code in (
        (a, 6, 60, "mid"),
        (b, 3, 90, "high"),
        (c, 5, 20, "low"),
        (d, 5, 50, "mid"),
    ):
        for teacher in teachers(school, count):
            scored(
                round_,
                teacher,
                percent=percent,
                level_code=code,
                areas={"docs": percent, "net": percent},
            )
    teachers(a, 2)
    teachers(e, 4)
    return round_


def parts_by_name(report):
    return {part.name: part for part in report.parts}


def test_methodist_sees_every_region_of_the_round(client, methodist, region_round):
    client.force_login(methodist)
    report = client.get(URL).context["report"]
    assert report.depth == "regions"
    parts = parts_by_name(report)
    almaty = parts["Almaty region"]
    # 14 diagnosed of 16 teachers in the round's schools (E is not in the round). Who took
    # part is not a result, so even the 2 not yet diagnosed are shown.
    assert (almaty.total, almaty.diagnosed, almaty.not_yet) == (16, 14, 2)
    # (6*60 + 3*90 + 5*20) / 14 = 52.1
    assert almaty.mean == Decimal("52.1")
    # Low 5, middle 6, high 3: high is hidden, and low (the smallest other) withheld with it.
    assert [str(cell) for cell in almaty.levels] == [WITHHELD, "6", HIDDEN]
    assert report.total == 21


def test_region_drills_into_districts_and_schools(client, methodist, region_round):
    client.force_login(methodist)
    report = client.get(URL, {"round": region_round.pk, "region": "Almaty region"}).context[
        "report"
    ]
    assert report.depth == "districts"
    parts = parts_by_name(report)
    assert set(parts) == {"Karasai", "Talgar"}
    # Karasai: (6*60 + 3*90) / 9 = 70.0
    assert parts["Karasai"].mean == Decimal("70.0")
    docs = report.area_rows[0]
    # The region's documents mean: (6*60 + 3*90 + 5*20) / 14 = 52.1; Zhambyl is not in it.
    assert (docs.scope, docs.parent) == (Decimal("52.1"), None)

    report = client.get(
        URL, {"round": region_round.pk, "region": "Almaty region", "district": "Karasai"}
    ).context["report"]
    assert report.depth == "schools"
    parts = parts_by_name(report)
    assert set(parts) == {"A", "B"}
    # School B has three diagnosed teachers: no mean, no level counts.
    assert str(parts["B"].mean) == HIDDEN
    assert all(str(cell) in (HIDDEN, "0") for cell in parts["B"].levels)
    assert parts["A"].mean == Decimal("60.0")
    assert parts["A"].school_id is not None
    # The district stands against its region.
    docs = report.area_rows[0]
    assert (docs.scope, docs.parent) == (Decimal("70.0"), Decimal("52.1"))


def test_district_page_links_each_school_to_its_report(client, methodist, region_round):
    client.force_login(methodist)
    response = client.get(
        URL, {"round": region_round.pk, "region": "Almaty region", "district": "Karasai"}
    )
    school_a = next(p for p in response.context["report"].parts if p.name == "A")
    assert reverse("diagnostics:school-report", args=[school_a.school_id]) in (
        response.content.decode()
    )


def test_filter_applies_to_the_region_pages(client, methodist, region_round):
    for teacher in teachers(region_round.schools.get(name="D"), 5, subject="Physics"):
        scored(region_round, teacher, percent=80, level_code="high", areas={"docs": 80})
    client.force_login(methodist)
    report = client.get(URL, {"round": region_round.pk, "subject": "Physics"}).context["report"]
    assert {p.name: (p.total, p.mean) for p in report.parts} == {
        "Zhambyl region": (5, Decimal("80.0"))
    }


@pytest.mark.parametrize("name", ["diagnostics:region-report", "diagnostics:region-report-print"])
def test_heads_and_teachers_are_refused_strangers_sent_to_sign_in(
    client, head, teacher, region_round, name
):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for user in (head, teacher):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_head_cannot_export_the_region(client, head, region_round):
    client.force_login(head)
    url = reverse("diagnostics:region-report-export", args=["xlsx"])
    assert client.get(url).status_code == 403


def test_region_xlsx_export_has_the_same_numbers(client, administrator, region_round):
    client.force_login(administrator)
    url = reverse("diagnostics:region-report-export", args=["xlsx"])
    response = client.get(
        url, {"round": region_round.pk, "region": "Almaty region"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["District"].iter_rows(values_only=True))
    assert rows[0] == (
        "District",
        "Teachers",
        "Diagnosed",
        "Not diagnosed yet",
        "Low",
        "Middle",
        "High",
        "Mean score, %",
    )
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name["Talgar"] == (5, 5, 0, 5, 0, 0, 20.0)
    assert by_name["Karasai"][-1] == pytest.approx(70.0)


def test_print_page_of_the_region_has_no_navigation(client, methodist, region_round):
    client.force_login(methodist)
    page = client.get(reverse("diagnostics:region-report-print")).content.decode()
    assert 'class="navbar' not in page and 'id="part-table"' in page


def test_region_report_query_count_is_fixed(
    client, methodist, region_round, django_assert_num_queries
):
    client.force_login(methodist)
    client.get(URL)
    # session, user, rounds, subjects, areas, levels, teachers per part and level, the round's
    # scores version, area means (from the cache when warm)
    clear_test_cache()
    with django_assert_num_queries(9):
        client.get(URL)
    with django_assert_num_queries(8):
        client.get(URL)
    for district in ("North", "South", "East"):
        school = SchoolFactory(district=district)
        region_round.schools.add(school)
        for teacher in teachers(school, 5):
            scored(region_round, teacher, percent=40, level_code="low", areas={"docs": 40})
    with django_assert_num_queries(9):
        client.get(URL)
    # A district page names its schools and compares with the region: two queries more,
    # whatever the number of schools.
    params = {"round": region_round.pk, "region": "Almaty region", "district": "Karasai"}
    clear_test_cache()
    with django_assert_num_queries(11):
        client.get(URL, params)
