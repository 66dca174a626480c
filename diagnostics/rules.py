"""How one answer earns points, in plain Python.

The scoring task computes the same thing for thousands of responses at once in SQL
(diagnostics/scoring.py); this module is the readable statement of the rules, used where one
answer is scored at a time: the methodists' dry run with simulated answers, previews, and the tests
that check the SQL against it. An answer earns `weight x fraction`, the fraction in [0, 1].
"""

import unicodedata
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from diagnostics.models import Choice, Question

Kind = Question.Kind
ZERO = Decimal(0)
ONE = Decimal(1)
SELECTION_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE, Kind.LEVEL_STATEMENTS, Kind.TRUE_FALSE})


def answer_key(text: str, *, case_sensitive: bool = False) -> str:
    """A short answer as it is compared: Unicode-normalised, spaces folded, case folded."""
    folded = " ".join(unicodedata.normalize("NFKC", text or "").split())
    return folded if case_sensitive else folded.casefold()


def clamp(fraction: Decimal) -> Decimal:
    return max(ZERO, min(ONE, fraction))


def likert_fraction(question: Question, value: Decimal) -> Decimal:
    span = Decimal(question.scale_max - question.scale_min)
    fraction = (Decimal(value) - question.scale_min) / span
    return ONE - fraction if question.reverse_coded else fraction


def answer_fraction(
    question: Question,
    choices: Iterable[Choice],
    *,
    selected: Iterable[int] = (),
    number: Decimal | None = None,
    text: str = "",
    matches: Mapping[int, int] | None = None,
) -> Decimal | None:
    """The share of the question's weight an answer earns; None for unscored questions."""
    if not question.is_scored and question.part != Question.Part.ATTITUDE:
        return None
    choices = list(choices)
    if question.kind in SELECTION_KINDS:
        chosen = set(selected)
        return clamp(sum((c.credit for c in choices if c.pk in chosen), ZERO))
    if question.kind == Kind.LIKERT:
        return None if number is None else likert_fraction(question, number)
    if question.kind == Kind.NUMERICAL:
        if number is None:
            return ZERO
        credits = [
            c.credit
            for c in choices
            if c.value is not None and abs(Decimal(number) - c.value) <= c.tolerance
        ]
        return clamp(max(credits, default=ZERO))
    if question.kind == Kind.SHORT_ANSWER:
        key = answer_key(text, case_sensitive=question.case_sensitive)
        credits = [c.credit for c in choices if key and c.answer_key == key]
        return clamp(max(credits, default=ZERO))
    if question.kind == Kind.MATCHING:
        prompts = [c for c in choices if c.credit > 0]  # distractors carry no credit
        if not prompts:
            return ZERO
        matches = matches or {}
        right = sum(1 for c in prompts if matches.get(c.pk) == c.pk)
        return Decimal(right) / Decimal(len(prompts))
    return None


def points(question: Question, fraction: Decimal | None) -> Decimal | None:
    if fraction is None:
        return None
    return (question.weight * fraction).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
