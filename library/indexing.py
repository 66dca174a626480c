"""The one place that writes a resource's search columns.

On PostgreSQL `search_vector` is built in SQL with the configuration of each row's language:
Russian stemming for Russian resources (so "учебники" finds "учебник"), the plain "simple"
configuration for Kazakh, Kyrgyz and English, whose words PostgreSQL has no stemmer for.
Weights: A title, B authors and tags, C description, D the text extracted from the file.
`search_text` (title, authors, tags) carries a trigram index that forgives typos. `facet_ids`
copies the ids of the resource's areas, levels and subjects, from which search counts its facets
without joining the through tables. On SQLite `search_text` and `facet_ids` are written; search
there matches the columns directly.
"""

from collections.abc import Iterable

from django.db import connection

from library.models import Resource

# Languages indexed with a stemmer; every other language is indexed word for word.
SEARCH_CONFIGS = {"ru": "russian"}
SEARCH_TEXT_LENGTH = 800

# The row's language picks the configuration; tags are gathered with a subquery so that one
# statement reindexes any number of rows.
_POSTGRES_REINDEX = """
WITH source AS (
    SELECT r.id,
           CASE WHEN r.language = 'ru' THEN 'russian'::regconfig
                ELSE 'simple'::regconfig END AS config,
           coalesce((SELECT string_agg(t.name, ' ')
                       FROM library_resource_tags rt JOIN library_tag t ON t.id = rt.tag_id
                      WHERE rt.resource_id = r.id), '') AS tag_names
      FROM library_resource r
     WHERE r.id = ANY(%s)
)
UPDATE library_resource r
   SET search_vector =
           setweight(to_tsvector(s.config, r.title), 'A')
        || setweight(to_tsvector(s.config, r.authors || ' ' || s.tag_names), 'B')
        || setweight(to_tsvector(s.config, r.description || ' ' || r.issuer || ' '
                                 || r.act_number), 'C')
        || setweight(to_tsvector(s.config, r.extracted_text), 'D'),
       search_text = left(r.title || ' ' || r.authors || ' ' || s.tag_names, %s),
       facet_ids = jsonb_build_object(
           'area', coalesce((SELECT jsonb_agg(x.area_id ORDER BY x.area_id)
                               FROM library_resource_areas x WHERE x.resource_id = r.id), '[]'),
           'level', coalesce((SELECT jsonb_agg(x.level_id ORDER BY x.level_id)
                                FROM library_resource_levels x WHERE x.resource_id = r.id), '[]'),
           'subject', coalesce((SELECT jsonb_agg(x.subject_id ORDER BY x.subject_id)
                                  FROM library_resource_subjects x
                                 WHERE x.resource_id = r.id), '[]'))
  FROM source s
 WHERE r.id = s.id
"""


def config_for(language: str) -> str:
    return SEARCH_CONFIGS.get(language, "simple")


def _search_text(resource: Resource, tag_names: Iterable[str]) -> str:
    return " ".join([resource.title, resource.authors, *tag_names])[:SEARCH_TEXT_LENGTH]


def resources_reindex(resource_ids: Iterable[int]) -> None:
    ids = list(resource_ids)
    if not ids:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_POSTGRES_REINDEX, [ids, SEARCH_TEXT_LENGTH])
        return
    resources = Resource.objects.filter(pk__in=ids).only("pk", "title", "authors")
    tags = _grouped(Resource.tags.through, "tag__name", ids)
    facets = {
        name: _grouped(getattr(Resource, relation).through, column, ids)
        for name, relation, column in FACET_RELATIONS
    }
    for resource in resources:
        Resource.objects.filter(pk=resource.pk).update(
            search_text=_search_text(resource, tags.get(resource.pk, [])),
            facet_ids={name: sorted(facets[name].get(resource.pk, [])) for name in facets},
        )


FACET_RELATIONS = [("area", "areas", "area_id"), ("level", "levels", "level_id"),
                   ("subject", "subjects", "subject_id")]  # fmt: skip


def _grouped(through, column: str, ids) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for resource_id, value in through.objects.filter(resource_id__in=ids).values_list(
        "resource_id", column
    ):
        grouped.setdefault(resource_id, []).append(value)
    return grouped
