import pytest
from django.urls import reverse

from lms.roles import Role
from tests.lms.factories import SchoolFactory, TeacherFactory


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_stranger_is_sent_to_sign_in_from_every_page(client, school):
    for url in [
        reverse("dashboard"),
        reverse("profile"),
        reverse("school-list"),
        reverse("school-teachers", args=[school.pk]),
        reverse("roster-import", args=[school.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_teacher_reaches_dashboard_and_profile_only(client, teacher, school):
    client.force_login(teacher)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("profile")).status_code == 200
    assert client.get(reverse("school-teachers", args=[school.pk])).status_code == 403
    assert client.get(reverse("roster-import", args=[school.pk])).status_code == 403
    assert client.get(reverse("school-list")).status_code == 403
    # The admin sends non-staff users to its sign-in page.
    assert client.get(reverse("admin:index")).status_code == 302


def test_head_reaches_own_school_pages(client, head, school):
    client.force_login(head)
    assert client.get(reverse("school-teachers", args=[school.pk])).status_code == 200
    assert client.get(reverse("roster-import", args=[school.pk])).status_code == 200
    assert client.get(reverse("school-list")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302


def test_head_gets_404_for_another_schools_pages(client, head, other_school):
    client.force_login(head)
    assert client.get(reverse("school-teachers", args=[other_school.pk])).status_code == 404
    assert client.get(reverse("roster-import", args=[other_school.pk])).status_code == 404


def test_methodist_reaches_the_admin_but_not_school_management(client, methodist, school):
    client.force_login(methodist)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:lms_school_changelist")).status_code == 200
    # A methodist may look at users but not change them: that is the administrator's job.
    teacher = TeacherFactory(school=school)
    assert client.get(reverse("admin:lms_user_change", args=[teacher.pk])).status_code == 200
    assert client.post(reverse("admin:lms_user_delete", args=[teacher.pk])).status_code == 403
    assert client.get(reverse("school-teachers", args=[school.pk])).status_code == 403


def test_administrator_reaches_everything(client, administrator, school):
    client.force_login(administrator)
    for url in [
        reverse("dashboard"),
        reverse("school-list"),
        reverse("school-teachers", args=[school.pk]),
        reverse("roster-import", args=[school.pk]),
        reverse("admin:index"),
        reverse("admin:lms_user_add"),
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("role", "perm", "granted"),
    [
        (Role.TEACHER, "lms.view_school", False),
        (Role.SCHOOL_HEAD, "lms.change_user", False),
        (Role.METHODIST, "lms.view_school", True),
        (Role.METHODIST, "lms.change_user", False),
        (Role.ADMINISTRATOR, "lms.delete_school", True),
        (Role.ADMINISTRATOR, "axes.view_accessattempt", True),
    ],
)
def test_role_group_carries_its_permissions(db, role, perm, granted):
    user = TeacherFactory(role=role, school=SchoolFactory())
    assert user.has_perm(perm) is granted


def test_changing_role_changes_permissions_without_touching_groups(db):
    user = TeacherFactory()
    assert not user.has_perm("lms.view_school")
    user.role = Role.METHODIST
    user.save(update_fields=["role"])
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per instance
    assert user.has_perm("lms.view_school")
    assert user.is_staff


def test_role_groups_exist_after_migrate(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}
