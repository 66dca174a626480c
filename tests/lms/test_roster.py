import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from lms.models import User
from lms.roster import RosterFileError, parse_roster

GOOD = (
    "full_name,email,subject,years_of_teaching\n"
    "Ахметова Айгүл,aigul@school.kz,Математика,12\n"
    "Садықов Нұрлан,Nurlan@School.kz,Информатика,\n"
    '"Омарова, Гүлнар",gulnar@school.kz,,3\n'
)


def parse(text: str, encoding="utf-8"):
    with translation.override("en"):
        return parse_roster(text.encode(encoding), max_rows=1000)


def upload(client, school, text: str, encoding="utf-8"):
    data = SimpleUploadedFile("roster.csv", text.encode(encoding), content_type="text/csv")
    return client.post(
        reverse("roster-import", args=[school.pk]),
        {"file": data},
        headers={"accept-language": "en"},
    )


def test_good_file_reads_every_row():
    rows, errors = parse(GOOD)
    assert errors == []
    assert [(r.line, r.full_name, r.email, r.subject, r.years_of_teaching) for r in rows] == [
        (2, "Ахметова Айгүл", "aigul@school.kz", "Математика", 12),
        (3, "Садықов Нұрлан", "nurlan@school.kz", "Информатика", None),
        (4, "Омарова, Гүлнар", "gulnar@school.kz", "", 3),
    ]


def test_bom_and_semicolons_and_localised_headers():
    text = "\ufeffФИО;Электронная почта;Предмет;Стаж\r\nИсаева Динара;dinara@school.kz;Химия;7\r\n"
    rows, errors = parse(text)
    assert errors == []
    assert rows[0].full_name == "Исаева Динара"
    assert rows[0].years_of_teaching == 7


def test_every_kind_of_bad_row_is_listed_with_its_line():
    text = (
        "full_name,email,subject,years_of_teaching\n"
        "Good Teacher,good@school.kz,Maths,1\n"
        ",noname@school.kz,Maths,1\n"  # 3: missing name
        "Bad Mail,not-an-email,Maths,1\n"  # 4: bad e-mail
        "Twin,good@school.kz,Maths,1\n"  # 5: duplicate of line 2
        "Short row,short@school.kz\n"  # 6: missing column
        "Old,old@school.kz,Maths,ninety\n"  # 7: bad years
        "\n"
        "Fine,fine@school.kz,Maths,2\n"
    )
    rows, errors = parse(text)
    assert [r.email for r in rows] == ["good@school.kz", "fine@school.kz"]
    by_line = {error.line: error.message for error in errors}
    assert set(by_line) == {3, 4, 5, 6, 7}
    assert "Full name" in by_line[3]
    assert "not-an-email" in by_line[4]
    assert "line 2" in by_line[5]
    assert "missing column" in by_line[6]
    assert "years of teaching" in by_line[7]


def test_missing_header_column_is_reported():
    rows, errors = parse("full_name,subject\nA,B\n")
    assert rows == []
    assert [e.line for e in errors] == [1, 1]
    assert "E-mail" in errors[0].message


def test_file_that_is_not_utf8_is_refused_with_advice():
    with pytest.raises(RosterFileError, match="UTF-8"):
        parse("full_name,email,subject,years_of_teaching\nÄ,a@b.kz,x,1\n", encoding="cp1252")


def test_empty_file_is_refused():
    with pytest.raises(RosterFileError, match="empty"):
        parse("")


def test_head_imports_good_file_and_every_teacher_gets_a_working_link(
    client, head, school, django_capture_on_commit_callbacks
):
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, school, GOOD)
    assert response.status_code == 302
    teachers = User.objects.filter(school=school, role="teacher").order_by("email")
    assert [t.email for t in teachers] == [
        "aigul@school.kz",
        "gulnar@school.kz",
        "nurlan@school.kz",
    ]
    assert not any(t.has_usable_password() for t in teachers)
    assert sorted(m.to[0] for m in mail.outbox) == [t.email for t in teachers]
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    client.logout()
    page = client.get(link, follow=True)
    assert page.context["validlink"]


