"""The highlighted snippet under each result: ts_headline on PostgreSQL, a window around the
first found word in Python on SQLite."""

import re

from django.contrib.postgres.search import SearchHeadline
from django.db.models import Case, Value, When
from django.db.models.functions import Concat, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe

from library.search.query import postgres_query, terms

# ts_headline parses what it is given: the snippet comes from the description and the start of
# the file text, which keeps the page of results cheap.
SNIPPET_SOURCE_CHARS = 1_200
SNIPPET_WINDOW = 110
# ts_headline marks the found words with these; the text is escaped, then they become <mark>.
_START, _STOP = "\x02", "\x03"


def _marked(text: str) -> str:
    return mark_safe(  # noqa: S308 - the text is escaped first; only our markers become tags
        escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


def with_postgres_snippets(queryset, text: str):
    """Resources annotated with `raw_snippet`, computed by PostgreSQL for these rows only."""
    config = Case(
        When(language="ru", then=Value("russian")),
        default=Value("simple"),
    )
    source = Concat("description", Value(" "), Substr("extracted_text", 1, SNIPPET_SOURCE_CHARS))
    return queryset.annotate(
        raw_snippet=SearchHeadline(
            source,
            postgres_query(text),
            config=config,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )


def _sqlite_snippet(resource, text: str) -> str:
    words = [re.escape(term.strip("\"'")) for term in terms(text)]
    source = f"{resource.description} {resource.extracted_text[:SNIPPET_SOURCE_CHARS]}".strip()
    if not words or not source:
        return ""
    pattern = re.compile("|".join(words), re.IGNORECASE)
    found = pattern.search(source)
    start = max(0, found.start() - SNIPPET_WINDOW) if found else 0
    window = source[start : start + 2 * SNIPPET_WINDOW + 40]
    marked = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", window)
    prefix = "… " if start else ""
    suffix = " …" if start + len(window) < len(source) else ""
    return prefix + marked + suffix


def attach_snippets(resources, text: str) -> None:
    """Set `snippet` (safe HTML, the found words in <mark>) on each resource of the page."""
    for resource in resources:
        raw = getattr(resource, "raw_snippet", None)
        if raw is None:
            raw = _sqlite_snippet(resource, text) if text else ""
        resource.snippet = _marked(raw) if raw and raw.strip() else ""
