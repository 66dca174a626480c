"""A roster import does not tell a head whether an address has an account at another school: the
answer to a line with such an address is the answer to a line with an address nobody has, and
nothing of the other school's account is written. An address of the head's own school's teacher
is named as such, since the head's list shows it anyway."""

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from lms.models import User
from tests.lms.factories import HeadFactory, TeacherFactory

HEADER = "full_name,email,subject,years_of_teaching\n"
NEW_ADDRESS = "nobody.yet@school.kz"


def import_roster(client, school, text):
    upload = SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")
    return client.post(
        reverse("roster-import", args=[school.pk]),
        {"file": upload},
        headers={"accept-language": "en"},
    )


def what_the_head_is_told(response, address):
    """Everything the import answers, with the address itself blanked out."""
    told = [response.status_code, response.get("Location", "")]
    told += [str(message) for message in get_messages(response.wsgi_request)]
    if response.status_code == 400:
        # The whole page, but for the form's CSRF token, which differs on every page.
        told.append(re.sub(r'value="[^"]{64}"', "", response.content.decode()))
    return [str(part).replace(address, "ADDRESS") for part in told]


@pytest.fixture
def elsewhere(other_school):
    """An account of another school, waiting for its first password (the case in which an
    import of this school re-sends invitations)."""
    return TeacherFactory(school=other_school, password=make_password(None), full_name="Kept")


@pytest.mark.parametrize(
    "line",
    [
        "Someone,{address},Maths,3\n",  # the file is imported
        "Someone,{address},Maths,3\nBroken,not-an-address,,\n",  # the file is refused
    ],
    ids=["imported", "refused"],
)
def test_an_address_of_another_school_reads_as_one_nobody_has(
    head, school, elsewhere, line, django_capture_on_commit_callbacks
):
    def heads_browser():
        client = Client()
        client.force_login(head)
        return client

    before = model_to_dict(elsewhere)

    with django_capture_on_commit_callbacks(execute=True):
        taken = import_roster(
            heads_browser(), school, HEADER + line.format(address=elsewhere.email)
        )
    assert mail.outbox == []  # no letter goes to the other school's teacher
    elsewhere.refresh_from_db()
    assert model_to_dict(elsewhere) == before  # nothing written for the refused line

    with django_capture_on_commit_callbacks(execute=True):
        new = import_roster(heads_browser(), school, HEADER + line.format(address=NEW_ADDRESS))

    assert what_the_head_is_told(taken, elsewhere.email) == what_the_head_is_told(new, NEW_ADDRESS)


def test_a_teacher_of_this_school_is_named_as_already_here(client, head, school, teacher):
    client.force_login(head)
    response = import_roster(client, school, HEADER + f"Again,{teacher.email},,\n")
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert "1 of them is already a teacher of this school." in told
    teacher.refresh_from_db()
    assert teacher.full_name != "Again"  # the existing account is left as it is


def test_a_head_of_another_school_is_not_named_either(client, head, school, other_school):
    other_head = HeadFactory(school=other_school)
    client.force_login(head)
    response = import_roster(client, school, HEADER + f"Boss,{other_head.email},,\n")
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert told == [
        "1 teacher was read; each who has not set a password yet gets an e-mail to set one."
    ]
    other_head.refresh_from_db()
    assert other_head.school == other_school and other_head.role == "school_head"
    assert User.objects.filter(email=other_head.email).count() == 1
