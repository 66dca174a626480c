"""The cache backend Ustaz uses with Redis (lms/cache_backends.py): a stopped Redis reads as a
miss and writes as nothing, quickly, and /healthz still says the cache is down."""

import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from lms.cache_backends import ForgivingRedisCache

pytestmark = pytest.mark.usefixtures("redis_stopped")


def test_reads_miss_and_writes_are_dropped():
    cache = caches["default"]
    assert isinstance(cache, ForgivingRedisCache)
    assert cache.get("faults:alive") is None  # written before Redis stopped, not reachable now
    assert cache.get("anything", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("counts", lambda: 42) == 42  # computed, as on a miss
    assert cache.set("k", 1) is None
    # "Not there yet": the caller goes on and does the work (queues the task, counts afresh).
    assert cache.add("k", 1) is True
    with pytest.raises(ValueError):
        cache.incr("k")
    assert cache.delete("k") is False
    assert cache.has_key("k") is False


def test_a_page_reading_the_cache_often_does_not_wait_for_each_read():
    cache = caches["default"]
    started = time.monotonic()
    for number in range(200):
        cache.get(f"key-{number}")
    assert time.monotonic() - started < 1.0


def test_healthz_still_reports_the_cache_down(client, db):
    reply = client.get(reverse("healthz"))
    assert reply.status_code == 503
    assert reply.json()["cache"].startswith("error")
