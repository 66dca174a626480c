"""The question kinds the engine knows, by the code stored in Question.kind.

The rest of the code asks here (`kind_for(question)`, `all_kinds()`) instead of testing kinds
itself. A new kind is a module in diagnostics/kinds/ listed in BUILT_IN_KINDS (and its value in
Question.Kind, so the admin offers it); see docs/question-kinds.md.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from diagnostics.kinds.base import QuestionKind
from diagnostics.kinds.free_text import FreeText
from diagnostics.kinds.level_statements import LevelStatements
from diagnostics.kinds.likert import RatingScale
from diagnostics.kinds.matching import Matching
from diagnostics.kinds.multiple import MultipleChoice
from diagnostics.kinds.numerical import Numerical
from diagnostics.kinds.short_answer import ShortAnswer
from diagnostics.kinds.single import SingleChoice
from diagnostics.kinds.true_false import TrueFalse

BUILT_IN_KINDS = (
    SingleChoice(),
    MultipleChoice(),
    RatingScale(),
    LevelStatements(),
    TrueFalse(),
    ShortAnswer(),
    Numerical(),
    Matching(),
    FreeText(),
)

_KINDS: dict[str, QuestionKind] = {kind.code: kind for kind in BUILT_IN_KINDS}


class UnknownKind(LookupError):
    """A question of a kind no module describes (a typo in a file, a kind since removed)."""


def all_kinds() -> tuple[QuestionKind, ...]:
    return tuple(_KINDS.values())


def kind_named(code) -> QuestionKind | None:
    """The kind of this code, or None (for anything else, read from a file say)."""
    return _KINDS.get(code) if isinstance(code, str) else None


def kind_for(question) -> QuestionKind:
    """The kind of a question (anything with a `kind` code)."""
    try:
        return _KINDS[question.kind]
    except KeyError:
        raise UnknownKind(question.kind) from None


def kind_register(kind: QuestionKind) -> None:
    if kind.code in _KINDS:
        raise ValueError(f"a question kind {kind.code!r} is already registered")
    _KINDS[kind.code] = kind


def kind_unregister(code: str) -> None:
    if code in {kind.code for kind in BUILT_IN_KINDS}:
        raise ValueError(f"{code!r} is a built-in question kind")
    _KINDS.pop(code, None)


@contextmanager
def kind_registered(kind: QuestionKind) -> Iterator[QuestionKind]:
    """Register a kind for the duration of a block (tests, experiments); then forget it."""
    kind_register(kind)
    try:
        yield kind
    finally:
        kind_unregister(kind.code)
