"""Browsing without words counts every visible resource per facet: the same numbers for every
teacher until the library changes, and the costliest statement of the search page on a large
library. They are cached for a minute under a catalogue version that every write to the library
bumps (catalogue_changed), so a change shows at once, and a path that forgot to bump shows
within the minute."""

import hashlib
import json

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "library:catalogue-version"
TTL_SECONDS = 60


def catalogue_changed() -> None:
    """Drop the cached counts now, and again once the writing transaction commits: a search
    that ran in between must not keep counts from before the change."""
    _bump_version()
    transaction.on_commit(_bump_version)


def _bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def catalogue_version() -> int:
    return cache.get_or_set(VERSION_KEY, 0, None)


def browse_counts(*, staff: bool, filters, compute):
    """`compute()` -> (total, counts), or the cached value for these filters and audience."""
    version = catalogue_version()
    fingerprint = hashlib.sha256(json.dumps(filters.__dict__, sort_keys=True).encode()).hexdigest()[
        :24
    ]
    key = f"library:browse:{version}:{int(staff)}:{fingerprint}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, TTL_SECONDS)
    return found


def catalogue_items(name: str, compute):
    """`compute()` -> a list that changes with the catalogue (the facets' area, level and subject
    names), or the cached one: a new subject shows at once, a renamed one within the minute."""
    return cache.get_or_set(f"library:items:{catalogue_version()}:{name}", compute, TTL_SECONDS)
