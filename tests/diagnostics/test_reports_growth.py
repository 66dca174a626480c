"""Growth between two rounds of one school: transitions, areas, teachers, groups."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from diagnostics.models import GroupMembership, StudyGroup
from diagnostics.reports.privacy import hidden_label
from tests.diagnostics.factories import InstrumentFactory, RoundFactory
from tests.diagnostics.report_helpers import later_round, level, scored, teachers
from tests.lms.factories import TeacherFactory

pytestmark = pytest.mark.usefixtures("fresh_cache_and_english")

with translation.override("en"):
    HIDDEN = hidden_label()


@pytest.fixture
def two_rounds(instrument, school):
    """Spring and autumn. Six teachers took both:

    five went from low (30 %, documents 20) to mid (60 %, documents 50): +30 each;
    one stayed low (35 % -> 40 %, documents 30 -> 35).
    Autumn groups: the five in "Middle — 1"; the sixth in "Low — 1" alone.
    One teacher took only spring, one only autumn.
    """
    spring = RoundFactory(instrument=instrument, schools=[school])
    autumn = later_round(instrument, [school])
    middle = StudyGroup.objects.create(
        round=autumn, school=school, level=level(instrument, "mid"), name="Middle — 1", bucket="m"
    )
    low_group = StudyGroup.objects.create(
        round=autumn, school=school, level=level(instrument, "low"), name="Low — 1", bucket="l"
    )
    for teacher in teachers(school, 5):
        scored(spring, teacher, percent=30, level_code="low", areas={"docs": 20, "net": 40})
        after = scored(autumn, teacher, percent=60, level_code="mid", areas={"docs": 50, "net": 70})
        GroupMembership.objects.create(round=autumn, group=middle, teacher=teacher, response=after)
    steady = TeacherFactory(school=school, full_name="Steady Saule")
    scored(spring, steady, percent=35, level_code="low", areas={"docs": 30, "net": 40})
    after = scored(autumn, steady, percent=40, level_code="low", areas={"docs": 35, "net": 45})
    GroupMembership.objects.create(round=autumn, group=low_group, teacher=steady, response=after)
    scored(spring, TeacherFactory(school=school), percent=90, level_code="high", areas={"docs": 90})
    scored(autumn, TeacherFactory(school=school), percent=95, level_code="high", areas={"docs": 95})
    return spring, autumn


def growth_url(school, **params):
    url = reverse("diagnostics:school-growth", args=[school.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def test_growth_defaults_to_the_two_latest_rounds(client, head, school, two_rounds):
    spring, autumn = two_rounds
    client.force_login(head)
    report = client.get(growth_url(school)).context["report"]
    assert (report.earlier, report.later) == (spring, autumn)
    # Who took which round is participation, not a result: shown however small.
    assert (report.matched, report.only_earlier, report.only_later) == (6, 1, 1)


def test_transition_table_counts_who_moved_where(client, head, school, two_rounds):
    client.force_login(head)
    report = client.get(growth_url(school)).context["report"]
    table = {row.level.code: [str(cell) for cell in row.cells] for row in report.transitions}
    # low -> mid: 5 teachers; low -> low: 1 (hidden: fewer than 5); nobody else moved.
    assert table == {"low": [HIDDEN, "5", "0"], "mid": ["0", "0", "0"], "high": ["0", "0", "0"]}


def test_change_per_area_is_over_teachers_who_took_both(client, head, school, two_rounds):
    client.force_login(head)
    report = client.get(growth_url(school)).context["report"]
    docs = next(row for row in report.area_changes if row.area.code == "docs")
    # Before (5*20 + 30) / 6 = 21.7; after (5*50 + 35) / 6 = 47.5; the one-round teachers
    # (90 and 95) are left out.
    assert (docs.before, docs.after, docs.change) == (
        Decimal("21.7"),
        Decimal("47.5"),
        Decimal("25.8"),
    )


def test_change_per_teacher_and_per_group(client, head, school, two_rounds):
    client.force_login(head)
    report = client.get(growth_url(school)).context["report"]
    steady = next(t for t in report.teachers if t.name == "Steady Saule")
    assert (steady.before, steady.after, steady.change) == (
        Decimal("35.0"),
        Decimal("40.0"),
        Decimal("5.0"),
    )
    assert steady.area_changes == [Decimal("5.0"), Decimal("5.0")]
    assert (steady.level_before.code, steady.level_after.code) == ("low", "low")
    groups = {g.name: g for g in report.groups}
    assert (groups["Middle — 1"].before, groups["Middle — 1"].after) == (
        Decimal("30.0"),
        Decimal("60.0"),
    )
    assert groups["Middle — 1"].change == Decimal("30.0")
    # A group of one: its change would be that teacher's.
    assert str(groups["Low — 1"].change) == HIDDEN and str(groups["Low — 1"].teachers) == HIDDEN


def test_rounds_of_different_instruments_do_not_compare(client, head, school, two_rounds):
    spring, _autumn = two_rounds
    other = RoundFactory(
        instrument=InstrumentFactory(), schools=[school], opens_at=spring.opens_at + timedelta(1)
    )
    client.force_login(head)
    response = client.get(growth_url(school, earlier=spring.pk, later=other.pk))
    assert response.status_code == 200
    assert "different instruments" in str(response.context["form"].non_field_errors())
    # The page still shows the default comparison rather than nothing.
    assert response.context["report"].later == two_rounds[1]


def test_same_round_twice_or_swapped_rounds_are_explained(client, head, school, two_rounds):
    spring, autumn = two_rounds
    client.force_login(head)
    response = client.get(growth_url(school, earlier=spring.pk, later=spring.pk))
    assert "two different rounds" in str(response.context["form"].non_field_errors())
    response = client.get(growth_url(school, earlier=autumn.pk, later=spring.pk))
    assert "must open before" in str(response.context["form"].non_field_errors())


def test_growth_filtered_to_fewer_than_five_shows_no_teacher(client, head, school, two_rounds):
    spring, autumn = two_rounds
    chemist = TeacherFactory(school=school, subject="Chemistry")
    scored(spring, chemist, percent=10, level_code="low", areas={"docs": 10})
    scored(autumn, chemist, percent=20, level_code="low", areas={"docs": 20})
    client.force_login(head)
    response = client.get(growth_url(school, subject="Chemistry"))
    report = response.context["report"]
    assert report.too_small and report.teachers == []
    assert all(str(c) in (HIDDEN, "0") for row in report.transitions for c in row.cells)
    assert str(report.area_changes[0].change) == HIDDEN
    assert 'id="teacher-change-table"' not in response.content.decode()


def test_growth_with_one_round_only_says_what_is_missing(client, head, school, instrument):
    round_ = RoundFactory(instrument=instrument, schools=[school])
    scored(round_, TeacherFactory(school=school), percent=50, level_code="mid", areas={})
    client.force_login(head)
    response = client.get(growth_url(school))
    assert response.status_code == 200
    assert not response.context["report"].ready


def test_growth_xlsx_has_the_transition_table(client, head, school, two_rounds):
    client.force_login(head)
    url = reverse("diagnostics:school-growth-export", args=[school.pk, "xlsx"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Level transitions"].iter_rows(values_only=True))
    assert rows[0] == ("Level before / after", "Low", "Middle", "High")
    assert rows[1] == ("Low", HIDDEN, 5, 0)
    changes = {r[0]: r[1:] for r in workbook["Change per area"].iter_rows(values_only=True)}
    assert changes["Documents"] == pytest.approx((21.7, 47.5, 25.8))


def test_growth_query_count_is_fixed(client, head, school, two_rounds, django_assert_num_queries):
    spring, autumn = two_rounds
    client.force_login(head)
    url = growth_url(school)
    client.get(url)
    # session, user, school, rounds, subjects, areas, levels, counts, transitions, area
    # changes, group changes, teachers, their area scores
    with django_assert_num_queries(13):
        client.get(url)
    for teacher in teachers(school, 15):
        scored(spring, teacher, percent=20, level_code="low", areas={"docs": 20})
        scored(autumn, teacher, percent=80, level_code="high", areas={"docs": 80})
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.context["report"].matched == 21
