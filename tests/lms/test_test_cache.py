"""The test suite clears only the cache keys it wrote: pointed at an operator's Redis, it leaves
every other key there alone."""

import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from tests.cache import TEST_CACHE_PREFIX, clear_test_cache


def test_the_run_writes_under_a_prefix_of_its_own():
    assert cache.key_prefix == TEST_CACHE_PREFIX
    assert cache.make_key("anything").startswith(f"{TEST_CACHE_PREFIX}:")


def test_clearing_forgets_what_the_run_wrote():
    cache.set("written-by-this-test", 1)
    clear_test_cache()
    assert cache.get("written-by-this-test") is None


def test_clearing_spares_keys_outside_the_run_in_the_same_redis():
    if not isinstance(caches["default"], RedisCache):
        pytest.skip("the cache is not Redis: set CELERY_BROKER_URL (or CACHE_URL) to a Redis")
    location = settings.CACHES["default"]["LOCATION"]
    other = redis.Redis.from_url(location if isinstance(location, str) else location[0])
    # What an operator's site keeps (its own prefix), and a key of no prefix at all.
    outside = [f"ustaz:1:kept-{uuid.uuid4().hex}", f"kept-{uuid.uuid4().hex}"]
    try:
        for key in outside:
            other.set(key, b"operator", ex=120)
        cache.set("written-by-this-test", 1)
        clear_test_cache()
        assert cache.get("written-by-this-test") is None
        assert [other.get(key) for key in outside] == [b"operator", b"operator"]
    finally:
        other.delete(*outside)
