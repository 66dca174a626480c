"""One search box over the library, with facets.

Search reads the narrow search entries (library.models.SearchEntry), not the resources: a
common word matches thousands of rows, and small rows are what keeps it fast. Only the page
of results is read from the resources.

PostgreSQL: the query is matched against the precomputed vectors as a Russian tsquery OR a
"simple" one, so a Russian query finds inflected forms in Russian resources and a Kazakh or
Kyrgyz query finds its words as written. Results are ranked by where the words are in the
title, authors and tags, and description (matches only in a file's text follow, newest first)
and get a highlighted snippet. When full text finds almost nothing, trigram word similarity on
title, authors and tags forgives typos.

SQLite (the embedded mode): every word must appear in one of the columns, matched with the
project's Unicode-aware LIKE (lms/sqlite.py), so "ҚАЗАҚ" finds "қазақ".

Facets count within every filter except their own (choosing "Video" still shows how many
presentations there are), one GROUP BY query each, so the page costs the same number of queries
however large the library grows.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Concat, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diagnostics.models import Area, Level
from library.browse_cache import browse_counts, catalogue_items
from library.models import Resource, SearchEntry, Subject
from library.querysets import sees_unpublished

PAGE_SIZE = 20
# Fewer full-text hits than this and trigram similarity joins in, to forgive typos.
FEW_RESULTS = 3
MAX_TERMS = 8
# ts_headline parses what it is given: the snippet comes from the description and the start of
# the file text, which keeps the page of results cheap.
SNIPPET_SOURCE_CHARS = 1_200
SNIPPET_WINDOW = 110
# ts_headline marks the found words with these; the text is escaped, then they become <mark>.
_START, _STOP = "\x02", "\x03"
SORTS = ("relevance", "new", "popular")


@dataclass
class Filters:
    kind: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    area: list[int] = field(default_factory=list)
    level: list[int] = field(default_factory=list)
    year: list[int] = field(default_factory=list)
    subject: list[int] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in FACET_NAMES)


FACET_NAMES = ("kind", "language", "area", "level", "year", "subject")


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]


@dataclass
class SearchResults:
    query: str
    filters: Filters
    sort: str
    page: object
    total: int
    facets: list[Facet]
    forgave_typos: bool = False


# --- matching ----------------------------------------------------------------------------------


# Kazakh and Kyrgyz add suffixes to a word ("сабақ", "сабақтың", "сабақтарда") and PostgreSQL
# has no stemmer for them: a plain word of this many letters or more also matches the words that
# begin with it, in every language indexed word for word (English "lesson" finds "lessons").
PREFIX_MIN_LETTERS = 4
_WORD = re.compile(r"\w+")
# Quotes, "-word" and "or" are the search syntax: such a query is taken exactly as written.
_SYNTAX = re.compile(r"[\"]|(^|\s)-\w|(^|\s)or(\s|$)", re.IGNORECASE)


def _prefix_query(text: str) -> SearchQuery | None:
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


def _postgres_query(text: str):
    query = SearchQuery(text, config="russian", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    prefixes = _prefix_query(text)
    return query | prefixes if prefixes is not None else query


def _terms(text: str) -> list[str]:
    return [term for term in text.split() if term.strip("\"'-")][:MAX_TERMS]


def _sqlite_match(entries, text: str):
    for term in _terms(text):
        term = term.strip("\"'")
        entries = entries.filter(
            Q(resource__title__icontains=term)
            | Q(resource__authors__icontains=term)
            | Q(resource__description__icontains=term)
            | Q(search_text__icontains=term)
            | Q(resource__extracted_text__icontains=term)
        )
    return entries


class _Document(Func):
    """`heading || body`: exactly the expression of the GIN index, so matching uses it."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = SearchVectorField()


def _typo_match(text: str) -> Q:
    # `search_text %> text` is word_similarity(text, search_text) above pg_trgm's threshold,
    # answered from the trigram GIN index.
    return Q(search_text__trigram_word_similar=text)


