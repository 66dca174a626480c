"""The six facets a search page shows, labelled in the reader's language."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diagnostics.models import Area, Level
from library.browse_cache import catalogue_items
from library.models import Resource, Subject
from library.search.filters import Filters


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
