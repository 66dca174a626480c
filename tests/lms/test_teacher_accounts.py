"""A head's teacher list: invitations sent again, teachers deactivated and reactivated, and a
teacher whose invitation was lost gets a set-password link from "forgot password"."""

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.models import User
from tests.lms.factories import PASSWORD, TeacherFactory


@pytest.fixture(autouse=True)
def own_cache(settings):
    # The resend limit lives in the cache: a store of this test's own, never a shared one.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "teacher-accounts-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def invited(school):
    """A teacher imported from the roster who never set a password."""
    return TeacherFactory(school=school, password=make_password(None), last_login=None)


def invite_url(teacher):
    return reverse("teacher-invite", args=[teacher.school_id, teacher.pk])


def deactivate_url(teacher):
    return reverse("teacher-deactivate", args=[teacher.school_id, teacher.pk])


def reactivate_url(teacher):
    return reverse("teacher-reactivate", args=[teacher.school_id, teacher.pk])


URLS = [invite_url, deactivate_url, reactivate_url]


@pytest.mark.parametrize("url", URLS)
def test_another_schools_head_gets_404(client, other_head, invited, url):
    client.force_login(other_head)
    assert client.post(url(invited)).status_code == 404
    invited.refresh_from_db()
    assert invited.is_active
    assert mail.outbox == []


@pytest.mark.parametrize("url", URLS)
def test_a_teacher_is_refused(client, teacher, invited, url):
    client.force_login(teacher)
    assert client.post(url(invited)).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_a_stranger_is_sent_to_sign_in(client, invited, url):
    response = client.post(url(invited))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", URLS)
def test_an_id_under_the_wrong_school_is_404(client, head, other_school, url):
    stranger = TeacherFactory(school=other_school)
    client.force_login(head)
    wrong = url(stranger).replace(f"/schools/{other_school.pk}/", f"/schools/{head.school_id}/")
    assert client.post(wrong).status_code == 404


def test_head_sends_the_invitation_again_once_per_interval(
    client, head, invited, django_capture_on_commit_callbacks
):
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(invite_url(invited)).status_code == 302
    assert [m.to for m in mail.outbox] == [[invited.email]]
    assert "/accounts/reset/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(invited), follow=True, headers={"accept-language": "en"})
    assert len(mail.outbox) == 1  # pressed again at once: nothing more
    assert "quarter of an hour" in response.content.decode()


def test_resend_button_only_for_teachers_who_never_signed_in(client, head, invited, school):
    signed_in = TeacherFactory(school=school)
    signed_in.last_login = signed_in.date_joined
    signed_in.save(update_fields=["last_login"])
    client.force_login(head)
    html = client.get(reverse("school-teachers", args=[school.pk])).content.decode()
    assert invite_url(invited) in html
    assert invite_url(signed_in) not in html
    assert deactivate_url(signed_in) in html


def signs_in(client, teacher) -> bool:
    response = client.post(reverse("login"), {"username": teacher.email, "password": PASSWORD})
    return response.status_code == 302


def test_deactivated_teacher_cannot_sign_in_until_reactivated(client, head, school):
    teacher = TeacherFactory(school=school)
    client.force_login(head)
    confirm = client.get(deactivate_url(teacher))
    assert confirm.status_code == 200
    assert teacher.email in confirm.content.decode()
    teacher.refresh_from_db()
    assert teacher.is_active  # the GET only asks
    assert client.post(deactivate_url(teacher)).status_code == 302
    teacher.refresh_from_db()
    assert not teacher.is_active
    client.logout()
    assert not signs_in(client, teacher)

    client.force_login(head)
    assert client.post(reactivate_url(teacher)).status_code == 302
    client.logout()
    assert signs_in(client, teacher)


def test_deactivated_teachers_session_ends(client, head, school):
    teacher = TeacherFactory(school=school)
    client.force_login(teacher)
    assert client.get(reverse("dashboard")).status_code == 200
    User.objects.filter(pk=teacher.pk).update(is_active=False)
    assert client.get(reverse("dashboard")).status_code == 302


def test_forgot_password_reaches_a_teacher_who_never_set_one(client, invited):
    response = client.post(reverse("password_reset"), {"email": invited.email.upper()})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[invited.email]]


def test_forgot_password_sends_nothing_to_a_deactivated_account(client, invited):
    User.objects.filter(pk=invited.pk).update(is_active=False)
    client.post(reverse("password_reset"), {"email": invited.email})
    assert mail.outbox == []


def upload(client, school, text):
    data = SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")
    return client.post(
        reverse("roster-import", args=[school.pk]),
        {"file": data},
        headers={"accept-language": "en"},
    )


def test_reimport_sends_a_lost_invitation_again(
    client, head, school, invited, django_capture_on_commit_callbacks
):
    client.force_login(head)
    text = f"full_name,email,subject,years_of_teaching\n{invited.full_name},{invited.email},,\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, school, text)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[invited.email]]
    assert User.objects.filter(email=invited.email).count() == 1


def test_reimport_does_not_reveal_an_address_of_another_school(
    client, head, school, other_school, django_capture_on_commit_callbacks
):
    elsewhere = TeacherFactory(school=other_school, password=make_password(None))
    client.force_login(head)
    header = "full_name,email,subject,years_of_teaching\n"

    def import_one(email):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, school, header + f"Someone,{email},,\n")
        return response.status_code, client.get(response.url).content.decode()

    taken_status, taken_page = import_one(elsewhere.email)
    assert mail.outbox == []  # nothing goes to another school's teacher
    new_status, new_page = import_one("brand.new@school.kz")
    assert taken_status == new_status == 302
    message = "1 teacher was read; each who has not set a password yet gets an e-mail to set one."
    assert message in taken_page
    assert message in new_page
    elsewhere.refresh_from_db()
    assert elsewhere.school == other_school
