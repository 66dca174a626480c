"""The methodists' authoring services: thresholds, locking, translations, dry runs, new versions,
GIFT import.

The admin (diagnostics/admin.py) and the operators' management commands call these functions;
the checks and the dry run are pure functions over plain values, so they are tested without a
browser and read the same wherever they are used.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diagnostics import gift
from diagnostics.interchange import TRUE_FALSE_LABELS, interface_texts
from diagnostics.models import (
    Area,
    AttitudeScale,
    Choice,
    Instrument,
    Level,
    LevelBand,
    Question,
    Response,
)
from diagnostics.rules import answer_fraction, answer_key, points

LANGUAGES = tuple(settings.MODELTRANSLATION_LANGUAGES)
HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")
Kind = Question.Kind

# --- Locking ------------------------------------------------------------------------------------

# What changes the points an answer earns, or the level a score reaches. Once teachers have
# answered, these stay as they were, so every response of the instrument is scored alike; texts
# (typos, translations) stay editable.
INSTRUMENT_SCORING_FIELDS = ("framework", "code", "kind", "threshold_unit")
QUESTION_SCORING_FIELDS = (
    "instrument",
    "code",
    "part",
    "kind",
    "area",
    "scale",
    "weight",
    "scale_min",
    "scale_max",
    "reverse_coded",
    "case_sensitive",
)
CHOICE_SCORING_FIELDS = ("credit", "value", "tolerance", "answer_key")
SCALE_SCORING_FIELDS = ("code", "flag_when", "flag_percent")
BAND_FIELDS = ("area", "level", "min_score")
# A level's rank decides the order of the thresholds; its code is how files name it.
LEVEL_SCORING_FIELDS = ("code", "position")
AREA_SCORING_FIELDS = ("code",)


def has_answers() -> Exists:
    """Annotates instruments: True where a response is not a draft (Instrument.is_locked)."""
    return Exists(
        Response.objects.filter(instrument=OuterRef("pk")).exclude(status=Response.Status.DRAFT)
    )


def instrument_locked(instrument: Instrument | None) -> bool:
    """Instrument.is_locked, asked once per object: the admin asks it for every inline."""
    if instrument is None or instrument.pk is None:
        return False
    if not hasattr(instrument, "has_answers"):
        instrument.has_answers = instrument.is_locked
    return bool(instrument.has_answers)


def framework_locked(framework) -> bool:
    """A framework whose levels already rank teachers' answered responses."""
    if framework is None or framework.pk is None:
        return False
    if not hasattr(framework, "has_answers"):
        framework.has_answers = (
            Response.objects.filter(instrument__framework=framework)
            .exclude(status=Response.Status.DRAFT)
            .exists()
        )
    return framework.has_answers


class InstrumentLockedError(Exception):
    def __init__(self, instrument: Instrument):
        super().__init__(
            _(
                "Teachers have already answered “%(instrument)s”, so its questions can no longer "
                "change. Duplicate it as a new version and edit the copy."
            )
            % {"instrument": instrument}
        )


