"""What was typed, read as search terms: the words for the SQLite path, the tsqueries for
PostgreSQL."""

import re

from django.contrib.postgres.search import SearchQuery

MAX_TERMS = 8
# Kazakh and Kyrgyz add suffixes to a word ("сабақ", "сабақтың", "сабақтарда") and PostgreSQL
# has no stemmer for them: a plain word of this many letters or more also matches the words that
# begin with it, in every language indexed word for word (English "lesson" finds "lessons").
PREFIX_MIN_LETTERS = 4
_WORD = re.compile(r"\w+")
# Quotes, "-word" and "or" are the search syntax: such a query is taken exactly as written.
_SYNTAX = re.compile(r"[\"]|(^|\s)-\w|(^|\s)or(\s|$)", re.IGNORECASE)


def prefix_query(text: str) -> SearchQuery | None:
    """Every word, the longer ones as prefixes ('сабақ':* & 'жоспар':*), or None when the query
    uses the search syntax."""
    if _SYNTAX.search(text):
        return None
    words = [word.lower() for word in _WORD.findall(text)][:MAX_TERMS]
    if not any(len(word) >= PREFIX_MIN_LETTERS for word in words):
        return None
    # Only letters and digits reach the tsquery, each quoted: nothing can break its syntax.
    raw = " & ".join(
        f"'{word}':*" if len(word) >= PREFIX_MIN_LETTERS else f"'{word}'" for word in words
    )
    return SearchQuery(raw, config="simple", search_type="raw")


def postgres_query(text: str):
    """The query as PostgreSQL matches it: Russian stems OR the words as written OR prefixes."""
    query = SearchQuery(text, config="russian", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    prefixes = prefix_query(text)
    return query | prefixes if prefixes is not None else query


def terms(text: str) -> list[str]:
    """The words as typed (quotes and minus signs kept), for the SQLite path."""
    return [term for term in text.split() if term.strip("\"'-")][:MAX_TERMS]
