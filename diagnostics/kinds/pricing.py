"""How one answer earns points, in plain Python.

Set-based scoring (diagnostics/scoring/) computes the same for thousands of responses at once in
SQL, from each kind's `sql_fraction`; this is the readable statement of the rules, used where one
answer is priced at a time: the methodists' dry run, previews, and the tests that check the SQL
against it. An answer earns `weight x fraction`, the fraction in [0, 1].
"""

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from diagnostics.kinds.answers import GivenAnswer
from diagnostics.kinds.registry import kind_named

ATTITUDE = "attitude"  # Question.Part.ATTITUDE: priced though not scored


def answer_fraction(
    question,
    choices: Iterable,
    *,
    selected: Iterable[int] = (),
    number: Decimal | None = None,
    text: str = "",
    matches: Mapping[int, int] | None = None,
) -> Decimal | None:
    """The share of the question's weight an answer earns; None for unscored questions."""
    if not question.is_scored and question.part != ATTITUDE:
        return None
    kind = kind_named(question.kind)
    if kind is None:
        return None
    given = GivenAnswer(
        question, selected=list(selected), number=number, text=text, matches=dict(matches or {})
    )
    return kind.fraction(question, list(choices), given)


def given_fraction(given: GivenAnswer) -> Decimal | None:
    """The share of the weight a GivenAnswer earns (its question's choices are read)."""
    question = given.question
    return answer_fraction(
        question,
        question.choices.all(),
        selected=given.selected,
        number=given.number,
        text=given.text,
        matches=given.matches,
    )


def points(question, fraction: Decimal | None) -> Decimal | None:
    if fraction is None:
        return None
    return (question.weight * fraction).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
