"""The filters a reader chooses (the facets' values), and applying them to search entries."""

from dataclasses import dataclass, field

from django.db.models import Q

from library.models import Resource

FACET_NAMES = ("kind", "language", "area", "level", "year", "subject")
# The facets held in a many-to-many relation (an id list on the search entry).
RELATED_FACETS = ("area", "level", "subject")


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
