"""Faults of the real stack, provoked on purpose. Redis is a private redis-server started on a
free port for the test and then stopped, never the shared one (other runs use it)."""

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass

import pytest
from django.core.cache import caches

from lms.celery import app as celery_app
from tests.cache import TEST_CACHE_PREFIX

# What lms/settings.py gives the cache when CELERY_BROKER_URL is set.
CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class PrivateRedis:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        """Redis stopped, as by an operator or a crash: the port no longer answers."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(
            "redis-server is not installed: the Redis fault tests start their own "
            "(CI installs it and sets CELERY_BROKER_URL)"
        )
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = PrivateRedis(port=port, process=process)
    deadline = time.monotonic() + 10
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            pytest.fail("the private redis-server did not start")
        time.sleep(0.05)
    yield server
    server.stop()


def _forget_broker_connections() -> None:
    # The app keeps the producer pool of the broker it first sent to; forgotten (not closed:
    # kombu's registry hands the same pool out again for that broker), the next send makes
    # one for the broker configured now.
    celery_app.amqp._producer_pool = None
    celery_app._pool = None


@pytest.fixture
def redis_stack(private_redis, settings):
    """The cache (the project's forgiving RedisCache) and the Celery broker on the private
    Redis, with tasks sent to the broker as in production (not run in-process)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.cache_backends.ForgivingRedisCache",
            "LOCATION": private_redis.url,
            "KEY_PREFIX": TEST_CACHE_PREFIX,
            "OPTIONS": CACHE_OPTIONS,
        }
    }
    settings.CELERY_BROKER_URL = private_redis.url
    # Celery reads CELERY_BROKER_URL from the environment before its settings (CI sets it), but
    # sends through broker_write_url when that is set.
    previous = celery_app.conf.get("broker_write_url"), celery_app.conf.task_always_eager
    _forget_broker_connections()
    celery_app.conf.broker_write_url = private_redis.url
    celery_app.conf.task_always_eager = False
    assert celery_app.connection_for_write().port == private_redis.port
    yield private_redis
    _forget_broker_connections()
    celery_app.conf.broker_write_url, celery_app.conf.task_always_eager = previous
    caches["default"].close()


@pytest.fixture
def redis_stopped(redis_stack):
    """The stack above, proven working, then Redis stopped."""
    cache = caches["default"]
    cache.set("faults:alive", "yes")
    assert cache.get("faults:alive") == "yes"
    redis_stack.stop()
    return redis_stack
