from django.urls import reverse

from tests.lms.factories import TeacherFactory


def test_head_dashboard_counts_own_school_only(client, head, school, other_school):
    TeacherFactory.create_batch(3, school=school, subject="Physics")
    TeacherFactory.create_batch(2, school=other_school)
    client.force_login(head)
    response = client.get(reverse("dashboard"))
    assert response.context["summary"]["total"] == 3
    assert response.context["subjects"] == [{"subject": "Physics", "teachers": 3}]


def test_teachers_list_shows_own_school_and_searches(client, head, school, other_school):
    TeacherFactory(school=school, full_name="Айгүл Ахметова", subject="Maths")
    TeacherFactory(school=school, full_name="Нұрлан Садықов", subject="Physics")
    TeacherFactory(school=other_school, full_name="Айгүл Other")
    client.force_login(head)
    url = reverse("school-teachers", args=[school.pk])
    names = [t.full_name for t in client.get(url).context["page"]]
    assert names == ["Айгүл Ахметова", "Нұрлан Садықов"]
    found = [t.full_name for t in client.get(url, {"q": "айгүл"}).context["page"]]
    assert found == ["Айгүл Ахметова"]


def _dashboard_queries(client, user, django_assert_max_num_queries, limit):
    client.force_login(user)
    with django_assert_max_num_queries(limit):
        assert client.get(reverse("dashboard")).status_code == 200


def test_teacher_dashboard_query_count_is_bounded(
    client, teacher, school, django_assert_max_num_queries
):
    TeacherFactory.create_batch(40, school=school)
    # session, user, school of the user (profile card), colleagues count; the diagnostics
    # panel: open rounds, the teacher's responses in them, earlier results; the study group
    # panel: the latest membership; the library panel: the latest diagnosis, the shelf; the
    # courses panel: the learning path, the latest scored diagnosis, group courses, the
    # enrolment to continue
    _dashboard_queries(client, teacher, django_assert_max_num_queries, 14)


def test_head_dashboard_query_count_is_bounded(client, head, school, django_assert_max_num_queries):
    TeacherFactory.create_batch(40, school=school)
    # session, user, school, summary aggregate, subjects GROUP BY; the diagnostics panel's
    # open rounds with their submission counts; the study groups panel's GROUP BY round; the
    # forums panel: upcoming round tables (the bell's count rides on the user query)
    _dashboard_queries(client, head, django_assert_max_num_queries, 8)


def test_teachers_list_query_count_does_not_grow_with_the_school(
    client, head, school, django_assert_max_num_queries
):
    TeacherFactory.create_batch(120, school=school)
    client.force_login(head)
    # session, user, school (permission lookup), page count, page of teachers
    with django_assert_max_num_queries(5):
        response = client.get(reverse("school-teachers", args=[school.pk]))
    assert len(response.context["page"]) == 50


def test_school_list_query_count_is_bounded(client, administrator, django_assert_max_num_queries):
    from tests.lms.factories import SchoolFactory

    for created in SchoolFactory.create_batch(30):
        TeacherFactory.create_batch(2, school=created)
    client.force_login(administrator)
    # session, user, count, page of schools with teacher counts
    with django_assert_max_num_queries(4):
        response = client.get(reverse("school-list"))
    assert all(s.teachers == 2 for s in response.context["page"])


def test_methodist_dashboard_lists_authoring_entry_points(client, methodist):
    client.force_login(methodist)
    response = client.get(reverse("dashboard"))
    assert reverse("admin:lms_school_changelist") in response.content.decode()


def test_pages_load_no_asset_from_another_host(client, head):
    client.force_login(head)
    html = client.get(reverse("dashboard")).content.decode()
    for attribute in ("src", "href"):
        for url in __import__("re").findall(rf'{attribute}="([^"]+)"', html):
            assert not url.startswith(("http://", "https://", "//")), url
