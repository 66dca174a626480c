from django.conf import settings
from django.urls import reverse


def test_teacher_edits_own_details_and_language(client, teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("profile"),
        {
            "full_name": "  Ахметова   Айгүл ",
            "subject": "Информатика",
            "years_of_teaching": "12",
            "preferred_language": "ru",
        },
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    teacher.refresh_from_db()
    assert teacher.full_name == "Ахметова Айгүл"
    assert teacher.subject == "Информатика"
    assert teacher.years_of_teaching == 12
    assert teacher.preferred_language == "ru"


def test_bad_profile_input_is_refused_and_nothing_changes(client, teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("profile"),
        {"full_name": "   ", "subject": "", "years_of_teaching": "200", "preferred_language": "xx"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"full_name", "years_of_teaching", "preferred_language"}
    teacher.refresh_from_db()
    assert teacher.full_name.startswith("Teacher")


def test_profile_cannot_change_role_or_school(client, teacher, other_school):
    client.force_login(teacher)
    client.post(
        reverse("profile"),
        {
            "full_name": "T",
            "years_of_teaching": "1",
            "role": "administrator",
            "school": other_school.pk,
        },
    )
    teacher.refresh_from_db()
    assert teacher.role == "teacher"
    assert teacher.school_id != other_school.pk


def test_preferred_language_is_spoken_after_sign_in(client, teacher):
    teacher.preferred_language = "ky"
    teacher.save(update_fields=["preferred_language"])
    client.force_login(teacher)
    response = client.get(reverse("dashboard"), headers={"accept-language": "en"})
    assert response.wsgi_request.LANGUAGE_CODE == "ky"
    assert '<html lang="ky">' in response.content.decode()


def test_language_switch_is_remembered_on_the_profile(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.preferred_language == "ru"


def test_language_switch_refuses_unknown_language(client, teacher):
    client.force_login(teacher)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    teacher.refresh_from_db()
    assert teacher.preferred_language == ""
