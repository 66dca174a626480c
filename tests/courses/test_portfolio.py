import pytest
from django.urls import reverse

from courses.portfolio.models import Reflection, ShareLink
from courses.portfolio.services import reflection_save
from tests.courses.factories import course_with_lessons
from tests.courses.portfolio_history import history
from tests.lms.factories import TeacherFactory


@pytest.fixture
def client(client):
    """A shared link is read without signing in, in the visitor's language: English here."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_owner_sees_courses_certificates_growth_stage_and_reflections(
    client, teacher, levels, areas
):
    history(teacher, levels=levels, areas=areas, rounds=2, courses=1)
    reflection_save(user=teacher, text="I now run lessons with a shared document.")
    client.force_login(teacher)
    page = client.get(reverse("portfolio:mine")).content.decode()
    for expected in [
        "Completed courses",
        "Certificates",
        "Diagnostic growth per area",
        "Documents",
        "+10.0",  # 30 % then 40 % in the first area
        "I now run lessons with a shared document.",
        'id="current-stage"',
        'id="trajectory"',
    ]:
        assert expected in page


def _portfolio_queries(client, django_assert_max_num_queries, teacher, count):
    client.force_login(teacher)
    # 1 session, 2 user, 3 unread notifications count (on the user query's join), then:
    # completed enrolments + courses, scored responses, stage rules, certificates,
    # area scores, reflections, share link, portfolio profile, accepted works (their rubric rows
    # and reviews when there are some); savepoints of the test client.
    with django_assert_max_num_queries(count):
        assert client.get(reverse("portfolio:mine")).status_code == 200


def test_portfolio_page_reads_a_fixed_number_of_queries_whatever_the_history(
    client, django_assert_max_num_queries, school, levels, areas
):
    short = TeacherFactory(school=school, preferred_language="en")
    history(short, levels=levels, areas=areas, rounds=1, courses=1)
    long = TeacherFactory(school=school, preferred_language="en")
    history(long, levels=levels, areas=areas, rounds=10, courses=8)
    for _ in range(20):
        reflection_save(user=long, text="Another year, another change.")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(short)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portfolio:mine"))
    client.force_login(long)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("portfolio:mine"))
    assert len(many) == len(few)
    _portfolio_queries(client, django_assert_max_num_queries, long, 14)


def test_who_may_open_a_teachers_portfolio(client, teacher, head, other_head, methodist, school):
    url = reverse("portfolio:teacher", args=[teacher.pk])
    client.force_login(methodist)
    assert client.get(url).status_code == 200
    client.force_login(head)  # the head of the teacher's own school
    assert client.get(url).status_code == 200
    client.force_login(other_head)
    assert client.get(url).status_code == 404
    client.force_login(TeacherFactory(school=school))  # a colleague
    assert client.get(url).status_code == 404
    client.force_login(teacher)
    assert client.get(url).status_code == 302  # to their own page
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("login"))


def test_teacher_writes_edits_and_deletes_a_reflection(client, teacher):
    course, _lessons = course_with_lessons(lessons=1)
    from courses.services import enrolment_create

    enrolment_create(user=teacher, course=course)
    client.force_login(teacher)
    response = client.post(
        reverse("portfolio:reflection-new"), {"course": course.pk, "text": "Pupils co-edit."}
    )
    assert response.status_code == 302
    reflection = Reflection.objects.get(user=teacher)
    assert reflection.course == course
    client.post(
        reverse("portfolio:reflection-edit", args=[reflection.pk]), {"text": "Pupils co-write."}
    )
    reflection.refresh_from_db()
    assert reflection.text == "Pupils co-write." and reflection.course is None
    client.post(reverse("portfolio:reflection-delete", args=[reflection.pk]))
    assert not Reflection.objects.filter(pk=reflection.pk).exists()


def test_an_empty_reflection_is_refused_with_a_message(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("portfolio:reflection-new"), {"text": "   "})
    assert response.status_code == 200
    assert "the reflection is empty" in response.content.decode()
    assert not Reflection.objects.exists()


def test_a_course_the_teacher_never_took_cannot_be_chosen(client, teacher):
    course, _lessons = course_with_lessons(lessons=1)
    client.force_login(teacher)
    response = client.post(
        reverse("portfolio:reflection-new"), {"course": course.pk, "text": "Kept text"}
    )
    assert response.status_code == 200 and "Kept text" in response.content.decode()
    assert not Reflection.objects.exists()


def test_another_persons_reflection_is_404(client, teacher, other_school, methodist):
    reflection = reflection_save(user=teacher, text="Mine")
    edit = reverse("portfolio:reflection-edit", args=[reflection.pk])
    delete = reverse("portfolio:reflection-delete", args=[reflection.pk])
    for intruder in [
        TeacherFactory(school=teacher.school),
        TeacherFactory(school=other_school),
        methodist,
    ]:
        client.force_login(intruder)
        assert client.get(edit).status_code == 404
        assert client.post(delete).status_code == 404
    client.logout()
    assert client.post(delete).status_code == 302  # to sign in
    assert Reflection.objects.filter(pk=reflection.pk).exists()


def test_share_link_shows_only_the_ticked_sections_without_sign_in(client, teacher, levels, areas):
    history(teacher, levels=levels, areas=areas, rounds=2, courses=1)
    reflection_save(user=teacher, text="A private thought")
    client.force_login(teacher)
    client.post(reverse("portfolio:share"), {"action": "create", "sections": ["certificates"]})
    link = ShareLink.objects.active().get(user=teacher)
    client.logout()
    page = client.get(link.get_absolute_url()).content.decode()
    assert teacher.full_name in page and "Certificates" in page
    assert "A private thought" not in page
    assert "Diagnostic growth per area" not in page
    assert 'id="share"' not in page  # no owner's controls


def test_a_share_link_needs_a_section(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("portfolio:share"), {"action": "create"}, follow=True)
    assert "Tick at least one section" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_a_revoked_or_replaced_share_link_is_404(client, teacher):
    client.force_login(teacher)
    client.post(reverse("portfolio:share"), {"action": "create", "sections": ["courses"]})
    first = ShareLink.objects.get(user=teacher)
    client.post(reverse("portfolio:share"), {"action": "create", "sections": ["courses"]})
    second = ShareLink.objects.active().get(user=teacher)
    client.post(reverse("portfolio:share"), {"action": "revoke"})
    client.logout()
    assert client.get(first.get_absolute_url()).status_code == 404
    assert client.get(second.get_absolute_url()).status_code == 404
    assert client.get(reverse("portfolio:shared", args=["not-a-token"])).status_code == 404


def test_teacher_updates_what_the_link_shows(client, teacher):
    reflection_save(user=teacher, text="Now shown")
    client.force_login(teacher)
    client.post(reverse("portfolio:share"), {"action": "create", "sections": ["courses"]})
    client.post(reverse("portfolio:share"), {"action": "update", "sections": ["reflections"]})
    link = ShareLink.objects.active().get(user=teacher)
    assert link.sections == ["reflections"]
    client.logout()
    assert "Now shown" in client.get(link.get_absolute_url()).content.decode()
