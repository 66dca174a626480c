"""The one place that writes the search entries (`SearchEntry`, one narrow row per resource).

On PostgreSQL the vectors are built in SQL with the configuration of each row's language:
Russian stemming for Russian resources (so "учебники" finds "учебник"), the plain "simple"
configuration for Kazakh, Kyrgyz and English, whose words PostgreSQL has no stemmer for.
Weights: A title, B authors and tags, C description (with an act's issuer and number) — the
`heading`, which ranks — and D the text extracted from the file, in `body`. `search_text`
(title, authors, tags) carries a trigram index that forgives typos. The entry also copies the
resource's published state, kind, language and year and the ids of its areas, levels and
subjects, so search never joins the resource or the through tables to filter or count.
On SQLite the same rows are written without vectors; search there matches the resource's
columns directly.

Every write that changes what an entry copies must call `resources_reindex`.
"""

from collections.abc import Iterable

from django.db import connection

from library.models import Resource, SearchEntry

SEARCH_TEXT_LENGTH = 800

# The row's language picks the configuration; tags are gathered with a subquery so that one
# statement reindexes any number of rows.
_POSTGRES_REINDEX = """
WITH source AS (
    SELECT r.id,
           CASE WHEN r.language = 'ru' THEN 'russian'::regconfig
                ELSE 'simple'::regconfig END AS config,
           coalesce((SELECT string_agg(t.name, ' ' ORDER BY t.name)
                       FROM library_resource_tags rt JOIN library_tag t ON t.id = rt.tag_id
                      WHERE rt.resource_id = r.id), '') AS tag_names
      FROM library_resource r
     WHERE r.id = ANY(%s)
)
INSERT INTO library_searchentry AS e
       (resource_id, published, published_at, kind, language, year,
        area_ids, level_ids, subject_ids, heading, body, search_text)
SELECT r.id, r.published, r.published_at, r.kind, r.language, r.year,
       coalesce((SELECT array_agg(x.area_id::integer ORDER BY x.area_id)
                   FROM library_resource_areas x WHERE x.resource_id = r.id), '{}'),
       coalesce((SELECT array_agg(x.level_id::integer ORDER BY x.level_id)
                   FROM library_resource_levels x WHERE x.resource_id = r.id), '{}'),
       coalesce((SELECT array_agg(x.subject_id::integer ORDER BY x.subject_id)
                   FROM library_resource_subjects x WHERE x.resource_id = r.id), '{}'),
       setweight(to_tsvector(s.config, r.title), 'A')
        || setweight(to_tsvector(s.config, r.authors || ' ' || s.tag_names), 'B')
        || setweight(to_tsvector(s.config, r.description || ' ' || r.issuer || ' '
                                 || r.act_number), 'C'),
       setweight(to_tsvector(s.config, r.extracted_text), 'D'),
       left(r.title || ' ' || r.authors || ' ' || s.tag_names, %s)
  FROM source s JOIN library_resource r ON r.id = s.id
ON CONFLICT (resource_id) DO UPDATE SET
       published = excluded.published, published_at = excluded.published_at,
       kind = excluded.kind, language = excluded.language, year = excluded.year,
       area_ids = excluded.area_ids, level_ids = excluded.level_ids,
       subject_ids = excluded.subject_ids, heading = excluded.heading, body = excluded.body,
       search_text = excluded.search_text
"""

FACET_RELATIONS = [("area_ids", "areas", "area_id"), ("level_ids", "levels", "level_id"),
                   ("subject_ids", "subjects", "subject_id")]  # fmt: skip


def resources_reindex(resource_ids: Iterable[int]) -> None:
    ids = list(resource_ids)
    if not ids:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_POSTGRES_REINDEX, [ids, SEARCH_TEXT_LENGTH])
        return
    resources = Resource.objects.filter(pk__in=ids).only(
        "pk", "title", "authors", "published", "published_at", "kind", "language", "year"
    )
    tags = _grouped(Resource.tags.through, "tag__name", ids)
    related = {
        name: _grouped(getattr(Resource, relation).through, column, ids)
        for name, relation, column in FACET_RELATIONS
    }
    for resource in resources:
        SearchEntry.objects.update_or_create(
            resource_id=resource.pk,
            defaults={
                "published": resource.published,
                "published_at": resource.published_at,
                "kind": resource.kind,
                "language": resource.language,
                "year": resource.year,
                "search_text": " ".join(
                    [resource.title, resource.authors, *sorted(tags.get(resource.pk, []))]
                )[:SEARCH_TEXT_LENGTH],
                **{name: sorted(related[name].get(resource.pk, [])) for name in related},
            },
        )


def reindex_all(batch: int = 10_000) -> int:
    """Rebuild every entry (after a change of the indexing itself); the number of resources."""
    ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        resources_reindex(ids[start : start + batch])
    return len(ids)


def _grouped(through, column: str, ids) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for resource_id, value in through.objects.filter(resource_id__in=ids).values_list(
        "resource_id", column
    ):
        grouped.setdefault(resource_id, []).append(value)
    return grouped
