"""The test run's own corner of the cache.

`make test` may be pointed at the Redis an operator uses (CELERY_BROKER_URL is also the cache):
every run writes under a key prefix of its own (tests/conftest.py) and clears only the keys under
it, never the whole database.
"""

import uuid

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

# Unique per run: two runs against one Redis (two engineers, CI and a developer) never meet.
TEST_CACHE_PREFIX = f"ustaz-test-{uuid.uuid4().hex[:12]}"


def clear_test_cache(alias: str = "default") -> None:
    """Delete every key this test run wrote to the cache, and nothing else."""
    backend = caches[alias]
    if isinstance(backend, LocMemCache):
        # The memory of this process: the run created it, nobody else reads it.
        backend.clear()
        return
    if not isinstance(backend, RedisCache):
        raise NotImplementedError(f"clearing only the test keys of {type(backend).__name__}")
    prefix = backend.key_prefix
    # Never a pattern that could match keys of another run or of the operator.
    assert prefix.startswith("ustaz-test-"), f"not a test run's cache prefix: {prefix!r}"
    client = backend._cache.get_client(write=True)
    # Keys are `prefix:version:key` (Django's default key function); the prefix has no glob
    # characters (letters, digits and dashes).
    batch = []
    for key in client.scan_iter(match=f"{prefix}:*", count=500):
        batch.append(key)
        if len(batch) >= 500:
            client.delete(*batch)
            batch = []
    if batch:
        client.delete(*batch)
