"""The PostgreSQL path of search: full text over the GIN-indexed vectors, trigram similarity
for typos, ranking, and the facet SQL over integer arrays."""

from django.contrib.postgres.search import (
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db.models import F, Func, Q

from library.search.query import postgres_query


class _Document(Func):
    """`heading || body`: exactly the expression of the GIN index, so matching uses it."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = SearchVectorField()


def _typo_match(text: str) -> Q:
    # `search_text %> text` is word_similarity(text, search_text) above pg_trgm's threshold,
    # answered from the trigram GIN index.
    return Q(search_text__trigram_word_similar=text)


def match(entries, text: str, *, exact_ids: list[int] | None = None):
    """Entries matching the words. With `exact_ids` (the few exact matches), those and the
    entries whose title, authors or tags hold a word like one of the query's."""
    if exact_ids is not None:
        # Not `full text OR similar`: PostgreSQL would recheck the full-text arm on every
        # similar row, reading whole file texts, ten times slower than this.
        return entries.filter(_typo_match(text) | Q(resource_id__in=exact_ids))
    entries = entries.annotate(document=_Document(F("heading"), F("body")))
    return entries.filter(document=postgres_query(text))


def relevance(text: str, *, forgive_typos: bool):
    # The heading only: ranking never reads a file's text, which can be a megabyte.
    key = SearchRank(F("heading"), postgres_query(text))
    if forgive_typos:
        key = key + TrigramWordSimilarity(text, "search_text")
    return key


def related_condition(name: str, values: list[int]) -> tuple[str, list]:
    """The matching row's id list (areas, levels, subjects) shares one of the values."""
    return f"m.{name}_ids && %s::integer[]", [list(values)]


def related_counts(name: str, where: str) -> str:
    """One facet of id lists: each id of the matching rows, counted."""
    # unnest in the select list (a ProjectSet) is much cheaper than a lateral join per row.
    return (
        f"SELECT '{name}', CAST(t.value AS TEXT), COUNT(*) FROM "  # noqa: S608
        f"(SELECT unnest(m.{name}_ids) AS value FROM m WHERE {where}) AS t GROUP BY t.value"
    )
