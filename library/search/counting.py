"""Facets and the page of ranked results in ONE statement.

The matching entries are found once (a materialised CTE), then each facet groups them under
every filter but its own; areas, levels and subjects come from the entries' own id lists, so no
through table is joined; the total follows from the kind facet. Counting a broad query thus
reads the matches once. The SQL is assembled from fixed names; every value is a parameter.
"""

from dataclasses import dataclass

from django.db import connection

from library.search import postgres, sqlite
from library.search.filters import FACET_NAMES, RELATED_FACETS, Filters
from library.search.matching import on_postgresql


@dataclass
class Counted:
    total: int
    counts: dict[str, dict[str, int]]
    page_ids: list[int]


_COLUMNS = ("resource_id", "kind", "language", "year", "published_at", "area_ids", "level_ids",
            "subject_ids", "sort_key")  # fmt: skip
# Result order: best first, then the newest; the resource id settles the rest.
_RESULT_ORDER = (
    "m.sort_key DESC, CASE WHEN m.published_at IS NULL THEN 1 ELSE 0 END, "
    "m.published_at DESC, m.resource_id DESC"
)


def _database_path():
    return postgres if on_postgresql() else sqlite


def _conditions(filters: Filters) -> dict[str, tuple[str, list]]:
    conditions = {}
    for name in ("kind", "language", "year"):
        values = getattr(filters, name)
        if values:
            marks = ", ".join(["%s"] * len(values))
            conditions[name] = (f"m.{name} IN ({marks})", list(values))
    for name in RELATED_FACETS:
        values = getattr(filters, name)
        if values:
            conditions[name] = _database_path().related_condition(
                name, [int(value) for value in values]
            )
    return conditions


def _where(conditions: dict, skip: str | None = None) -> tuple[str, list]:
    parts, params = ["1 = 1"], []
    for name, (sql, values) in conditions.items():
        if name != skip:
            parts.append(sql)
            params.extend(values)
    return " AND ".join(parts), params


def count_and_page(matched, filters: Filters, *, offset: int, limit: int) -> Counted:
    """The number of results, per facet {value: count}, and the resource ids of one page of
    results in order: one statement. `matched` (search entries) carries `sort_key`."""
    base_sql, base_params = matched.order_by().values_list(*_COLUMNS).query.sql_with_params()
    conditions = _conditions(filters)
    parts, params = [], list(base_params)
    for name in ("kind", "language", "year"):
        where, where_params = _where(conditions, skip=name)
        parts.append(
            f"SELECT '{name}', CAST(m.{name} AS TEXT), COUNT(*) FROM m "  # noqa: S608
            f"WHERE m.{name} IS NOT NULL AND {where} GROUP BY m.{name}"
        )
        params += where_params
    for name in RELATED_FACETS:
        where, where_params = _where(conditions, skip=name)
        parts.append(_database_path().related_counts(name, where))
        params += where_params
    where, where_params = _where(conditions)
    # The page, when ranked by relevance: the top rows of the matches (a bounded sort), numbered.
    if limit:
        parts.append(
            "SELECT 'page', CAST(p.resource_id AS TEXT), ROW_NUMBER() OVER ("  # noqa: S608
            f"ORDER BY {_RESULT_ORDER.replace('m.', 'p.')}) FROM ("
            f"SELECT * FROM m WHERE {where} ORDER BY {_RESULT_ORDER} LIMIT %s OFFSET %s) AS p"
        )
        params += where_params + [limit, offset]
    sql = (
        f"WITH m ({', '.join(_COLUMNS)}) AS MATERIALIZED ({base_sql}) "  # noqa: S608
        + " UNION ALL ".join(parts)
    )
    counts: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
    page = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, value, number in cursor.fetchall():
            if name == "page":
                page.append((number, int(value)))
            else:
                counts[name][value] = number
    # Every resource has a kind, and the kind facet counts under every filter but the kind:
    # the results are its counts of the chosen kinds (of all kinds when none is chosen).
    chosen = set(filters.kind)
    total = sum(n for kind, n in counts["kind"].items() if not chosen or kind in chosen)
    return Counted(total, counts, [pk for _position, pk in sorted(page)])
