"""The test run's own corner of the cache (lms/cache_scope.py): every run writes under a key
prefix of its own (tests/conftest.py) and clears only the keys under it, never the whole database.
"""

from lms.cache_scope import clear_own_keys, private_prefix

# Unique per run: two runs against one Redis (two engineers, CI and a developer) never meet.
TEST_CACHE_PREFIX = private_prefix("test")


def clear_test_cache(alias: str = "default") -> None:
    """Delete every key this test run wrote to the cache, and nothing else."""
    clear_own_keys(owner="test", alias=alias)
