"""The SQLite path of search (the embedded mode `make run` uses): every word must appear in one
of the columns, matched with the project's Unicode-aware LIKE (lms/sqlite.py); the facet SQL
reads the id lists as JSON."""

from django.db.models import Case, FloatField, Q, Value, When

from library.search.query import terms


def match(entries, text: str):
    for term in terms(text):
        term = term.strip("\"'")
        entries = entries.filter(
            Q(resource__title__icontains=term)
            | Q(resource__authors__icontains=term)
            | Q(resource__description__icontains=term)
            | Q(search_text__icontains=term)
            | Q(resource__extracted_text__icontains=term)
        )
    return entries


def relevance(text: str):
    """Resources whose title holds the whole query first."""
    return Case(
        When(resource__title__icontains=text, then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def related_condition(name: str, values: list[int]) -> tuple[str, list]:
    """The matching row's id list (areas, levels, subjects) holds one of the values."""
    marks = ", ".join(["%s"] * len(values))
    return (
        f"EXISTS (SELECT 1 FROM json_each(m.{name}_ids) AS e "  # noqa: S608
        f"WHERE e.value IN ({marks}))",
        list(values),
    )


def related_counts(name: str, where: str) -> str:
    """One facet of id lists: each id of the matching rows, counted."""
    return (
        f"SELECT '{name}', CAST(t.value AS TEXT), COUNT(*) FROM m "  # noqa: S608
        f"JOIN json_each(m.{name}_ids) AS t WHERE {where} GROUP BY t.value"
    )
