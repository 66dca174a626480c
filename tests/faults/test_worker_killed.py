"""`kill -9` the Celery worker while it scores 1,000 submissions (issue 15, Faults): every
submission is scored exactly once — none missing, none scored twice, the scores those of an
undisturbed run.

What brings the work back: scoring claims submissions with row locks inside a transaction, so the
batch the killed worker held rolls back and stays "submitted"; its task message is acked late, so
Redis keeps it unacknowledged and would deliver it again after the visibility timeout (an hour);
long before that beat's sweeper (requeue_stale_submissions, every minute) finds the submissions
waiting past STALE_AFTER and queues scoring again. The test plays beat's part with the clock moved
past that bound, and then the late redelivery, which finds nothing left to do. When only the pool's
child dies (the OOM killer), the worker itself gives the task back at once.
"""

import os
import random
import signal
import time
import uuid
from datetime import timedelta

import pytest
import redis
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from diagnostics.demo import _answer_all, ready_instrument
from diagnostics.models import AreaScore, Response, ScaleScore
from diagnostics.scoring import answers_price, responses_score
from diagnostics.scoring.tasks import (
    STALE_AFTER,
    requeue_stale_submissions,
    score_waiting_responses,
    scoring_request,
)
from diagnostics.taking.pages import instrument_questions
from lms.celery import app as celery_app
from lms.models import User
from lms.roles import Role
from tests.celery_worker import start_worker, stop_worker
from tests.diagnostics.factories import RoundFactory

SUBMISSIONS = 1000
# Small batches, so the kill lands with some submissions scored and others not.
BATCH = 20
SECONDS = 60


@pytest.fixture
def on_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process must reach the test database: set DATABASE_URL (PostgreSQL)")


@pytest.fixture
def open_round(on_postgresql, school):
    # The instrument every school gets on day one (45 questions), answered as the demo answers.
    return RoundFactory(instrument=ready_instrument(), schools=[school])


@pytest.fixture
def worker_queue(on_postgresql, redis_stack):
    """A queue of the private Redis, where this process sends and the workers consume."""
    queue = f"ustaz-killed-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_default_queue = previous


def submissions(round_, count: int) -> list[int]:
    """Submitted responses with answers drawn at random and priced, as the submit leaves them."""
    password = make_password(None)
    User.objects.bulk_create(
        User(
            email=f"killed{i}@faults.example",
            full_name=f"Teacher {i}",
            role=Role.TEACHER,
            school=round_.schools.first(),
            password=password,
        )
        for i in range(count)
    )
    teachers = User.objects.filter(email__endswith="@faults.example").order_by("pk")
    questions = instrument_questions(round_.instrument)
    rng = random.Random(15)
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            round=round_,
            instrument=round_.instrument,
            teacher=teacher,
            status=Response.Status.SUBMITTED,
            submitted_at=now,
        )
        for teacher in teachers
    )
    for response in responses:
        _answer_all(response, questions, rng.uniform(0.1, 0.9), rng)
    ids = [response.pk for response in responses]
    answers_price(response_ids=ids)
    return ids


def scored_count(ids) -> int:
    return Response.objects.filter(pk__in=ids, status=Response.Status.SCORED).count()


def results(ids) -> dict:
    """Everything scoring writes for each response, comparable across runs."""
    areas: dict = {pk: [] for pk in ids}
    for row in AreaScore.objects.filter(response_id__in=ids).values_list(
        "response_id", "area_id", "part", "points", "max_points", "percent", "level_id"
    ):
        areas[row[0]].append(row[1:])
    scales: dict = {pk: [] for pk in ids}
    for row in ScaleScore.objects.filter(response_id__in=ids).values_list(
        "response_id", "scale_id", "percent", "flagged"
    ):
        scales[row[0]].append(row[1:])
    return {
        pk: (status, points, max_points, percent, level, sorted(areas[pk]), sorted(scales[pk]))
        for pk, status, points, max_points, percent, level in Response.objects.filter(
            pk__in=ids
        ).values_list("pk", "status", "points", "max_points", "percent", "level_id")
    }


def scored_at(ids) -> dict:
    return dict(Response.objects.filter(pk__in=ids).values_list("pk", "scored_at"))


def pool_children(worker) -> set[int]:
    return {
        int(pid) for pid in open(f"/proc/{worker.pid}/task/{worker.pid}/children").read().split()
    }


def kill_when_under_way(ids, kill) -> int:
    deadline = time.monotonic() + SECONDS
    while True:
        done = scored_count(ids)
        if 0 < done < len(ids):
            kill()
            return done
        assert done < len(ids), "scoring finished before the worker could be killed"
        assert time.monotonic() < deadline, f"scoring did not start within {SECONDS} s"
        time.sleep(0.005)


