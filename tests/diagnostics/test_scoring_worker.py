"""The whole scoring path on the real stack: a teacher submits through the page, the submission
queues a task on Redis, a real Celery worker scores it, and the page the browser polls turns to
the result."""

import time

import pytest
from django.urls import reverse

from diagnostics.models import Response
from tests.diagnostics.helpers import ALL_RIGHT, answered_response

POLL_SECONDS = 60


@pytest.mark.real_broker
@pytest.mark.django_db(transaction=True)
def test_a_submitted_diagnosis_is_scored_by_the_worker(
    client, teacher, open_round, celery_worker_process
):
    # The draft's answers, as the pages save them; the submission goes through the view.
    response = answered_response(open_round, teacher, ALL_RIGHT, submit=False)
    client.force_login(teacher)
    reply = client.post(reverse("diagnostics:submit", args=[response.pk]))
    result_url = reverse("diagnostics:result", args=[response.pk])
    assert reply.status_code == 302 and reply["Location"] == result_url

    # What the browser does: the "scoring" page polls the status endpoint with htmx until it
    # answers HX-Refresh, then reloads the page.
    status_url = reverse("diagnostics:status", args=[response.pk])
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        polled = client.get(status_url)
        assert polled.status_code == 200
        if polled.get("HX-Refresh") == "true":
            break
        assert 'role="status"' in polled.content.decode()  # the spinner, still waiting
        assert time.monotonic() < deadline, f"not scored by the worker within {POLL_SECONDS} s"
        time.sleep(0.3)

    response.refresh_from_db()
    assert response.status == Response.Status.SCORED
    page = client.get(result_url, headers={"accept-language": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="radar-chart"' in html
    assert "High" in html
