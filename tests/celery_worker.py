"""A real Celery worker for the tests marked `real_broker`: started against the configured
broker (Redis) and the test database, on a queue of its own, so that two runs sharing a Redis
never take each other's tasks."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from lms.celery import app

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database, for a process of its own (a worker, a server) to reach."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(
    queue: str, *, environment: dict[str, str] | None = None, pool: str = "solo"
) -> subprocess.Popen:
    """A worker consuming `queue`, answering pings before this returns. It runs in a session
    (process group) of its own, so a test can kill it with its pool's children at once."""
    node = f"{queue}-{uuid.uuid4().hex[:4]}@localhost"
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        CELERY_TASK_DEFAULT_QUEUE=queue,
        **(environment or {}),
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
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
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[node], timeout=1):
        if worker.poll() is not None or time.monotonic() > deadline:
            output = worker.stdout.read().decode() if worker.poll() is not None else ""
            worker.kill()
            pytest.fail(f"the Celery worker did not start:\n{output}")
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.fixture
def celery_worker_process(transactional_db):
    if not settings.CELERY_BROKER_CONFIGURED:
        pytest.skip("CELERY_BROKER_URL is not set: no broker for a real worker")
    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs a database both processes reach (set DATABASE_URL)")
    queue = f"ustaz-test-{uuid.uuid4().hex[:8]}"
    # What the code under test sends with .delay() goes to the worker's queue too.
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    worker = None
    try:
        worker = start_worker(queue)
        yield queue
    finally:
        app.conf.task_default_queue = previous_queue
        if worker is not None:
            stop_worker(worker)
