"""A real Celery worker, started by the test against the configured Redis, runs a task."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from lms.celery import app
from lms.tasks import purge_expired_sessions

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db):
    if not settings.CELERY_BROKER_CONFIGURED:
        pytest.skip("CELERY_BROKER_URL is not set: no broker for a real worker")
    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs a database both processes reach (set DATABASE_URL)")
    queue = f"ustaz-test-{uuid.uuid4().hex[:8]}"
    node = f"{queue}@localhost"
    env = dict(os.environ, DATABASE_URL=_database_url(), CELERY_TASK_DEFAULT_QUEUE=queue)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
            "-Q",
            queue,
            "-n",
            node,
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                output = worker.stdout.read().decode() if worker.poll() is not None else ""
                pytest.fail(f"the Celery worker did not start:\n{output}")
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)


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
