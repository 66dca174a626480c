"""Hostile roster files: each is the line-numbered list of problems, and nobody is created.

Each case answered 500 once: a NUL (PostgreSQL refuses it), a name, subject or e-mail longer
than its column (valid as an address, but 255 characters and more do not fit), a value longer
than the csv module reads (131,072 characters).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.models import User

HEADER = "full_name,email,subject,years_of_teaching\n"
GOOD = "Ахметова Айгүл,aigul@school.kz,Математика,12\n"
LONG_EMAIL = ("a" * 64) + "@" + ".".join(["d" * 60] * 4) + ".kz"  # valid, 310 characters

CASES = {
    "nul-in-name": ("Ахмет\x00ова,nul@school.kz,Математика,3\n", "NUL"),
    "nul-in-subject": ("Садықов Нұрлан,nurlan@school.kz,Мат\x00ем,3\n", "NUL"),
    "long-name": ("Ә" * 201 + ",long@school.kz,Математика,3\n", "at most 200 characters"),
    "long-subject": ("Садықов Нұрлан,s@school.kz," + "S" * 121 + ",3\n", "at most 120"),
    "long-email": (f"Омарова Гүлнар,{LONG_EMAIL},Химия,3\n", "at most 254"),
    "years-digits": ("Омарова Гүлнар,g@school.kz,Химия,²\n", "whole number"),
    "over-csv-limit": ('"' + "x" * 140_000 + '",big@school.kz,Химия,3\n', "too long"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_roster_line_is_listed_with_its_number_and_nothing_is_created(
    attacker, head, school, case
):
    line, message = CASES[case]
    before = User.objects.count()
    data = (HEADER + GOOD + line).encode()
    upload = SimpleUploadedFile("roster.csv", data, content_type="text/csv")
    response = attacker(head).post(reverse("roster-import", args=[school.pk]), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<td>3</td>" in page  # the line the problem is on
    assert User.objects.count() == before