# --- Thresholds (level bands) -------------------------------------------------------------------


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
) -> list[str]:
    """Every reason these thresholds cannot rank respondents, in words a methodist acts on.

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
        problems += _scope_problems(area, by_scope[area], ordered_levels, unit, maximum)
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


def _scope_problems(area, rows, levels, unit, maximum) -> list[str]:
    scope = _scope_name(area)
    counts = Counter(row.level.pk for row in rows)
    problems = [
        _("%(scope)s: %(level)s has more than one threshold.")
        % {"scope": scope, "level": _level_name(level)}
        for level in levels
        if counts[level.pk] > 1
    ]
    if rows or area is None:
        problems += [
            _("%(scope)s: %(level)s has no threshold; every level needs one.")
            % {"scope": scope, "level": _level_name(level)}
            for level in levels
            if counts[level.pk] == 0
        ]
    ranked = sorted(rows, key=lambda row: (row.level.position, row.level.pk))
    if ranked and ranked[0].min_score != 0:
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


# --- How complete each language is ---------------------------------------------------------------

INSTRUMENT_TEXTS = ("title", "description", "instructions")
QUESTION_TEXTS = ("text", "help_text", "feedback")
CHOICE_TEXTS = ("text", "match_text", "feedback")


@dataclass
class LanguageCompleteness:
    """Of the texts written in at least one language, how many each language has."""

    total: int = 0
    filled: Counter = field(default_factory=Counter)

    def add(self, total: int, filled: Mapping[str, int]) -> None:
        self.total += total
        self.filled.update(filled)

    def percent(self, language: str) -> int:
        # Rounded down: 100% must mean that nothing is missing.
        if not self.total:
            return 100
        return self.filled[language] * 100 // self.total

    def by_language(self) -> list[tuple[str, int]]:
        return [(language, self.percent(language)) for language in LANGUAGES]


def _written(field_name: str, language: str) -> Q:
    # Translation columns are NULL or "" when empty; "> ''" is false for both.
    return Q(**{f"{field_name}_{language}__gt": ""})


def _written_in_any(field_name: str) -> Q:
    condition = Q()
    for language in LANGUAGES:
        condition |= _written(field_name, language)
    return condition


def _text_counts(queryset, group_by: str, fields: Sequence[str]) -> dict[int, tuple[int, Counter]]:
    """One GROUP BY query: per group, the texts written in any language and in each language."""
    aggregates = {}
    for name in fields:
        aggregates[f"n_{name}_any"] = Count("pk", filter=_written_in_any(name))
        for language in LANGUAGES:
            aggregates[f"n_{name}_{language}"] = Count("pk", filter=_written(name, language))
    counts = {}
    for row in queryset.values(group_by).annotate(**aggregates).order_by():
        total = sum(row[f"n_{name}_any"] for name in fields)
        filled = Counter(
            {
                language: sum(row[f"n_{name}_{language}"] for name in fields)
                for language in LANGUAGES
            }
        )
        counts[row[group_by]] = (total, filled)
    return counts


def _own_text_counts(instrument: Instrument) -> tuple[int, Counter]:
    total, filled = 0, Counter()
    for name in INSTRUMENT_TEXTS:
        values = {language: getattr(instrument, f"{name}_{language}") for language in LANGUAGES}
        if any(values.values()):
            total += 1
            filled.update(language for language, value in values.items() if value)
    return total, filled


def language_completeness(instruments: Sequence[Instrument]) -> dict[int, LanguageCompleteness]:
    """Per instrument, the share of its texts (its own, its questions', its choices') each
    language has. Two queries whatever the number of instruments and questions."""
    ids = [instrument.pk for instrument in instruments]
    result = {instrument.pk: LanguageCompleteness() for instrument in instruments}
    if not ids:
        return result
    for instrument in instruments:
        result[instrument.pk].add(*_own_text_counts(instrument))
    questions = _text_counts(
        Question.objects.filter(instrument__in=ids), "instrument_id", QUESTION_TEXTS
    )
    choices = _text_counts(
        Choice.objects.filter(question__instrument__in=ids), "question__instrument", CHOICE_TEXTS
    )
    for counts in (questions, choices):
        for instrument_id, (total, filled) in counts.items():
            result[instrument_id].add(total, filled)
    return result


# --- Dry run ------------------------------------------------------------------------------------

DRY_RUN_RESPONDENTS = 1000
DRY_RUN_SEED = 2024
# Beyond this many sums to form (distinct totals so far x the next question's values), a scope's
# reachable levels are judged from its lowest and highest total alone; this keeps the page fast,
# and real instruments, whose weights and credits are round numbers, stay far below it.
MAX_EXACT_SUMS = 200_000
# Multiple-choice questions with more options are not enumerated (2**n answers).
MAX_ENUMERATED_OPTIONS = 12


@dataclass
class AnswerSpace:
    """The points one scored question can give: every possible value, and a random draw that
    picks one of the question's possible answers uniformly."""

    question: Question
    possible: frozenset[Decimal]
    draw: Callable[[random.Random], Decimal]
    exact: bool = True


def _scored(question: Question, choices, **answer) -> Decimal:
    fraction = answer_fraction(question, choices, **answer)
    return points(question, fraction) or ZERO


def _uniform_space(question, choices, answers: Sequence[dict]) -> AnswerSpace:
    outcomes = [_scored(question, choices, **answer) for answer in answers] or [ZERO]
    return AnswerSpace(question, frozenset(outcomes), lambda rng: rng.choice(outcomes))


def _one_of_answers(question: Question, choices: Sequence[Choice]) -> list[dict]:
    kind = question.kind
    if kind == Kind.LIKERT:
        values = range(question.scale_min, question.scale_max + 1)
        return [{"number": Decimal(value)} for value in values]
    if kind == Kind.NUMERICAL:
        # One of the accepted numbers, or any other number (which earns nothing).
        keyed = [{"number": c.value} for c in choices if c.value is not None]
        return [*keyed, {"number": None}]
    if kind == Kind.SHORT_ANSWER:
        keyed = [{"text": c.answer_key} for c in choices if c.answer_key]
        return [*keyed, {"text": ""}]
    return [{"selected": [choice.pk]} for choice in choices]


