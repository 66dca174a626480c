"""A Redis cache that a stopped Redis does not take the site down with.

Everything Ustaz keeps in the cache can be recomputed (facet counts, report means, "a task is
already queued" markers), so with Redis unreachable a read misses, a write is dropped and the page
is served from the database. Each failure is logged; after one, Redis is left alone for a few
seconds, so a page that reads the cache twenty times does not wait for twenty failed connects.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# How long Redis is left alone after a failure before the next call tries it again.
PAUSE_SECONDS = 5.0


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis object (its table of ~80 reply handlers) for
    every call; one per connection pool serves them all, as redis-py intends (it is thread-safe).
    Measured: 0.3 ms of CPU on each page that reads the cache."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class ForgivingRedisCache(RedisCache):
    """Django's RedisCache, except that an unreachable Redis reads as a miss and writes as a
    no-op. `add` answers True then: the caller goes on to do the work, as on a fresh key."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._down_until = 0.0

    def _forgiving(self, name, default, call, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return call(*args, **kwargs)
        except UNREACHABLE as error:
            self._down_until = time.monotonic() + PAUSE_SECONDS
            logger.warning("Cache %s skipped, Redis unreachable: %s", name, error)
            return default

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving("add", True, super().add, key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._forgiving("get", default, super().get, key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving("set", None, super().set, key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving("touch", False, super().touch, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._forgiving("delete", False, super().delete, key, version=version)

    def get_many(self, keys, version=None):
        return self._forgiving("get_many", {}, super().get_many, keys, version=version)

    def has_key(self, key, version=None):
        return self._forgiving("has_key", False, super().has_key, key, version=version)

    def incr(self, key, delta=1, version=None):
        # As for a missing key: the callers then start the count afresh with set().
        missing = object()
        result = self._forgiving("incr", missing, super().incr, key, delta, version=version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(
            "set_many", list(data), super().set_many, data, timeout, version=version
        )

    def delete_many(self, keys, version=None):
        return self._forgiving("delete_many", None, super().delete_many, keys, version=version)

    def clear(self):
        return self._forgiving("clear", False, super().clear)
