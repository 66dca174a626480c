"""One search box over the library, with facets.

Search reads the narrow search entries (library.models.SearchEntry), not the resources: a
common word matches thousands of rows, and small rows are what keeps it fast. Only the page
of results is read from the resources.

PostgreSQL (postgres.py): the query is matched against the precomputed vectors as a Russian
tsquery OR a "simple" one, so a Russian query finds inflected forms in Russian resources and a
Kazakh or Kyrgyz query finds its words as written. Results are ranked by where the words are in
the title, authors and tags, and description (matches only in a file's text follow, newest first)
and get a highlighted snippet. When full text finds almost nothing, trigram word similarity on
title, authors and tags forgives typos.

SQLite, the embedded mode (sqlite.py): every word must appear in one of the columns, matched with
the project's Unicode-aware LIKE (lms/sqlite.py), so "ҚАЗАҚ" finds "қазақ".

Facets count within every filter except their own (choosing "Video" still shows how many
presentations there are), counted with the page of results in one statement (counting.py), so
the page costs the same number of queries however large the library grows.

The modules: query.py reads the typed words; matching.py picks the database's path
(postgres.py or sqlite.py); filters.py, counting.py and facets.py count and label the facets;
pages.py and snippets.py read the page of results; service.py is the search itself.
"""

from library.search.counting import Counted, count_and_page
from library.search.facets import Facet, FacetOption, build_facets
from library.search.filters import FACET_NAMES, Filters, apply_filters
from library.search.pages import PAGE_SIZE
from library.search.service import FEW_RESULTS, SORTS, SearchResults, search

__all__ = [
    "FACET_NAMES",
    "FEW_RESULTS",
    "PAGE_SIZE",
    "SORTS",
    "Counted",
    "Facet",
    "FacetOption",
    "Filters",
    "SearchResults",
    "apply_filters",
    "build_facets",
    "count_and_page",
    "search",
]
