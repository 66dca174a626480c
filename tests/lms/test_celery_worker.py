"""A real Celery worker, started by the test against the configured Redis, runs a task (the
worker fixture, celery_worker_process, is tests/celery_worker.py)."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from lms.tasks import purge_expired_sessions


@pytest.mark.real_broker
def test_real_worker_runs_a_task_against_the_database(celery_worker_process):
    expired = Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    alive = Session.objects.create(
        session_key="y" * 32, session_data="", expire_date=timezone.now() + timedelta(days=1)
    )
    purge_expired_sessions.apply_async(queue=celery_worker_process)
    deadline = time.monotonic() + 30
    while Session.objects.filter(pk=expired.pk).exists():
        assert time.monotonic() < deadline, "the worker did not run the task within 30 s"
        time.sleep(0.2)
    assert Session.objects.filter(pk=alive.pk).exists()
