import re

from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests.lms.factories import PASSWORD, TeacherFactory


def _sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_teacher_signs_in_with_email_in_any_case(client, teacher):
    response = _sign_in(client, teacher.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_wrong_password_shows_an_error_and_stays(client, teacher):
    response = _sign_in(client, teacher.email, "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_account_locks_after_five_failed_sign_ins(client, teacher, settings):
    settings.LANGUAGE_CODE = "en"
    for _ in range(4):
        assert _sign_in(client, teacher.email, "wrong").status_code == 200
    locked = _sign_in(client, teacher.email, "wrong")
    assert locked.status_code == 429
    assert b"locked for 15 minutes" in locked.content
    # Even the right password is refused while the lock lasts.
    again = _sign_in(client, teacher.email, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_message_is_translated(client, teacher):
    for _ in range(5):
        _sign_in(client, teacher.email, "wrong")
    response = client.post(
        reverse("login"),
        {"username": teacher.email, "password": "wrong"},
        headers={"accept-language": "ru"},
    )
    assert response.status_code == 429
    with translation.override("ru"):
        expected = translation.gettext("Too many failed sign-ins")
    assert expected != "Too many failed sign-ins"
    assert expected in response.content.decode()


def test_lock_is_per_account_not_per_school_network(client, teacher, school):
    colleague = TeacherFactory(school=school)
    for _ in range(5):
        _sign_in(client, teacher.email, "wrong")
    assert _sign_in(client, colleague.email, PASSWORD).status_code == 302


def test_password_reset_sends_a_working_link(client, teacher):
    response = client.post(reverse("password_reset"), {"email": teacher.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-password-1", "new_password2": "a-new-long-password-1"},
    )
    assert done.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("a-new-long-password-1")


def test_password_change(client, teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-password-2",
            "new_password2": "another-long-password-2",
        },
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("another-long-password-2")


def test_sign_out_needs_post(client, teacher):
    client.force_login(teacher)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session
