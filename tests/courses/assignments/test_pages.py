"""The queue and the work pages read a fixed number of queries, whatever the number of works."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.assignments import views
from courses.assignments.models import Submission
from tests.courses.assignments.conftest import handed_in
from tests.courses.assignments.factories import AssignmentFactory
from tests.lms.factories import SchoolFactory, TeacherFactory


def _works(assignment, count, school=None):
    made = []
    for n in range(count):
        person = TeacherFactory(school=school or SchoolFactory())
        made.append(handed_in(assignment, person, text=f"work {n}", with_file=n % 2 == 0))
    return made


def test_queue_query_count_is_fixed(client, methodist, assignment, django_assert_max_num_queries):
    _works(assignment, 12)
    client.force_login(methodist)
    # session, user (+ unread count), count, page of works (author, lesson, course, school,
    # group joined), courses with assignments, schools
    with django_assert_max_num_queries(6):
        response = client.get(reverse("assignments:queue"))
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("assignments:queue"))
    _works(assignment, 10)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("assignments:queue"))
    assert len(many) == len(few)


def test_queue_filters_and_oldest_first(client, methodist, assignment):
    school = SchoolFactory()
    works = _works(assignment, 3, school=school)
    other = _works(AssignmentFactory(), 1)[0]
    Submission.objects.filter(pk=works[1].pk).update(
        submitted_at=timezone.now() - timedelta(days=10)
    )
    client.force_login(methodist)
    url = reverse("assignments:queue")
    page = client.get(url).content.decode()
    assert page.index(works[1].get_absolute_url()) < page.index(works[0].get_absolute_url())
    page = client.get(url, {"school": school.pk}).content.decode()
    assert other.get_absolute_url() not in page and works[2].get_absolute_url() in page
    page = client.get(url, {"course": assignment.lesson.module.course_id}).content.decode()
    assert other.get_absolute_url() not in page
    page = client.get(url, {"waiting": 7}).content.decode()
    assert works[1].get_absolute_url() in page and works[0].get_absolute_url() not in page
    # Malformed filters are ignored, never a 500.
    assert client.get(url, {"course": "x", "waiting": "abc", "page": "zz"}).status_code == 200


def test_queue_is_paginated(client, methodist, assignment, settings):
    from courses.assignments import views

    views.QUEUE_PAGE_SIZE, saved = 2, views.QUEUE_PAGE_SIZE
    try:
        works = _works(assignment, 3)
        client.force_login(methodist)
        second = client.get(reverse("assignments:queue"), {"page": 2}).content.decode()
    finally:
        views.QUEUE_PAGE_SIZE = saved
    assert works[2].get_absolute_url() in second
    assert works[0].get_absolute_url() not in second


def test_review_page_query_count_is_fixed(
    client, methodist, teacher, assignment, django_assert_max_num_queries
):
    submission = handed_in(assignment, teacher, with_file=True)
    client.force_login(methodist)
    # session, user, the work (author, lesson, course, group, school), rubric rows, versions,
    # their files, reviews, peers' feedback
    with django_assert_max_num_queries(9):
        assert client.get(submission.get_absolute_url()).status_code == 200


def test_teachers_assignment_page_query_count_is_fixed(
    client, teacher, assignment, django_assert_max_num_queries
):
    handed_in(assignment, teacher, with_file=True)
    client.force_login(teacher)
    # session, user, assignment (lesson, course), visible course check, enrolment, gate
    # (conditions, completions, module progress, quiz marks, latest response, area scores),
    # work, rubric rows, versions, files, reviews, peers' feedback, peer works, draft files
    with django_assert_max_num_queries(21):
        assert client.get(assignment.get_absolute_url()).status_code == 200


def test_queue_pages_follow_each_other_oldest_first(client, methodist, assignment, monkeypatch):
    # The page is found among the ids, then its rows are read: each work on exactly one page,
    # in waiting order, within a filter too.
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 4)
    works = _works(assignment, 10)
    for age, work in enumerate(works):
        Submission.objects.filter(pk=work.pk).update(
            submitted_at=timezone.now() - timedelta(hours=100 - age)
        )
    client.force_login(methodist)
    url = reverse("assignments:queue")
    course = assignment.lesson.module.course_id
    for query in ({}, {"course": course}):
        seen = []
        for number in (1, 2, 3):
            page = client.get(url, {**query, "page": number}).content.decode()
            shown = sorted(
                (page.index(w.get_absolute_url()), w) for w in works if w.get_absolute_url() in page
            )
            seen += [work for _position, work in shown]
        assert seen == works, query
