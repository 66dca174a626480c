"""The question engine: one module per question kind, and a registry the rest of the code asks.

The public surface (documented in docs/question-kinds.md):

- render a question: `question_render` (or include diagnostics/_question.html);
- read answers from a POST: `read_page`, `read_answer` -> `GivenAnswer`, or `InvalidAnswers`;
- price an answer: `answer_fraction`, `given_fraction`, `points`;
- score a set of responses: diagnostics.scoring.responses_score (SQL built from the kinds);
- the kinds: `kind_for`, `kind_named`, `all_kinds`, `kind_registered`.

Modules inside this package import each other from their defining modules, never from here.
"""

from diagnostics.kinds.answers import (
    GivenAnswer,
    InvalidAnswers,
    missing_required,
    read_answer,
    read_page,
)
from diagnostics.kinds.base import MAX_TEXT_LENGTH, QuestionKind, answer_key, clamp
from diagnostics.kinds.pricing import answer_fraction, given_fraction, points
from diagnostics.kinds.registry import (
    UnknownKind,
    all_kinds,
    kind_for,
    kind_named,
    kind_register,
    kind_registered,
    kind_unregister,
)
from diagnostics.kinds.rendering import question_render, question_template

__all__ = [
    "MAX_TEXT_LENGTH",
    "GivenAnswer",
    "InvalidAnswers",
    "QuestionKind",
    "UnknownKind",
    "all_kinds",
    "answer_fraction",
    "answer_key",
    "clamp",
    "given_fraction",
    "kind_for",
    "kind_named",
    "kind_register",
    "kind_registered",
    "kind_unregister",
    "missing_required",
    "points",
    "question_render",
    "question_template",
    "read_answer",
    "read_page",
]