def test_one_bad_row_imports_nothing_and_lists_it(
    client, head, school, django_capture_on_commit_callbacks
):
    client.force_login(head)
    text = GOOD + "Someone,not-an-address,Maths,3\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, school, text)
    assert response.status_code == 400
    assert User.objects.filter(school=school, role="teacher").count() == 0
    assert mail.outbox == []
    errors = response.context["errors"]
    assert [(e.line, "not-an-address" in e.message) for e in errors] == [(5, True)]
    assert "Nothing was imported" in response.content.decode()


def test_undecodable_upload_gets_a_form_error(client, head, school):
    client.force_login(head)
    response = upload(client, school, "full_name;email\nÄ;a@b\n", encoding="utf-16")
    assert response.status_code == 400
    assert "UTF-8" in str(response.context["form"].errors["file"])
    assert User.objects.filter(school=school, role="teacher").count() == 0


def test_head_cannot_import_into_another_school(client, head, other_school):
    client.force_login(head)
    response = upload(client, other_school, GOOD)
    assert response.status_code == 404
    assert User.objects.filter(school=other_school).count() == 0


def test_teacher_cannot_import(client, teacher, school):
    client.force_login(teacher)
    assert upload(client, school, GOOD).status_code == 403
    assert User.objects.filter(school=school).count() == 1


def test_stranger_cannot_import(client, school):
    response = upload(client, school, GOOD)
    assert response.status_code == 302
    assert User.objects.filter(school=school).count() == 0


def test_administrator_imports_into_any_school(
    client, administrator, other_school, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, other_school, GOOD).status_code == 302
    assert User.objects.filter(school=other_school, role="teacher").count() == 3


def test_template_download_is_a_csv_with_the_header(client, head):
    client.force_login(head)
    response = client.get(reverse("roster-template"))
    assert response["Content-Type"].startswith("text/csv")
    rows, errors = parse_roster(response.content, max_rows=10)
    assert (rows, errors) == ([], [])


HEADERS = {
    "kk": ["Аты-жөні", "Электрондық пошта", "Пән", "Педагогикалық өтілі (жыл)"],
    "ru": ["ФИО", "Электронная почта", "Предмет", "Педагогический стаж (лет)"],
    "ky": ["Аты-жөнү", "Электрондук почта", "Сабак", "Педагогикалык стаж (жыл)"],
    "en": ["Full name", "E-mail", "Subject", "Years of teaching"],
}


@pytest.mark.parametrize("language", HEADERS)
def test_template_header_is_in_the_readers_language(client, head, language):
    client.force_login(head)
    response = client.get(reverse("roster-template"), headers={"accept-language": language})
    header = response.content.decode("utf-8").lstrip("\ufeff").splitlines()[0]
    # Excel in a decimal-comma locale (kk, ru, ky) splits columns on semicolons.
    delimiter = "," if language == "en" else ";"
    assert header.split(delimiter) == HEADERS[language]


@pytest.mark.parametrize("header_language", HEADERS)
@pytest.mark.parametrize("reader_language", ["kk", "en"])
def test_a_header_in_any_language_is_read(header_language, reader_language):
    text = ";".join(HEADERS[header_language]) + "\nИсаева Динара;dinara@school.kz;Химия;7\n"
    with translation.override(reader_language):
        rows, errors = parse_roster(text.encode(), max_rows=10)
    assert errors == []
    assert (rows[0].full_name, rows[0].email, rows[0].subject, rows[0].years_of_teaching) == (
        "Исаева Динара",
        "dinara@school.kz",
        "Химия",
        7,
    )


def test_missing_column_is_named_in_the_readers_language():
    with translation.override("kk"):
        rows, errors = parse_roster("Аты-жөні;Пән\nA;B\n".encode(), max_rows=10)
    assert rows == []
    assert "Электрондық пошта" in errors[0].message
