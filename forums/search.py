"""Search within forums: PostgreSQL full text over posts (GIN index), icontains on SQLite.

Results come from `access.posts_readable_by`, so private forums and held-back Q&A answers never
appear in them."""

import re

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Func, Q

from forums.access import posts_readable_by
from lms.params import without_nul

MAX_TERMS = 8
_WORD = re.compile(r"\w+")


class PostDocument(Func):
    """to_tsvector('simple', body): exactly the expression of the GIN index (migration 0002)."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def _postgres_filter(posts, text: str):
    words = [word.lower() for word in _WORD.findall(text)][:MAX_TERMS]
    if not words:
        return posts.none()
    # Only letters and digits reach the tsquery, each quoted and a prefix (Kazakh suffixes).
    raw = " & ".join(f"'{word}':*" for word in words)
    query = SearchQuery(raw, config="simple", search_type="raw")
    # Matching the body alone lets PostgreSQL use the GIN index; an OR with the topic's title
    # turned it into a scan of every post (bench/forums.py). A topic's title is its opening
    # post's heading, and that post is found by its words.
    return posts.annotate(document=PostDocument("body")).filter(document=query)


def _sqlite_filter(posts, text: str):
    terms = _WORD.findall(text)[:MAX_TERMS]
    if not terms:
        return posts.none()
    for term in terms:
        posts = posts.filter(Q(body__icontains=term) | Q(topic__title__icontains=term))
    return posts


def search_posts(user, text: str):
    text = without_nul(text).strip()[:200]
    posts = posts_readable_by(user)
    if not text:
        return posts.none()
    matched = (
        _postgres_filter(posts, text)
        if connection.vendor == "postgresql"
        else _sqlite_filter(posts, text)
    )
    return matched.select_related("topic", "topic__forum", "author").order_by("-created_at", "-pk")
