"""What reading GIFT gives: plain dataclasses of questions and their answers, and the errors.

This knows nothing about our models: diagnostics/interchange/gift_import.py maps `Question` onto
them, asking each kind (diagnostics/kinds/) for its choices.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

BLANK = "_____"

FULL_CREDIT = Decimal(1)
NO_CREDIT = ZERO = Decimal(0)


class Kind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    NUMERICAL = "numerical"
    MATCHING = "matching"
    FREE_TEXT = "free_text"
    DESCRIPTION = "description"


class TextFormat(StrEnum):
    MOODLE = "moodle"
    HTML = "html"
    PLAIN = "plain"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class Choice:
    """An answer of a single, multiple, true/false or short-answer question.

    `credit` is the fraction of the mark the answer earns, from -1 to 1 (Moodle's "fraction").
    """

    text: str
    credit: Decimal
    feedback: str = ""
    text_format: TextFormat = TextFormat.MOODLE
    feedback_format: TextFormat = TextFormat.MOODLE


@dataclass(frozen=True)
class NumericAnswer:
    """An accepted number: `value` plus or minus `tolerance`, earning `credit` (-1 to 1).

    A `min..max` range is stored as its midpoint and half-width, as Moodle stores it.
    `value` is None for the catch-all answer (GIFT's `~#feedback` or `=%0%*`) that only carries
    feedback for any other number.
    """

    value: Decimal | None
    tolerance: Decimal
    credit: Decimal
    feedback: str = ""
    feedback_format: TextFormat = TextFormat.MOODLE

    @property
    def minimum(self) -> Decimal | None:
        return None if self.value is None else self.value - self.tolerance

    @property
    def maximum(self) -> Decimal | None:
        return None if self.value is None else self.value + self.tolerance


@dataclass(frozen=True)
class MatchPair:
    """A prompt and the match it takes. An empty prompt makes `match` an extra distractor."""

    prompt: str
    match: str
    prompt_format: TextFormat = TextFormat.MOODLE


@dataclass
class Question:
    """One GIFT question. Which answer list is filled depends on `kind`.

    - single, multiple, short_answer: `choices`.
    - true_false: `correct_answer`, and `choices` holds "True" then "False", each with the
      feedback a student sees after picking it (so both GIFT feedbacks are kept).
    - numerical: `numeric_answers`.
    - matching: `pairs`.
    - free_text (GIFT essay) and description: nothing.

    `missing_word` is set when text followed the answers; `text` then holds `BLANK` where they were.
    """

    line: int
    kind: Kind
    text: str
    text_format: TextFormat = TextFormat.MOODLE
    title: str = ""
    category: str | None = None
    missing_word: bool = False
    general_feedback: str = ""
    general_feedback_format: TextFormat = TextFormat.MOODLE
    choices: list[Choice] = field(default_factory=list)
    numeric_answers: list[NumericAnswer] = field(default_factory=list)
    pairs: list[MatchPair] = field(default_factory=list)
    correct_answer: bool | None = None


# Messages are looked up when shown, so they come out in the reader's language, not the language
# active when the file was parsed.
_MESSAGES = {
    "not_utf8": _("The file is not UTF-8 text. Save it with UTF-8 encoding and import it again."),
    "unclosed_title": _("The question title starts with :: but has no closing ::."),
    "unclosed_brace": _(
        "The answers start with { but have no closing }. Answers must not contain blank lines."
    ),
    "unopened_brace": _(
        "There is a } without an opening {. Write a literal closing brace in text as \\}."
    ),
    "nested_brace": _(
        "There is a { inside the answers. Write a literal opening brace in text as \\{."
    ),
    "extra_brace": _(
        "A question may have only one {…} answer block. Separate questions with a blank line, "
        "and write literal braces in text as \\{ and \\}."
    ),
    "empty_text": _("The question has no text."),
    "too_few_choices": _("A choice question needs at least two choices."),
    "no_correct_choice": _(
        "None of the choices is correct. Mark the right choice with = or give the right choices "
        "a positive credit such as ~%%50%%."
    ),
    "credits_do_not_add_up": _(
        "The positive credits of the choices add up to %(total)s%%, not 100%%."
    ),
    "credit_not_a_number": _(
        "The credit “%(credit)s” is not a number. Write credits like %%50%% or %%-25%%."
    ),
    "credit_out_of_range": _("The credit %(credit)s%% is outside the range from -100%% to 100%%."),
    "no_answers": _("The short-answer question has no answers."),
    "no_full_credit_answer": _("No answer is worth 100%%; at least one answer must be."),
    "no_numeric_answers": _("The numerical question has no answers."),
    "not_a_number": _(
        "“%(value)s” is not a number. Use a dot as the decimal separator, as in 3.14."
    ),
    "negative_tolerance": _("The tolerance %(value)s is below zero."),
    "range_reversed": _(
        "In the range %(minimum)s..%(maximum)s the minimum is greater than the maximum."
    ),
    "pair_without_arrow": _("The matching pair “%(pair)s” has no -> between prompt and match."),
    "prompt_without_match": _("The prompt “%(prompt)s” has no match after ->."),
    "too_few_pairs": _("A matching question needs at least two prompts, each with its match."),
}


@dataclass(frozen=True)
class GiftError:
    """A question that could not be read: where it starts and why (`code`, with `params`)."""

    line: int
    code: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _MESSAGES[self.code] % self.params


@dataclass
class GiftParseResult:
    questions: list[Question] = field(default_factory=list)
    errors: list[GiftError] = field(default_factory=list)


class InvalidGift(Exception):
    """Raised inside the reading of one question; `parse_gift` turns it into a `GiftError`."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
