"""Level thresholds (bands): checks that an instrument's thresholds can rank respondents.

The checks are pure functions over plain values (`BandRow`, `ScoredItem`), so the admin's
formsets and the operators' import command read the same problems, in words a methodist acts on.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from diagnostics.models import Area, Instrument, Level, Question

HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class BandRow:
    """One submitted threshold: the lowest score (inclusive) of a level, overall or in an area."""

    level: Level
    area: Area | None
    min_score: Decimal


@dataclass(frozen=True)
class ScoredItem:
    """What a question adds to the maximum of its scopes."""

    area_id: int | None
    part: str
    weight: Decimal


def scored_item(*, area_id, part: str, kind: str, weight) -> ScoredItem | None:
    """The question's share of the maximum, or None when it is not scored (Question.is_scored)."""
    if not Question(part=part, kind=kind).is_scored:
        return None
    return ScoredItem(area_id=area_id, part=part, weight=Decimal(weight or 0))


def scope_maxima(items: Iterable[ScoredItem | None]) -> dict[int | None, Decimal]:
    """Maximum points overall (key None) and per area: the sum of the scored questions' weights."""
    maxima: dict[int | None, Decimal] = defaultdict(Decimal)
    maxima[None] = ZERO
    for item in items:
        if item is None:
            continue
        maxima[None] += item.weight
        maxima[item.area_id] += item.weight
    return dict(maxima)


def stored_scored_items(instrument: Instrument, *, exclude_pk=None) -> list[ScoredItem | None]:
    if instrument.pk is None:
        return []
    rows = (
        Question.objects.filter(instrument=instrument)
        .exclude(pk=exclude_pk)
        .values_list("area_id", "part", "kind", "weight")
    )
    return [
        scored_item(area_id=area_id, part=part, kind=kind, weight=weight)
        for area_id, part, kind, weight in rows
    ]


