"""A corner of the cache of one's own: test runs and benchmarks write under a key prefix of their
own and clear only the keys under it.

`make test` or a benchmark may be pointed at the Redis an operator uses (CELERY_BROKER_URL is also
the cache); `cache.clear()` there would empty every key of the database, other people's included.
"""

import uuid

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache


def private_prefix(owner: str) -> str:
    """A key prefix unique to this process: `ustaz-<owner>-<12 hex digits>`. Set it as
    USTAZ_CACHE_KEY_PREFIX before Django's settings load."""
    return f"ustaz-{owner}-{uuid.uuid4().hex[:12]}"


def clear_own_keys(*, owner: str, alias: str = "default") -> None:
    """Delete every key written under this process's private prefix, and nothing else."""
    backend = caches[alias]
    if isinstance(backend, LocMemCache):
        # The memory of this process: it created it, nobody else reads it.
        backend.clear()
        return
    if not isinstance(backend, RedisCache):
        raise NotImplementedError(f"clearing only own keys of {type(backend).__name__}")
    prefix = backend.key_prefix
    # Never a pattern that could match keys of another run or of the operator.
    assert prefix.startswith(f"ustaz-{owner}-"), f"not a private {owner} prefix: {prefix!r}"
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