def _multiple_space(question: Question, choices: Sequence[Choice]) -> AnswerSpace:
    """Any non-empty set of options, each set as likely as any other."""
    ids = [choice.pk for choice in choices]
    if len(ids) <= MAX_ENUMERATED_OPTIONS:
        answers = [
            {"selected": subset}
            for size in range(1, len(ids) + 1)
            for subset in combinations(ids, size)
        ]
        return _uniform_space(question, choices, answers)

    def draw(rng):
        while True:
            subset = [pk for pk in ids if rng.random() < 0.5]
            if subset:
                return _scored(question, choices, selected=subset)

    by_credit = sorted(choices, key=lambda choice: choice.credit)
    lowest = [c.pk for c in by_credit if c.credit < 0] or [by_credit[0].pk]
    highest = [c.pk for c in by_credit if c.credit > 0] or [by_credit[-1].pk]
    extremes = {_scored(question, choices, selected=s) for s in (lowest, highest)}
    return AnswerSpace(question, frozenset(extremes), draw, exact=False)


def _matching_space(question: Question, choices: Sequence[Choice]) -> AnswerSpace:
    """Each prompt picks any of the matches, independently of the others."""
    # Prompts as diagnostics.rules counts them: distractors carry no credit.
    prompts = [c.pk for c in choices if c.credit > 0]
    options = [c.pk for c in choices if c.match_text]

    def draw(rng):
        matches = {prompt: rng.choice(options) for prompt in prompts} if options else {}
        return _scored(question, choices, matches=matches)

    def wrong(prompt):
        return next((option for option in options if option != prompt), prompt)

    # k prompts right and the others wrong gives every reachable share k / len(prompts).
    possible = {
        _scored(
            question,
            choices,
            matches={p: p if i < right else wrong(p) for i, p in enumerate(prompts)},
        )
        for right in range(len(prompts) + 1)
    }
    return AnswerSpace(question, frozenset(possible), draw)


def answer_space(question: Question, choices: Sequence[Choice]) -> AnswerSpace:
    if question.kind == Kind.MULTIPLE and choices:
        return _multiple_space(question, choices)
    if question.kind == Kind.MATCHING:
        return _matching_space(question, choices)
    return _uniform_space(question, choices, _one_of_answers(question, choices))


@dataclass
class LevelReach:
    level: Level
    threshold: Decimal
    reachable: bool


@dataclass
class ScopeRange:
    """The lowest and highest total a scope can give, and which of its levels can be reached."""

    label: str
    max_points: Decimal
    lowest: Decimal
    highest: Decimal
    levels: list[LevelReach] = field(default_factory=list)
    exact: bool = True

    @property
    def lowest_percent(self) -> Decimal:
        return percent_of(self.lowest, self.max_points)

    @property
    def highest_percent(self) -> Decimal:
        return percent_of(self.highest, self.max_points)


@dataclass
class ShareRow:
    label: str
    count: int
    share: Decimal


@dataclass
class DryRun:
    respondents: int
    seed: int
    unit: str
    scopes: list[ScopeRange]
    parts: list[ScopeRange]
    histogram: list[ShareRow]
    levels: list[ShareRow]


def percent_of(value: Decimal, maximum: Decimal) -> Decimal:
    # Stored percentages have two decimals (Response.percent), so levels are compared on those.
    if not maximum:
        return ZERO
    return (value * HUNDRED / maximum).quantize(CENT, rounding=ROUND_HALF_UP)


def _totals(spaces: Sequence[AnswerSpace]) -> tuple[set[Decimal] | None, Decimal, Decimal]:
    """Every total the questions can add up to (None when too many to list), lowest, highest."""
    lowest = sum((min(space.possible) for space in spaces), ZERO)
    highest = sum((max(space.possible) for space in spaces), ZERO)
    totals = {ZERO}
    for space in spaces:
        if not space.exact or len(totals) * len(space.possible) > MAX_EXACT_SUMS:
            return None, lowest, highest
        totals = {total + value for total in totals for value in space.possible}
    return totals, lowest, highest


def _level_of(score: Decimal, ladder: Sequence[tuple[Decimal, Level]]) -> Level | None:
    reached = None
    for threshold, level in ladder:
        if score >= threshold:
            reached = level
    return reached


