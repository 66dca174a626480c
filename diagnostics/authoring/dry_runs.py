"""The dry run: which scores and levels an instrument can give, and what random answering gets.

Named dry_runs, not dry_run, so the module does not shadow the function it holds when the
package re-exports it.
"""

import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

from django.utils.translation import gettext as _

from diagnostics.kinds.pricing import answer_fraction, points
from diagnostics.models import Choice, Instrument, Level, LevelBand, Question

HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")
Kind = Question.Kind


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
    # Prompts as diagnostics.kinds counts them: distractors carry no credit.
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
    possible answers (scored with diagnostics.kinds.pricing); the seed makes the run reproducible.
    """
    questions = list(
        instrument.questions.select_related("area")
        .prefetch_related("choices")
        .order_by("position", "pk")
    )
    spaces = [answer_space(q, list(q.choices.all())) for q in questions if q.is_scored]
    bands = list(instrument.bands.select_related("level", "area"))
    unit = instrument.threshold_unit
    scopes = scope_ranges(spaces, bands, unit)
    parts = []
    for part in (Question.Part.SELF_ASSESSMENT, Question.Part.KNOWLEDGE):
        in_part = [s for s in spaces if s.question.part == part]
        if in_part:
            parts.append(_scope_range(str(part.label), in_part, [], unit, _max_points(in_part)))
    histogram, levels = _simulate(
        spaces, [b for b in bands if b.area_id is None], unit, respondents, seed
    )
    return DryRun(respondents, seed, unit, scopes, parts, histogram, levels)


def _max_points(spaces) -> Decimal:
    return sum((space.question.weight for space in spaces), ZERO)


def scope_ranges(spaces: Sequence[AnswerSpace], bands: Sequence, unit: str) -> list[ScopeRange]:
    """The overall score's range and each area's, with the levels each can reach; `bands` are
    thresholds (saved or not) with `level`, `area` and `min_score`."""
    areas = sorted(
        {space.question.area for space in spaces} | {b.area for b in bands if b.area},
        key=lambda area: (area.position, area.pk),
    )
    overall = [b for b in bands if b.area is None]
    scopes = [_scope_range(_("Overall score"), spaces, overall, unit, _max_points(spaces))]
    for area in areas:
        in_area = [s for s in spaces if s.question.area_id == area.pk]
        area_bands = [b for b in bands if b.area is not None and b.area.pk == area.pk]
        scopes.append(_scope_range(str(area), in_area, area_bands, unit, _max_points(in_area)))
    return scopes


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
