"""search(): the one call the library's pages make."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from library.browse_cache import browse_counts
from library.models import Resource, SearchEntry
from library.querysets import sees_unpublished
from library.search.counting import Counted, count_and_page
from library.search.facets import Facet, build_facets
from library.search.filters import Filters, apply_filters
from library.search.matching import match, on_postgresql, with_sort_key
from library.search.pages import PAGE_SIZE, ordered_page, page_number, page_rows
from library.search.snippets import attach_snippets
from lms.params import without_nul

# Fewer full-text hits than this and trigram similarity joins in, to forgive typos.
FEW_RESULTS = 3
SORTS = ("relevance", "new", "popular")


@dataclass
class SearchResults:
    query: str
    filters: Filters
    sort: str
    page: object
    total: int
    facets: list[Facet]
    forgave_typos: bool = False


def _totals(counted: Counted) -> tuple[int, dict]:
    return counted.total, counted.counts


def search(user, *, query: str = "", filters: Filters | None = None, sort: str = "", page=1):
    """The resources the user may see that match the query and filters, a page of them with
    snippets, and the facets. A fixed number of queries whatever the library's size: the counts
    and the page's ids in one statement, the page's rows, and (once a minute, cached) the names
    of areas, levels and subjects; forgiving typos adds the few exact matches and a second
    counting statement."""
    filters = filters or Filters()
    text = " ".join(without_nul(query).split())[:200]
    visible = SearchEntry.objects.visible_to(user)
    sort = sort if sort in SORTS else ("relevance" if text else "new")
    number = page_number(page)

    # Relevance needs every match ranked: the page's ids come with the counts. The other orders
    # page through an index (newest) or a top-N sort (most viewed) in a query of their own.
    ranked = sort == "relevance" and bool(text)

    def run(exact_ids: list[int] | None, number: int):
        matched = match(visible, text, exact_ids=exact_ids) if text else visible
        matched = with_sort_key(matched, text, sort, forgive_typos=exact_ids is not None)
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
        matched = with_sort_key(visible, text, sort, forgive_typos=False)
        total, counts = browse_counts(
            staff=sees_unpublished(user),
            filters=filters,
            compute=lambda: _totals(count_and_page(matched, filters, offset=0, limit=0)),
        )
        counted = Counted(total, counts, [])
    if text and on_postgresql() and counted.total < FEW_RESULTS:
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
        resources = page_rows(counted.page_ids, text)
    else:
        resources = ordered_page(
            Resource.objects.visible_to(user), apply_filters(matched, filters), text, sort, number
        )
    attach_snippets(resources, text)
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
