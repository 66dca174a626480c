"""Round tables: places and the waiting list, reminders once, the .ics file, BigBlueButton."""

import hashlib
import threading
import urllib.parse
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import icalendar
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from forums.models import Forum, Registration, RoundTable
from forums.round_tables.reminders import round_tables_remind
from forums.round_tables.services import (
    registration_cancel,
    registration_join,
    round_table_schedule,
)
from lms.notifications.models import Notification
from tests.lms.factories import TeacherFactory

Status = Registration.Status


@pytest.fixture
def round_table(methodist):
    forum = Forum.objects.create(title="General")
    return round_table_schedule(
        round_table=RoundTable(
            forum=forum,
            title="Digital lessons",
            starts_at=timezone.now() + timedelta(hours=20),
            capacity=2,
            agenda="1. Tools\n2. Questions",
        ),
        author=methodist,
    )


def test_capacity_then_waiting_list_then_promotion(round_table):
    first, second, third = TeacherFactory.create_batch(3)
    assert registration_join(round_table=round_table, user=first).status == Status.REGISTERED
    assert registration_join(round_table=round_table, user=second).status == Status.REGISTERED
    assert registration_join(round_table=round_table, user=third).status == Status.WAITING
    registration_cancel(round_table=round_table, user=first)
    assert Registration.objects.get(user=third).status == Status.REGISTERED
    assert Notification.objects.filter(recipient=third, kind="forums.round_table_seat").exists()


def test_reminders_are_sent_once(round_table):
    for person in TeacherFactory.create_batch(2):
        registration_join(round_table=round_table, user=person)
    assert round_tables_remind() == 2  # the day-before reminder
    assert round_tables_remind() == 0  # a second beat run sends nothing
    assert round_tables_remind(now=round_table.starts_at - timedelta(minutes=30)) == 2  # hour


def test_ics_parses_as_a_calendar_event(client, round_table, teacher):
    client.force_login(teacher)
    response = client.get(reverse("forums:round-table-ics", args=[round_table.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Digital lessons"
    assert event.decoded("DTSTART") == round_table.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)


def test_round_table_page_registers_the_teacher(client, round_table, teacher):
    client.force_login(teacher)
    client.post(reverse("forums:round-table-register", args=[round_table.pk]))
    assert 'id="my-status"' in client.get(round_table.get_absolute_url()).content.decode()
    assert Registration.objects.get(user=teacher).status == Status.REGISTERED


class _FakeBigBlueButton(BaseHTTPRequestHandler):
    """Answers `create` like BigBlueButton, but SUCCESS only when the checksum is right."""

    secret = "test-secret"
    calls: list = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        path, _, query = self.path.partition("?")
        name = path.rsplit("/", 1)[-1]
        body, _, checksum = query.rpartition("&checksum=")
        expected = hashlib.sha1((name + body + self.secret).encode()).hexdigest()  # noqa: S324
        type(self).calls.append((name, checksum == expected))
        code = "SUCCESS" if checksum == expected else "FAILED"
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.end_headers()
        self.wfile.write(f"<response><returncode>{code}</returncode></response>".encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_bbb(settings):
    server = HTTPServer(("127.0.0.1", 0), _FakeBigBlueButton)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.BBB_URL = f"http://127.0.0.1:{server.server_port}/bigbluebutton/"
    settings.BBB_SECRET = _FakeBigBlueButton.secret
    _FakeBigBlueButton.calls = []
    yield _FakeBigBlueButton
    server.shutdown()


def test_bigbluebutton_meeting_created_and_join_links_signed(
    client, round_table, teacher, methodist, fake_bbb
):
    registration_join(round_table=round_table, user=teacher)
    client.force_login(teacher)
    response = client.get(reverse("forums:round-table-join", args=[round_table.pk]))
    assert fake_bbb.calls == [("create", True)]
    assert response.status_code == 302 and "/api/join?" in response.url
    name, _, query = response.url.partition("/api/")[2].partition("?")
    body, _, checksum = query.rpartition("&checksum=")
    assert checksum == hashlib.sha1((name + body + fake_bbb.secret).encode()).hexdigest()  # noqa: S324
    attendee = urllib.parse.parse_qs(body)
    client.force_login(methodist)
    moderator_url = client.get(reverse("forums:round-table-join", args=[round_table.pk])).url
    moderator = urllib.parse.parse_qs(urllib.parse.urlparse(moderator_url).query)
    assert attendee["password"] != moderator["password"]  # moderators join as moderators


def test_unregistered_teacher_gets_no_meeting_link(client, round_table, teacher, fake_bbb):
    client.force_login(teacher)
    response = client.get(reverse("forums:round-table-join", args=[round_table.pk]))
    assert response.url == round_table.get_absolute_url() and not fake_bbb.calls


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_exceed_capacity(methodist):
    if connection.vendor != "postgresql":
        pytest.skip(
            "row locks (select_for_update) only serialise sign-ups on PostgreSQL (DATABASE_URL)"
        )
    round_table = round_table_schedule(
        round_table=RoundTable(
            forum=Forum.objects.create(title="G"),
            title="Busy",
            starts_at=timezone.now() + timedelta(days=2),
            capacity=3,
        ),
        author=methodist,
    )
    people = TeacherFactory.create_batch(12)
    barrier = threading.Barrier(len(people))

    def sign_up(person):
        barrier.wait()
        try:
            registration_join(round_table=round_table, user=person)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert statuses.count(Status.REGISTERED) == 3
    assert statuses.count(Status.WAITING) == 9
