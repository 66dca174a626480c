"""Which entries match the words, and what orders them: the database's own path."""

from django.db import connection
from django.db.models import Value

from library.search import postgres, sqlite


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def match(entries, text: str, *, exact_ids: list[int] | None = None):
    """Entries matching the words. With `exact_ids` (the few exact matches, PostgreSQL), those
    and the entries whose title, authors or tags hold a word like one of the query's."""
    if not on_postgresql():
        return sqlite.match(entries, text)
    return postgres.match(entries, text, exact_ids=exact_ids)


def with_sort_key(queryset, text: str, sort: str, *, forgive_typos: bool):
    """Annotate `sort_key`, the first thing results are ordered by (descending); ties go to the
    newest."""
    if sort != "relevance" or not text:
        # The other orders page through the resources (see pages.ordered_page).
        key = Value(0.0)
    elif on_postgresql():
        key = postgres.relevance(text, forgive_typos=forgive_typos)
    else:
        key = sqlite.relevance(text)
    return queryset.annotate(sort_key=key)