def _match(entries, text: str, *, exact_ids: list[int] | None = None):
    """Entries matching the words. With `exact_ids` (the few exact matches, PostgreSQL), those
    and the entries whose title, authors or tags hold a word like one of the query's."""
    if connection.vendor != "postgresql":
        return _sqlite_match(entries, text)
    if exact_ids is not None:
        # Not `full text OR similar`: PostgreSQL would recheck the full-text arm on every
        # similar row, reading whole file texts, ten times slower than this.
        return entries.filter(_typo_match(text) | Q(resource_id__in=exact_ids))
    entries = entries.annotate(document=_Document(F("heading"), F("body")))
    return entries.filter(document=_postgres_query(text))


def _with_sort_key(queryset, text: str, sort: str, *, forgive_typos: bool):
    """Annotate `sort_key`, the first thing results are ordered by (descending); ties go to the
    newest."""
    if sort != "relevance" or not text:
        # The other orders page through the resources (see _ordered_page).
        key = Value(0.0)
    elif connection.vendor == "postgresql":
        # The heading only: ranking never reads a file's text, which can be a megabyte.
        key = SearchRank(F("heading"), _postgres_query(text))
        if forgive_typos:
            key = key + TrigramWordSimilarity(text, "search_text")
    else:
        key = Case(
            When(resource__title__icontains=text, then=Value(1.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return queryset.annotate(sort_key=key)


# --- filters and facets ------------------------------------------------------------------------

RELATED_FACETS = ("area", "level", "subject")


def _through_filter(relation, column: str, values):
    through = getattr(Resource, relation).through
    return Q(
        resource_id__in=through.objects.filter(**{f"{column}__in": values}).values("resource_id")
    )


def apply_filters(entries, filters: Filters):
    """The entries under every chosen filter (the orders that page through the resources)."""
    if filters.kind:
        entries = entries.filter(kind__in=filters.kind)
    if filters.language:
        entries = entries.filter(language__in=filters.language)
    if filters.year:
        entries = entries.filter(year__in=filters.year)
    if filters.area:
        entries = entries.filter(_through_filter("areas", "area_id", filters.area))
    if filters.level:
        entries = entries.filter(_through_filter("levels", "level_id", filters.level))
    if filters.subject:
        entries = entries.filter(_through_filter("subjects", "subject_id", filters.subject))
    return entries


# Facets and the page of ranked results in ONE statement: the matching entries are found once
# (a materialised CTE), then each facet groups them under every filter but its own; areas,
# levels and subjects come from the entries' own id lists, so no through table is joined; the
# total follows from the kind facet. Counting a broad query thus reads the matches once. The SQL
# is assembled from fixed names; every value is a parameter.


def _related_condition(name: str, values: list[int]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return f"m.{name}_ids && %s::integer[]", [list(values)]
    marks = ", ".join(["%s"] * len(values))
    return (
        f"EXISTS (SELECT 1 FROM json_each(m.{name}_ids) AS e "  # noqa: S608
        f"WHERE e.value IN ({marks}))",
        list(values),
    )


def _related_counts(name: str, where: str) -> str:
    """One facet of id lists: each id of the matching rows, counted."""
    if connection.vendor == "postgresql":
        # unnest in the select list (a ProjectSet) is much cheaper than a lateral join per row.
        return (
            f"SELECT '{name}', CAST(t.value AS TEXT), COUNT(*) FROM "  # noqa: S608
            f"(SELECT unnest(m.{name}_ids) AS value FROM m WHERE {where}) AS t GROUP BY t.value"
        )
    return (
        f"SELECT '{name}', CAST(t.value AS TEXT), COUNT(*) FROM m "  # noqa: S608
        f"JOIN json_each(m.{name}_ids) AS t WHERE {where} GROUP BY t.value"
    )


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
            conditions[name] = _related_condition(name, [int(value) for value in values])
    return conditions


def _where(conditions: dict, skip: str | None = None) -> tuple[str, list]:
    parts, params = ["1 = 1"], []
    for name, (sql, values) in conditions.items():
        if name != skip:
            parts.append(sql)
            params.extend(values)
    return " AND ".join(parts), params


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
        parts.append(_related_counts(name, where))
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


def _options(name, counts, filters, labelled) -> list[FacetOption]:
    selected = {str(value) for value in getattr(filters, name)}
    return [
        FacetOption(value, str(label), counts[name].get(value, 0), value in selected)
        for value, label in labelled
        if counts[name].get(value) or value in selected
    ]


FACET_MODELS = {"area": Area, "level": Level, "subject": Subject}


def _facet_items(name: str) -> list:
    """Every area, level or subject in the model's own order (framework position for areas and
    levels). They rarely change: cached rather than read for every search."""
    return catalogue_items(name, lambda: list(FACET_MODELS[name].objects.all()))


def _related_labels(name, counts, filters, limit=20) -> list[tuple[str, str]]:
    wanted = set(counts[name]) | {str(value) for value in getattr(filters, name)}
    if not wanted:
        return []
    top = set(sorted(wanted, key=lambda value: -counts[name].get(value, 0))[:limit])
    # The item itself as the label: _options turns it into its name in the reader's language.
    return [(str(item.pk), item) for item in _facet_items(name) if str(item.pk) in top]


def build_facets(counts, filters: Filters) -> list[Facet]:
    """The six facets with labels; the names of areas, levels and subjects come from the cache,
    or from three small queries once a minute."""
    years = sorted(counts["year"], key=int, reverse=True)[:15]
    return [
        Facet("kind", _("Kind"), _options("kind", counts, filters, Resource.Kind.choices)),
        Facet(
            "language",
            pgettext_lazy("language a resource is written in", "Language"),
            _options("language", counts, filters, Resource.Language.choices),
        ),
        Facet(
            "area",
            _("Competence area"),
            _options("area", counts, filters, _related_labels("area", counts, filters)),
        ),
        Facet(
            "level",
            _("Readiness level"),
            _options("level", counts, filters, _related_labels("level", counts, filters)),
        ),
        Facet("year", _("Year"), _options("year", counts, filters, [(y, y) for y in years])),
        Facet(
            "subject",
            _("School subject"),
            _options("subject", counts, filters, _related_labels("subject", counts, filters)),
        ),
    ]


# --- snippets ----------------------------------------------------------------------------------


def _marked(text: str) -> str:
    return mark_safe(  # noqa: S308 - the text is escaped first; only our markers become tags
        escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


def _with_postgres_snippets(queryset, text: str):
    config = Case(
        When(language="ru", then=Value("russian")),
        default=Value("simple"),
    )
    source = Concat("description", Value(" "), Substr("extracted_text", 1, SNIPPET_SOURCE_CHARS))
    return queryset.annotate(
        raw_snippet=SearchHeadline(
            source,
            _postgres_query(text),
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
    terms = [re.escape(term.strip("\"'")) for term in _terms(text)]
    source = f"{resource.description} {resource.extracted_text[:SNIPPET_SOURCE_CHARS]}".strip()
    if not terms or not source:
        return ""
    pattern = re.compile("|".join(terms), re.IGNORECASE)
    found = pattern.search(source)
    start = max(0, found.start() - SNIPPET_WINDOW) if found else 0
    window = source[start : start + 2 * SNIPPET_WINDOW + 40]
    marked = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", window)
    prefix = "… " if start else ""
    suffix = " …" if start + len(window) < len(source) else ""
    return prefix + marked + suffix


def _attach_snippets(resources, text: str) -> None:
    for resource in resources:
        raw = getattr(resource, "raw_snippet", None)
        if raw is None:
            raw = _sqlite_snippet(resource, text) if text else ""
        resource.snippet = _marked(raw) if raw and raw.strip() else ""


# --- the search --------------------------------------------------------------------------------


def _totals(counted: Counted) -> tuple[int, dict]:
    return counted.total, counted.counts


def _page_number(page) -> int:
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


# What a result card shows (library/_card.html, _repealed.html): loading only these keeps the
# page of results cheap.
CARD_FIELDS = ("title", "authors", "kind", "language", "year", "published", "published_at",
               "repealed_on", "replaced_by__title", "replaced_by__published")  # fmt: skip


def _as_cards(resources, text: str):
    resources = resources.select_related("replaced_by")
    if text and connection.vendor == "postgresql":
        return _with_postgres_snippets(resources.only(*CARD_FIELDS), text)
    if text:
        # The embedded mode builds snippets in Python from the description and the file's text.
        return resources.only(*CARD_FIELDS, "description", "extracted_text")
    return resources.only(*CARD_FIELDS)


def _page_rows(ids: list[int], text: str) -> list[Resource]:
    """The page's resources by id, in result order, with snippets computed for them only."""
    # Unordered: the rows are put in result order below.
    rows = _as_cards(Resource.objects.filter(pk__in=ids).order_by(), text)
    by_id = {resource.pk: resource for resource in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def _ordered_page(resources, entries, text: str, sort: str, number: int) -> list[Resource]:
    """A page of the resources whose entries are given, newest or most viewed first."""
    results = _as_cards(resources.filter(pk__in=entries.values("resource_id")), text)
    if sort == "popular":
        results = results.order_by("-view_count", "-pk")
    else:
        # Matches the (published, -published_at) index, so the newest page is read from it.
        results = results.order_by("-published_at", "-pk")
    start = (number - 1) * PAGE_SIZE
    return list(results[start : start + PAGE_SIZE])


def search(user, *, query: str = "", filters: Filters | None = None, sort: str = "", page=1):
    """The resources the user may see that match the query and filters, a page of them with
    snippets, and the facets. A fixed number of queries whatever the library's size: the counts
    and the page's ids in one statement, the page's rows, and (once a minute, cached) the names
    of areas, levels and subjects; forgiving typos adds the few exact matches and a second
    counting statement."""
    filters = filters or Filters()
    text = " ".join(query.split())[:200]
    visible = SearchEntry.objects.visible_to(user)
    sort = sort if sort in SORTS else ("relevance" if text else "new")
    number = _page_number(page)

    # Relevance needs every match ranked: the page's ids come with the counts. The other orders
    # page through an index (newest) or a top-N sort (most viewed) in a query of their own.
    ranked = sort == "relevance" and bool(text)

    def run(exact_ids: list[int] | None, number: int):
        matched = _match(visible, text, exact_ids=exact_ids) if text else visible
        matched = _with_sort_key(matched, text, sort, forgive_typos=exact_ids is not None)
        counted = count_and_page(
            matched,
            filters,
            offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE if ranked else 0,
        )
        return matched, counted

    forgave_typos, exact_ids = False, None
    if text:
        matched, counted = run(None, number)
    else:
        matched = _with_sort_key(visible, text, sort, forgive_typos=False)
        total, counts = browse_counts(
            staff=sees_unpublished(user),
            filters=filters,
            compute=lambda: _totals(count_and_page(matched, filters, offset=0, limit=0)),
        )
        counted = Counted(total, counts, [])
    if text and connection.vendor == "postgresql" and counted.total < FEW_RESULTS:
        # Say so only when nothing matched exactly: then every hit is a "similar word".
        forgave_typos = counted.total == 0
        exact_ids = list(matched.values_list("resource_id", flat=True)) if counted.total else []
        matched, counted = run(exact_ids, number)
    paginator = Paginator(range(counted.total), PAGE_SIZE)
    if number > paginator.num_pages:
        # A page past the end (an old link): show the last one, as Paginator.get_page does.
        number = paginator.num_pages
        if ranked:
            matched, counted = run(exact_ids, number)

    if ranked:
        resources = _page_rows(counted.page_ids, text)
    else:
        resources = _ordered_page(
            Resource.objects.visible_to(user), apply_filters(matched, filters), text, sort, number
        )
    _attach_snippets(resources, text)
    current = Page(resources, number, paginator)
    return SearchResults(
        query=text,
        filters=filters,
        sort=sort,
        page=current,
        total=counted.total,
        facets=build_facets(counted.counts, filters),
        forgave_typos=forgave_typos,
    )