def _number(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _scope_name(area: Area | None) -> str:
    if area is None:
        return _("Overall score")
    return _("Area “%(area)s”") % {"area": area}


def _level_name(level: Level) -> str:
    return _("level “%(level)s” (rank %(rank)s)") % {"level": level, "rank": level.position}


def band_problems(
    bands: Sequence[BandRow],
    *,
    framework_id: int,
    levels: Sequence[Level],
    unit: str,
    maxima: Mapping[int | None, Decimal],
    complete: bool = True,
) -> list[str]:
    """Every reason these thresholds cannot rank respondents, in words a methodist acts on.

    With `complete` false (a draft being saved) a level may still lack its threshold: publishing
    is where every one is required.

    Per scope (overall, and each area that has thresholds): every level of the framework has one
    threshold (the overall scope must have them all; an area either has none or all), the lowest
    level starts at 0, thresholds rise strictly with the levels' rank, and every threshold can be
    reached: at most 100 in percent, at most the scope's maximum points in raw points.
    """
    problems = _foreign_bands(bands, framework_id)
    by_scope: dict[Area | None, list[BandRow]] = defaultdict(list)
    for band in bands:
        if band.level.framework_id == framework_id and (
            band.area is None or band.area.framework_id == framework_id
        ):
            by_scope[band.area].append(band)
    by_scope.setdefault(None, [])
    ordered_levels = sorted(levels, key=lambda level: (level.position, level.pk))
    for area in sorted(by_scope, key=lambda a: (a is not None, a and (a.position, a.pk))):
        maximum = maxima.get(area.pk if area else None, ZERO)
        problems += _scope_problems(area, by_scope[area], ordered_levels, unit, maximum, complete)
    return problems


def _foreign_bands(bands: Sequence[BandRow], framework_id: int) -> list[str]:
    problems = []
    for band in bands:
        if band.level.framework_id != framework_id:
            problems.append(
                _("%(scope)s: %(level)s belongs to another competence framework.")
                % {"scope": _scope_name(band.area), "level": _level_name(band.level)}
            )
        if band.area is not None and band.area.framework_id != framework_id:
            problems.append(
                _("The area “%(area)s” belongs to another competence framework.")
                % {"area": band.area}
            )
    return problems


def _scope_problems(area, rows, levels, unit, maximum, complete=True) -> list[str]:
    scope = _scope_name(area)
    counts = Counter(row.level.pk for row in rows)
    problems = [
        _("%(scope)s: %(level)s has more than one threshold.")
        % {"scope": scope, "level": _level_name(level)}
        for level in levels
        if counts[level.pk] > 1
    ]
    if complete and (rows or area is None):
        problems += [
            _("%(scope)s: %(level)s has no threshold; every level needs one.")
            % {"scope": scope, "level": _level_name(level)}
            for level in levels
            if counts[level.pk] == 0
        ]
    ranked = sorted(rows, key=lambda row: (row.level.position, row.level.pk))
    lowest_level = levels[0] if levels else None
    if ranked and ranked[0].min_score != 0 and (complete or ranked[0].level == lowest_level):
        problems.append(
            _("%(scope)s: the lowest level, %(level)s, must start at 0, not at %(score)s.")
            % {
                "scope": scope,
                "level": _level_name(ranked[0].level),
                "score": _number(ranked[0].min_score),
            }
        )
    problems += _order_problems(scope, ranked)
    problems += _reach_problems(scope, ranked, unit, maximum)
    return problems


def _order_problems(scope: str, ranked: Sequence[BandRow]) -> list[str]:
    problems = []
    for lower, upper in zip(ranked, ranked[1:], strict=False):
        if lower.level.pk == upper.level.pk:
            continue  # reported as "more than one threshold"
        params = {
            "scope": scope,
            "lower": _level_name(lower.level),
            "upper": _level_name(upper.level),
            "lower_score": _number(lower.min_score),
            "upper_score": _number(upper.min_score),
        }
        if upper.min_score == lower.min_score:
            problems.append(
                _(
                    "%(scope)s: %(lower)s and %(upper)s both start at %(lower_score)s; a higher "
                    "level needs a higher threshold."
                )
                % params
            )
        elif upper.min_score < lower.min_score:
            problems.append(
                _(
                    "%(scope)s: %(upper)s starts at %(upper_score)s, below %(lower)s at "
                    "%(lower_score)s; thresholds must rise with the rank of the levels."
                )
                % params
            )
    return problems


def _reach_problems(scope, ranked, unit, maximum) -> list[str]:
    problems = []
    for row in ranked:
        params = {
            "scope": scope,
            "level": _level_name(row.level),
            "score": _number(row.min_score),
            "maximum": _number(maximum),
        }
        if unit == Instrument.ThresholdUnit.PERCENT and row.min_score > HUNDRED:
            problems.append(
                _("%(scope)s: %(level)s starts at %(score)s%%, above 100%%; nobody can reach it.")
                % params
            )
        elif unit == Instrument.ThresholdUnit.POINTS and row.min_score > maximum:
            problems.append(
                _(
                    "%(scope)s: %(level)s starts at %(score)s points, but the scored questions "
                    "give at most %(maximum)s points; nobody can reach it."
                )
                % params
            )
    return problems


def instrument_band_problems(
    instrument: Instrument, *, items: Iterable[ScoredItem | None] | None = None
) -> list[str]:
    """The problems of an instrument's stored thresholds, against its stored questions (or
    against `items`, the questions as they are about to be saved)."""
    if items is None:
        items = stored_scored_items(instrument)
    bands = [
        BandRow(level=band.level, area=band.area, min_score=band.min_score)
        for band in instrument.bands.select_related("level", "area")
    ]
    return band_problems(
        bands,
        framework_id=instrument.framework_id,
        levels=list(Level.objects.filter(framework_id=instrument.framework_id)),
        unit=instrument.threshold_unit,
        maxima=scope_maxima(items),
    )
