import io

import pypdf
import pytest
from django.urls import reverse

from courses.certificates.codes import ALPHABET, new_code, normalise
from courses.certificates.models import Certificate
from courses.certificates.services import certificate_revoke
from courses.services import lesson_mark_done
from lms.notifications.models import Notification
from tests.courses.factories import course_with_lessons
from tests.lms.factories import TeacherFactory

KAZAKH_NAME = "Әсел Қуанышқызы Ғабитова"
KAZAKH_TITLE = "Сандық құзыреттілік: әдіс, өңдеу, ұйым, үнқағаз, һикая, іскерлік"
KYRGYZ_NAME = "Айгүл Өмүрбековна Ңазарова"
KYRGYZ_TITLE = "Маалыматтык технологиялар: өнүгүү, үйрөнүү, ңалыс"


def complete(teacher, **course_fields):
    course, lessons = course_with_lessons(lessons=2, **course_fields)
    for lesson in lessons:
        lesson_mark_done(user=teacher, lesson=lesson)
    return course


def pdf_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)
    return " ".join(text.split())  # a long title wraps onto two lines


def test_completing_a_course_issues_one_certificate_and_notifies(
    teacher, areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        course = complete(teacher, estimated_hours=12, areas=areas[:2])
    certificate = Certificate.objects.get(user=teacher, course=course)
    assert certificate.hours == 12
    assert certificate.areas == ["Documents", "Internet"]
    assert certificate.holder_name == teacher.full_name
    assert normalise(certificate.code) == certificate.code
    notification = Notification.objects.get(recipient=teacher, kind="courses.certificate_issued")
    assert course.title in notification.text

    # Recomputing again issues nothing new.
    lesson_mark_done(user=teacher, lesson=course.modules.first().lessons.first())
    assert Certificate.objects.filter(user=teacher).count() == 1


def test_an_unfinished_course_issues_no_certificate(teacher):
    course, lessons = course_with_lessons(lessons=2)
    lesson_mark_done(user=teacher, lesson=lessons[0])
    assert not Certificate.objects.filter(user=teacher).exists()


@pytest.mark.parametrize(
    ("language", "name", "title", "label"),
    [
        ("kk", KAZAKH_NAME, KAZAKH_TITLE, "СЕРТИФИКАТ"),
        ("ky", KYRGYZ_NAME, KYRGYZ_TITLE, "СЕРТИФИКАТ"),
    ],
)
def test_pdf_prints_the_name_and_course_letter_for_letter(
    client, school, language, name, title, label
):
    teacher = TeacherFactory(school=school, full_name=name, preferred_language=language)
    course = complete(teacher, **{f"title_{language}": title, "estimated_hours": 36})
    certificate = Certificate.objects.get(user=teacher, course=course)
    client.force_login(teacher)
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert name in text
    assert title in text
    assert certificate.code in text
    assert label in text  # the labels speak the holder's language
    for letter in "әғқңөұүһі" if language == "kk" else "өүң":
        assert letter in text


def test_another_teacher_and_a_stranger_cannot_download_the_pdf(client, teacher, other_school):
    course = complete(teacher)
    certificate = Certificate.objects.get(user=teacher, course=course)
    url = reverse("certificates:pdf", args=[certificate.pk])
    client.force_login(TeacherFactory(school=other_school))
    assert client.get(url).status_code == 404
    client.force_login(TeacherFactory(school=teacher.school))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(teacher)
    assert client.get(url).status_code == 200


def test_methodist_may_download_any_pdf(client, teacher, methodist):
    certificate = Certificate.objects.get(user=teacher, course=complete(teacher))
    client.force_login(methodist)
    assert client.get(reverse("certificates:pdf", args=[certificate.pk])).status_code == 200


@pytest.fixture
def client(client):
    """The public pages speak the visitor's language: these tests read English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_verification_confirms_a_valid_code_without_sign_in(client, teacher):
    certificate = Certificate.objects.get(user=teacher, course=complete(teacher))
    response = client.get(reverse("certificates:verify-code", args=[certificate.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "is valid" in page and certificate.holder_name in page
    # Nothing beyond the certificate: no e-mail, no school.
    assert teacher.email not in page and teacher.school.name not in page


def test_typed_code_is_forgiving_of_case_and_dashes(client, teacher):
    certificate = Certificate.objects.get(user=teacher, course=complete(teacher))
    typed = certificate.code.replace("-", " ").lower()
    response = client.get(reverse("certificates:verify"), {"code": typed}, follow=True)
    assert "is valid" in response.content.decode()


def test_verification_denies_an_unknown_code(client, db):
    code = new_code()
    response = client.get(reverse("certificates:verify-code", args=[code]))
    assert response.status_code == 404
    assert "No certificate has the code" in response.content.decode()


def test_malformed_code_gets_a_clear_error_and_keeps_the_text(client, db):
    response = client.get(reverse("certificates:verify"), {"code": "12-ab"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "12 letters and digits" in page and 'value="12-ab"' in page


def test_revoked_certificate_says_so_and_its_pdf_is_gone(client, teacher, methodist):
    certificate = Certificate.objects.get(user=teacher, course=complete(teacher))
    certificate_revoke(certificate=certificate, reason="Copied work", by=methodist)
    page = client.get(reverse("certificates:verify-code", args=[certificate.code])).content
    assert "was revoked" in page.decode()
    assert "Copied work" not in page.decode()  # the reason is the methodists' record
    client.force_login(teacher)
    assert client.get(reverse("certificates:pdf", args=[certificate.pk])).status_code == 404


def test_methodist_revokes_in_the_admin_with_a_reason(client, teacher, methodist):
    certificate = Certificate.objects.get(user=teacher, course=complete(teacher))
    client.force_login(methodist)
    url = reverse("admin:courses_certificate_changelist")
    data = {"action": "revoke", "_selected_action": [certificate.pk]}
    response = client.post(url, data)
    assert "Reason for revoking" in response.content.decode()
    client.post(url, {**data, "apply": "1", "reason": ""})
    certificate.refresh_from_db()
    assert not certificate.is_revoked  # no reason, no revoking
    client.post(url, {**data, "apply": "1", "reason": "Issued by mistake"})
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_reason == "Issued by mistake"
    assert certificate.revoked_by == methodist


def test_codes_are_long_random_and_typeable():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    sample = next(iter(codes))
    assert len(sample.replace("-", "")) == 12
    assert set(sample.replace("-", "")) <= set(ALPHABET)
    assert normalise(sample.replace("0", "O").lower()) == sample


def test_my_certificates_lists_only_mine(client, teacher, school):
    mine = Certificate.objects.get(user=teacher, course=complete(teacher))
    colleague = TeacherFactory(school=school)
    theirs = Certificate.objects.get(user=colleague, course=complete(colleague))
    client.force_login(teacher)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert mine.code in page and theirs.code not in page