def _ladder(bands: Iterable[LevelBand]) -> list[tuple[Decimal, Level]]:
    return sorted(
        ((band.min_score, band.level) for band in bands),
        key=lambda pair: (pair[0], pair[1].position),
    )


def _scope_range(label, spaces, bands, unit, max_points) -> ScopeRange:
    totals, lowest, highest = _totals(spaces)
    ladder = _ladder(bands)

    def in_unit(total):
        return total if unit == Instrument.ThresholdUnit.POINTS else percent_of(total, max_points)

    if totals is None:
        # Too many totals to list: any score between the extremes counts as possible.
        scores = None
        low, high = in_unit(lowest), in_unit(highest)
    else:
        scores = {in_unit(total) for total in totals}
    levels = []
    for index, (threshold, level) in enumerate(ladder):
        upper = ladder[index + 1][0] if index + 1 < len(ladder) else None
        if scores is not None:
            reachable = any(
                threshold <= score and (upper is None or score < upper) for score in scores
            )
        else:
            reachable = high >= threshold and (upper is None or low < upper)
        levels.append(LevelReach(level, threshold, reachable))
    return ScopeRange(label, max_points, lowest, highest, levels, exact=totals is not None)


def _histogram(percents: Sequence[Decimal]) -> list[ShareRow]:
    counts = Counter(min(int(p // 10), 9) for p in percents)
    rows = []
    for index in range(10):
        label = f"{index * 10}–{index * 10 + 10}%" if index < 9 else "90–100%"
        rows.append(ShareRow(label, counts[index], _share(counts[index], len(percents))))
    return rows


def _share(count: int, total: int) -> Decimal:
    return percent_of(Decimal(count), Decimal(total))


def dry_run(
    instrument: Instrument,
    *,
    respondents: int = DRY_RUN_RESPONDENTS,
    seed: int = DRY_RUN_SEED,
) -> DryRun:
    """What the instrument's scores and levels can be, and what random answering gives.

    Each simulated respondent answers every scored question uniformly at random among its
    possible answers (scored with diagnostics.rules); the seed makes the run reproducible.
    """
    questions = list(
        instrument.questions.select_related("area")
        .prefetch_related("choices")
        .order_by("position", "pk")
    )
    spaces = [answer_space(q, list(q.choices.all())) for q in questions if q.is_scored]
    bands = list(instrument.bands.select_related("level", "area"))
    unit = instrument.threshold_unit
    areas = sorted(
        {space.question.area for space in spaces} | {b.area for b in bands if b.area},
        key=lambda area: (area.position, area.pk),
    )

    def max_points(selected):
        return sum((space.question.weight for space in selected), ZERO)

    scopes = [
        _scope_range(
            _("Overall score"),
            spaces,
            [b for b in bands if b.area_id is None],
            unit,
            max_points(spaces),
        )
    ]
    for area in areas:
        in_area = [s for s in spaces if s.question.area_id == area.pk]
        area_bands = [b for b in bands if b.area_id == area.pk]
        scopes.append(_scope_range(str(area), in_area, area_bands, unit, max_points(in_area)))
    parts = []
    for part in (Question.Part.SELF_ASSESSMENT, Question.Part.KNOWLEDGE):
        in_part = [s for s in spaces if s.question.part == part]
        if in_part:
            parts.append(_scope_range(str(part.label), in_part, [], unit, max_points(in_part)))
    histogram, levels = _simulate(
        spaces, [b for b in bands if b.area_id is None], unit, respondents, seed
    )
    return DryRun(respondents, seed, unit, scopes, parts, histogram, levels)


def _simulate(spaces, overall_bands, unit, respondents, seed):
    rng = random.Random(seed)  # noqa: S311 -- a reproducible simulation, not a secret
    maximum = sum((space.question.weight for space in spaces), ZERO)
    ladder = _ladder(overall_bands)
    percents, reached = [], Counter()
    for _respondent in range(respondents):
        total = sum((space.draw(rng) for space in spaces), ZERO)
        percent = percent_of(total, maximum)
        percents.append(percent)
        score = total if unit == Instrument.ThresholdUnit.POINTS else percent
        reached[_level_of(score, ladder)] += 1
    levels = [
        ShareRow(str(level), reached[level], _share(reached[level], respondents))
        for _threshold, level in ladder
    ]
    if reached[None]:
        levels.append(
            ShareRow(_("below every threshold"), reached[None], _share(reached[None], respondents))
        )
    return _histogram(percents), levels


# --- New version ----------------------------------------------------------------------------------


def _as_new(instance, **changes):
    """The same row as an unsaved copy: every field, every language, with `changes` applied."""
    instance.pk = None
    instance._state.adding = True
    for name, value in changes.items():
        setattr(instance, name, value)
    return instance


@transaction.atomic
def instrument_new_version(*, instrument: Instrument, created_by=None) -> Instrument:
    """An editable draft copy of the instrument: version + 1, with its attitude scales,
    thresholds, questions and choices, every text in every language."""
    source_pk = instrument.pk
    # Locks every version of the code: two methodists duplicating at once would otherwise both
    # take the same next version number, and the second would fail on the unique constraint.
    versions = Instrument.objects.select_for_update().filter(code=instrument.code)
    latest = max(versions.values_list("version", flat=True))
    copy = _as_new(
        Instrument.objects.get(pk=source_pk),
        version=latest + 1,
        previous_version_id=source_pk,
        status=Instrument.Status.DRAFT,
        created_by=created_by,
        created_at=timezone.now(),
    )
    copy.save()
    scales = {}
    for scale in AttitudeScale.objects.filter(instrument_id=source_pk):
        old_pk = scale.pk
        scales[old_pk] = _as_new(scale, instrument=copy)
        scales[old_pk].save()
    LevelBand.objects.bulk_create(
        _as_new(band, instrument=copy) for band in LevelBand.objects.filter(instrument_id=source_pk)
    )
    questions = list(Question.objects.filter(instrument_id=source_pk))
    old_pks = [question.pk for question in questions]
    for question in questions:
        scale = scales.get(question.scale_id)
        _as_new(question, instrument=copy, scale=scale)
    Question.objects.bulk_create(questions)
    new_pks = dict(zip(old_pks, (question.pk for question in questions), strict=True))
    Choice.objects.bulk_create(
        _as_new(choice, question_id=new_pks[choice.question_id])
        for choice in Choice.objects.filter(question__instrument_id=source_pk)
    )
    return copy


# --- GIFT import --------------------------------------------------------------------------------

GIFT_PARTS = (Question.Part.KNOWLEDGE, Question.Part.SELF_ASSESSMENT)


@dataclass(frozen=True)
class GiftProblem:
    line: int | None
    message: str

    def __str__(self):
        if self.line is None:
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class GiftImportError(Exception):
    """The file cannot be imported as a whole; `problems` lists every reason, with its line."""

    def __init__(self, problems: list[GiftProblem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class GiftImportReport:
    questions: list[Question]
    skipped: list[GiftProblem]


@dataclass
class GiftTarget:
    """Where the imported questions go and in which language their texts are written."""

    instrument: Instrument
    area: Area | None
    part: str
    language: str
    all_languages: bool = False
    area_from_category: bool = False
    areas_by_code: dict[str, Area] = field(default_factory=dict)

    def texts(self, name: str, value: str) -> dict[str, str]:
        languages = LANGUAGES if self.all_languages else (self.language,)
        return {f"{name}_{language}": value for language in languages}

    def area_for(self, category: str | None) -> Area | None:
        if self.area_from_category and category:
            code = category.rstrip("/").rsplit("/", 1)[-1].strip()
            found = self.areas_by_code.get(code) or self.areas_by_code.get(code.lower())
            if found is not None:
                return found
        return self.area


def gift_import(
    *,
    instrument: Instrument,
    source: str | bytes,
    area: Area | None,
    part: str = Question.Part.KNOWLEDGE,
    language: str | None = None,
    all_languages: bool = False,
    area_from_category: bool = False,
) -> GiftImportReport:
    """Add the questions of a GIFT file to the instrument; all of them or, on any problem, none.

    Descriptions (text without answers) are not questions and are reported as skipped.
    """
    if instrument_locked(instrument):
        raise InstrumentLockedError(instrument)
    if part not in GIFT_PARTS:
        raise ValueError(part)
    target = GiftTarget(
        instrument=instrument,
        area=area,
        part=part,
        language=language if language in LANGUAGES else settings.MODELTRANSLATION_DEFAULT_LANGUAGE,
        all_languages=all_languages,
        area_from_category=area_from_category,
        areas_by_code={a.code: a for a in Area.objects.filter(framework=instrument.framework_id)},
    )
    parsed = gift.parse_gift(source)
    problems = [GiftProblem(error.line, str(error.message)) for error in parsed.errors]
    skipped, built = [], []
    for item in parsed.questions:
        if item.kind == gift.Kind.DESCRIPTION:
            skipped.append(GiftProblem(item.line, _("a description, not a question; skipped.")))
            continue
        try:
            built.append(_gift_question(item, target))
        except ValidationError as error:
            problems += [GiftProblem(item.line, message) for message in _messages(error)]
    if problems:
        raise GiftImportError(sorted(problems, key=lambda problem: problem.line or 0))
    with transaction.atomic():
        questions = _save_gift_questions(instrument, built)
    return GiftImportReport(questions=questions, skipped=skipped)


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    messages = []
    for name, errors in error.error_dict.items():
        for message in ValidationError(errors).messages:
            messages.append(f"{name}: {message}")
    return messages


def _gift_question(item: gift.Question, target: GiftTarget) -> tuple[Question, list[Choice]]:
    area = target.area_for(item.category)
    if area is None:
        raise ValidationError(
            gettext_lazy(
                "No area for this question: choose one, or name an area code as the last part "
                "of its $CATEGORY."
            )
        )
    question = Question(
        instrument=target.instrument,
        area=area,
        code=item.title,  # made unique when saved
        part=target.part,
        kind=Kind(item.kind.value),
        **target.texts("text", item.text),
        **target.texts("feedback", item.general_feedback),
    )
    choices = _gift_choices(item, target)
    # Foreign keys were chosen from the instrument's own framework; checking them again would
    # cost a query per question.
    question.full_clean(
        exclude=["code", "instrument", "area", "scale"],
        validate_unique=False,
        validate_constraints=False,
    )
    for choice in choices:
        choice.full_clean(exclude=["question"], validate_unique=False, validate_constraints=False)
    return question, choices


def _gift_choices(item: gift.Question, target: GiftTarget) -> list[Choice]:
    kind = item.kind
    if kind == gift.Kind.TRUE_FALSE:
        return [_true_false_choice(choice, target) for choice in item.choices]
    if kind == gift.Kind.SHORT_ANSWER:
        return [
            Choice(
                credit=choice.credit,
                answer_key=answer_key(choice.text),
                **target.texts("text", choice.text),
                **target.texts("feedback", choice.feedback),
            )
            for choice in item.choices
        ]
    if kind == gift.Kind.NUMERICAL:
        # The catch-all answer ("any other number") earns nothing and has no number to compare.
        return [
            Choice(
                value=answer.value,
                tolerance=answer.tolerance,
                credit=answer.credit,
                **target.texts("feedback", answer.feedback),
            )
            for answer in item.numeric_answers
            if answer.value is not None
        ]
    if kind == gift.Kind.MATCHING:
        return [
            Choice(
                credit=1 if pair.prompt else 0,
                **target.texts("text", pair.prompt),
                **target.texts("match_text", pair.match),
            )
            for pair in item.pairs
        ]
    return [
        Choice(
            credit=choice.credit,
            **target.texts("text", choice.text),
            **target.texts("feedback", choice.feedback),
        )
        for choice in item.choices
    ]


def _true_false_choice(choice: gift.Choice, target: GiftTarget) -> Choice:
    # "True" and "False" are words of the interface, so every language gets its own.
    label = TRUE_FALSE_LABELS[0] if choice.text == "True" else TRUE_FALSE_LABELS[1]
    return Choice(
        credit=choice.credit,
        **interface_texts("text", label),
        **target.texts("feedback", choice.feedback),
    )


def _unique_codes(instrument: Instrument, wanted: Sequence[str]) -> list[str]:
    taken = set(Question.objects.filter(instrument=instrument).values_list("code", flat=True))
    codes = []
    for number, raw in enumerate(wanted, start=len(taken) + 1):
        base = slugify(raw)[:56] or f"gift-{number}"
        code, suffix = base, 2
        while code in taken:
            code, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(code)
        codes.append(code)
    return codes


def _save_gift_questions(instrument, built) -> list[Question]:
    start = Question.objects.filter(instrument=instrument).aggregate(p=Max("position"))["p"] or 0
    questions = [question for question, _choices in built]
    codes = _unique_codes(instrument, [question.code for question in questions])
    for position, (question, code) in enumerate(zip(questions, codes, strict=True), start=1):
        question.code = code
        question.position = start + position
    Question.objects.bulk_create(questions)
    rows = []
    for question, choices in built:
        for position, choice in enumerate(choices, start=1):
            choice.question = question
            choice.position = position
            rows.append(choice)
    Choice.objects.bulk_create(rows)
    return questions