@pytest.mark.real_broker
def test_every_submission_is_scored_exactly_once_after_the_worker_is_killed(
    open_round, worker_queue, redis_stack
):
    ids = submissions(open_round, SUBMISSIONS)
    environment = {
        "CELERY_BROKER_URL": redis_stack.url,
        "CACHE_URL": redis_stack.url,
        "USTAZ_SCORING_BATCH_SIZE": str(BATCH),
    }
    # The production pool (prefork), so the kill takes a parent and its child as in real life.
    first = start_worker(worker_queue, environment=environment, pool="prefork")
    try:
        scoring_request()  # what each submit does: one queued task serves them all
        # The worker and its pool's child, as `kill -9` of the process group.
        scored_when_killed = kill_when_under_way(ids, lambda: os.killpg(first.pid, signal.SIGKILL))
        first.wait(timeout=10)
    finally:
        stop_worker(first)
    assert 0 < scored_when_killed < SUBMISSIONS
    time.sleep(0.5)  # PostgreSQL notices the closed connection and rolls the batch back
    left = SUBMISSIONS - scored_count(ids)
    assert left > 0, "the killed worker's work must come back, not vanish"
    # The task the worker held is acked late: Redis keeps it, unacknowledged, until the
    # visibility timeout (an hour) makes it deliverable again — too late to wait for.
    assert redis.Redis.from_url(redis_stack.url).hlen("unacked") == 1

    # The new worker scores in the production batch size.
    del environment["USTAZ_SCORING_BATCH_SIZE"]
    second = start_worker(worker_queue, environment=environment, pool="prefork")
    try:
        # Beat's sweeper, run as it would run once the submissions have waited STALE_AFTER;
        # again while some are left (a batch the dead worker's connection still held locked
        # when the new worker looked is skipped, as beat would find it a minute later).
        later = (timezone.now() + STALE_AFTER + timedelta(seconds=1)).isoformat()
        deadline = time.monotonic() + SECONDS
        while scored_count(ids) < SUBMISSIONS:
            assert time.monotonic() < deadline, (
                f"{SUBMISSIONS - scored_count(ids)} submissions still unscored after the sweep"
            )
            assert requeue_stale_submissions(now=later) is True
            for _ in range(50):
                if scored_count(ids) == SUBMISSIONS:
                    break
                time.sleep(0.1)
    finally:
        stop_worker(second)

    # Exactly once: one set of score rows per response, nothing doubled.
    assert not (
        AreaScore.objects.filter(response_id__in=ids)
        .values("response_id", "area_id", "part")
        .annotate(rows=Count("pk"))
        .filter(rows__gt=1)
        .exists()
    )
    after_kill = results(ids)
    first_scored_at = scored_at(ids)
    assert all(row[0] == Response.Status.SCORED for row in after_kill.values())
    assert all(row[5] for row in after_kill.values()), "every response has its area scores"
    assert None not in first_scored_at.values()

    # The late redelivery of the killed worker's task finds nothing to do and changes nothing.
    assert score_waiting_responses() == 0
    assert results(ids) == after_kill
    assert scored_at(ids) == first_scored_at

    # The scores are those of an undisturbed run: score every response again from its answers.
    assert responses_score(response_ids=ids, rescore=True) == SUBMISSIONS
    assert results(ids) == after_kill


@pytest.mark.real_broker
def test_a_killed_pool_child_gives_its_task_back_at_once(open_round, worker_queue, redis_stack):
    # The OOM killer takes the pool's child, not the worker: the parent sees it lost and, the
    # task being acks_late with reject_on_worker_lost, puts the message back on the queue for
    # its next child — no sweeper, no visibility timeout.
    ids = submissions(open_round, SUBMISSIONS // 4)
    environment = {
        "CELERY_BROKER_URL": redis_stack.url,
        "CACHE_URL": redis_stack.url,
        "USTAZ_SCORING_BATCH_SIZE": str(BATCH // 4),
    }
    worker = start_worker(worker_queue, environment=environment, pool="prefork")
    try:
        (child,) = pool_children(worker)
        scoring_request()
        kill_when_under_way(ids, lambda: os.kill(child, signal.SIGKILL))
        deadline = time.monotonic() + SECONDS
        while scored_count(ids) < len(ids):
            assert time.monotonic() < deadline, "the lost task did not come back"
            time.sleep(0.1)
        assert worker.poll() is None and child not in pool_children(worker)
    finally:
        stop_worker(worker)
    assert AreaScore.objects.filter(response_id__in=ids).values(
        "response_id"
    ).distinct().count() == len(ids)
    assert not (
        AreaScore.objects.filter(response_id__in=ids)
        .values("response_id", "area_id", "part")
        .annotate(rows=Count("pk"))
        .filter(rows__gt=1)
        .exists()
    )
