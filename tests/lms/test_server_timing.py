"""Every response says how long the server spent on it, and how much of that in the database."""

import re

import pytest
from django.urls import reverse

TIMING = re.compile(r'^app;dur=([\d.]+), db;dur=([\d.]+);desc="(\d+) statements"$')


@pytest.mark.django_db
def test_a_page_says_its_server_time_and_database_time(client):
    from tests.lms.factories import TeacherFactory

    client.force_login(TeacherFactory())
    reply = client.get(reverse("dashboard"))
    assert reply.status_code == 200
    app, db, statements = TIMING.match(reply["Server-Timing"]).groups()
    # The dashboard reads the session and the user at least; its time includes theirs.
    assert int(statements) >= 2
    assert float(app) >= float(db) > 0


@pytest.mark.django_db
def test_a_page_without_a_query_still_says_its_time(client):
    reply = client.get("/static/does-not-exist.css")
    app, db, statements = TIMING.match(reply["Server-Timing"]).groups()
    assert (float(db), int(statements)) == (0.0, 0)
