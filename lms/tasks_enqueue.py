"""Sending a Celery task when the broker may be down.

Everything Ustaz queues is recorded in the database first (a submission, a grouping run, a
resource waiting to be read), so a send that fails loses no work: the caller is told (False) and
says so to the person, marks the record, or leaves it to a sweeper."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What a send raises when the broker cannot be reached (kombu wraps the transport's errors).
BROKER_UNREACHABLE = (KombuOperationalError, RedisConnectionError, RedisTimeoutError, OSError)


def enqueue_or_false(task, *args, **kwargs) -> bool:
    """`task.delay(*args, **kwargs)`; False (logged) if the broker could not take it."""
    try:
        task.delay(*args, **kwargs)
    except BROKER_UNREACHABLE as error:
        logger.warning("Could not queue %s%r: broker unreachable: %s", task.name, args, error)
        return False
    return True


def enqueue_on_commit(task, *args, on_failure=None, **kwargs) -> None:
    """Send the task once the current transaction commits (at once outside one); if the broker
    cannot take it, call `on_failure()` instead of raising into the committed request."""

    def send():
        if not enqueue_or_false(task, *args, **kwargs) and on_failure is not None:
            on_failure()

    transaction.on_commit(send)
