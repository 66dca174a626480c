"""Reading one page of results from the resources: only what a result card shows."""

from library.models import Resource
from library.search.matching import on_postgresql
from library.search.snippets import with_postgres_snippets
from lms.params import int_or_none

PAGE_SIZE = 20
MAX_PAGE = 10**9

# What a result card shows (library/_card.html, _repealed.html): loading only these keeps the
# page of results cheap.
CARD_FIELDS = ("title", "authors", "kind", "language", "year", "published", "published_at",
               "repealed_on", "replaced_by__title", "replaced_by__published")  # fmt: skip


def page_number(page) -> int:
    # Beyond the last page shows the last one; the cap keeps the offset within bigint.
    return min(int_or_none(page, minimum=1) or 1, MAX_PAGE)


def _as_cards(resources, text: str):
    resources = resources.select_related("replaced_by")
    if text and on_postgresql():
        return with_postgres_snippets(resources.only(*CARD_FIELDS), text)
    if text:
        # The embedded mode builds snippets in Python from the description and the file's text.
        return resources.only(*CARD_FIELDS, "description", "extracted_text")
    return resources.only(*CARD_FIELDS)


def page_rows(ids: list[int], text: str) -> list[Resource]:
    """The page's resources by id, in result order, with snippets computed for them only."""
    # Unordered: the rows are put in result order below.
    rows = _as_cards(Resource.objects.filter(pk__in=ids).order_by(), text)
    by_id = {resource.pk: resource for resource in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def ordered_page(resources, entries, text: str, sort: str, number: int) -> list[Resource]:
    """A page of the resources whose entries are given, newest or most viewed first."""
    results = _as_cards(resources.filter(pk__in=entries.values("resource_id")), text)
    if sort == "popular":
        results = results.order_by("-view_count", "-pk")
    else:
        # Matches the (published, -published_at) index, so the newest page is read from it.
        results = results.order_by("-published_at", "-pk")
    start = (number - 1) * PAGE_SIZE
    return list(results[start : start + PAGE_SIZE])
