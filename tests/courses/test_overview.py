"""Progress overviews: a study group × a course's lessons, a course, a head's school."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Condition, LessonProgress
from courses.services import enrolment_create, lesson_mark_done, lesson_open
from diagnostics.models import GroupMembership, StudyGroup
from tests.courses.factories import ConditionFactory, course_with_lessons
from tests.diagnostics.factories import RoundFactory
from tests.lms.factories import MethodistFactory, TeacherFactory


@pytest.fixture
def methodist(db):
    return MethodistFactory(preferred_language="en")


def make_group(levels, teachers, *, mentor=None, school=None):
    round_ = RoundFactory()
    group = StudyGroup.objects.create(
        round=round_, level=levels[0], name="Basic 1", bucket="b", school=school
    )
    for teacher in [*teachers, *([mentor] if mentor else [])]:
        GroupMembership.objects.create(
            round=round_, group=group, teacher=teacher, is_mentor=teacher == mentor
        )
    return group


@pytest.fixture
def progress(school, levels):
    """Three teachers of a group over a course of four lessons, the fourth locked behind the
    third: Aigerim did two lessons, Bolat opened the first, Dana is not enrolled."""
    course, lessons = course_with_lessons(lessons=4, title_en="Documents")
    ConditionFactory(lesson=lessons[3], required_lesson=lessons[2])
    aigerim = TeacherFactory(school=school, full_name="Aigerim")
    bolat = TeacherFactory(school=school, full_name="Bolat")
    dana = TeacherFactory(school=school, full_name="Dana")
    for lesson in lessons[:2]:
        lesson_mark_done(user=aigerim, lesson=lesson)
    enrolment_create(user=bolat, course=course)
    lesson_open(user=bolat, lesson=lessons[0])
    mentor = TeacherFactory(school=school, full_name="Mentor")
    group = make_group(levels, [aigerim, bolat, dana], mentor=mentor, school=school)
    return {"course": course, "lessons": lessons, "group": group, "mentor": mentor}


def grid_url(progress):
    return reverse(
        "courses:overview-group-course", args=[progress["group"].pk, progress["course"].slug]
    )


def test_group_grid_shows_done_in_progress_locked_and_not_started(client, methodist, progress):
    client.force_login(methodist)
    response = client.get(grid_url(progress))
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["grid"].rows}
    assert rows["Aigerim"].cells == ["done", "done", "not_started", "locked"]
    assert rows["Aigerim"].percent == 50
    assert rows["Bolat"].cells == ["in_progress", "not_started", "not_started", "locked"]
    assert rows["Bolat"].stuck_lesson == progress["lessons"][0]
    assert rows["Dana"].enrolment_id is None
    columns = response.context["grid"].columns
    assert (columns[0].done, columns[0].in_progress) == (1, 1)
    page = response.content.decode()
    assert 'role="region"' in page and 'tabindex="0"' in page
    assert "not enrolled" in page


def test_group_grid_query_count_does_not_grow_with_the_group(
    client, methodist, progress, school, django_assert_max_num_queries
):
    course, lessons = progress["course"], progress["lessons"]
    for n in range(20):
        teacher = TeacherFactory(school=school)
        GroupMembership.objects.create(
            round=progress["group"].round, group=progress["group"], teacher=teacher
        )
        lesson_mark_done(user=teacher, lesson=lessons[n % 3])
    client.force_login(methodist)
    # session, user, group, course; lessons, members with enrolments and where each is stuck,
    # totals per lesson (GROUP BY), cells; the course's rules and their levels; (no quiz or
    # level rule: no more facts)
    with django_assert_max_num_queries(10):
        assert client.get(grid_url(progress)).status_code == 200
    assert course.enrolments.count() >= 20


def test_a_mentor_watches_their_group_and_a_member_or_head_gets_404(client, progress, head):
    client.force_login(progress["mentor"])
    assert client.get(grid_url(progress)).status_code == 200
    assert (
        client.get(reverse("courses:overview-group", args=[progress["group"].pk])).status_code
        == 200
    )
    member = progress["group"].memberships.filter(is_mentor=False).first().teacher
    client.force_login(member)
    assert client.get(grid_url(progress)).status_code == 404
    client.force_login(head)
    assert client.get(grid_url(progress)).status_code == 404


def test_a_stranger_is_sent_to_sign_in(client, progress):
    response = client.get(grid_url(progress))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_group_csv_and_xlsx_are_formula_safe(client, methodist, progress, school):
    evil = TeacherFactory(school=school, full_name='=HYPERLINK("http://x")')
    GroupMembership.objects.create(
        round=progress["group"].round, group=progress["group"], teacher=evil
    )
    client.force_login(methodist)
    response = client.get(grid_url(progress) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[0] for row in rows[2:]]
    assert '\'=HYPERLINK("http://x")' in names
    aigerim = next(row for row in rows if row[0] == "Aigerim")
    assert aigerim[-4:] == ["Done", "Done", "Not started", "Locked"]
    response = client.get(grid_url(progress) + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet["A"]]
    assert '\'=HYPERLINK("http://x")' in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_level_rule_locks_the_lesson_for_the_teachers_it_does_not_admit(
    client, methodist, progress, levels
):
    lesson = progress["lessons"][2]
    ConditionFactory(lesson=lesson, kind=Condition.Kind.LEVELS, levels=[levels[2]])
    client.force_login(methodist)
    rows = {r.name: r for r in client.get(grid_url(progress)).context["grid"].rows}
    assert rows["Aigerim"].cells[2] == "locked"  # not diagnosed at the Advanced level


def test_course_overview_pages_teachers_and_filters_by_district(
    client, methodist, progress, other_school, django_assert_max_num_queries
):
    course, lessons = progress["course"], progress["lessons"]
    other_school.district = "Far district"
    other_school.save()
    far = TeacherFactory(school=other_school, full_name="Far away")
    lesson_mark_done(user=far, lesson=lessons[0])
    client.force_login(methodist)
    url = reverse("courses:overview-course", args=[course.slug])
    # session, user, course, districts; lessons, count, page ids, page rows, totals, cells,
    # rules and their levels
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert {row.name for row in response.context["grid"].rows} == {"Aigerim", "Bolat", "Far away"}
    response = client.get(url, {"district": other_school.district})
    assert [row.name for row in response.context["grid"].rows] == ["Far away"]
    assert response.context["grid"].columns[0].done == 1


def test_course_overview_is_for_methodists_only(client, progress, head, teacher):
    url = reverse("courses:overview-course", args=[progress["course"].slug])
    for user in (head, teacher):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_a_head_sees_their_school_only(client, progress, head, other_head, school):
    url = reverse("courses:overview-school", args=[school.pk])
    client.force_login(head)
    response = client.get(url)
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["overview"].rows}
    assert rows["Aigerim"].cells == [50]
    assert rows["Dana"].cells == [None]
    client.force_login(other_head)
    assert client.get(url).status_code == 404


def test_a_teacher_gets_404_for_a_school_overview(client, progress, school):
    client.force_login(progress["mentor"])
    assert client.get(reverse("courses:overview-school", args=[school.pk])).status_code == 404


def test_school_overview_query_count_is_fixed(client, head, school, django_assert_max_num_queries):
    courses = [course_with_lessons(lessons=2)[0] for _ in range(3)]
    for n in range(30):
        teacher = TeacherFactory(school=school)
        for course in courses[: 1 + n % 3]:
            enrolment_create(user=teacher, course=course)
    client.force_login(head)
    # session, user, school; the teachers, courses taken (GROUP BY), the columns' courses,
    # each teacher's totals (GROUP BY), the cells
    with django_assert_max_num_queries(8):
        response = client.get(reverse("courses:overview-school", args=[school.pk]))
    assert len(response.context["overview"].rows) == 30


def test_school_export_has_every_enrolment(client, head, progress, school):
    client.force_login(head)
    response = client.get(reverse("courses:overview-school", args=[school.pk]) + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[2:]) == ["Aigerim", "Bolat"]


def test_head_dashboard_links_to_the_school_overview(client, head, school):
    client.force_login(head)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("courses:overview-school", args=[school.pk]) in page


def test_methodist_navigation_has_the_overview_and_the_needs_map(client, methodist):
    client.force_login(methodist)
    page = client.get(reverse("courses:overview")).content.decode()
    assert reverse("courses:needs-map") in page
    assert client.get(reverse("courses:overview"), {"school": 7})["Location"].endswith(
        reverse("courses:overview-school", args=[7])
    )


def test_the_overview_index_is_404_for_a_teacher_who_mentors_nobody(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("courses:overview")).status_code == 404


def test_stuck_is_the_lesson_opened_longest_ago_and_not_completed(client, methodist, progress):
    bolat_enrolment = progress["course"].enrolments.get(user__full_name="Bolat")
    lesson_open(user=bolat_enrolment.user, lesson=progress["lessons"][1])
    LessonProgress.objects.filter(enrolment=bolat_enrolment, lesson=progress["lessons"][1]).update(
        first_opened_at=timezone.now() - timezone.timedelta(days=9)
    )
    client.force_login(methodist)
    rows = {r.name: r for r in client.get(grid_url(progress)).context["grid"].rows}
    assert rows["Bolat"].stuck_lesson == progress["lessons"][1]
