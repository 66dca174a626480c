"""Read Moodle GIFT question files into plain dataclasses.

GIFT is the plain-text question format documented at https://docs.moodle.org/en/GIFT_format.
The reading rules follow Moodle's own reader (question/format/gift/format.php), so a file that
Moodle accepts reads the same here. Questions that Moodle refuses to import are reported as errors
carrying the line where the question starts; one bad question never stops the others.

This module knows nothing about our models: the importer maps `Question` onto them.

Where we deliberately differ from Moodle:

- A `$CATEGORY:` line may be followed by a question without a blank line in between (Moodle then
  swallows the question into the category name), and the keyword is matched in any case.
- Lines keep their leading whitespace, as Moodle's reader does when given the lines directly, so
  indentation inside `[html]<pre>` or `[markdown]` code survives.
- Mistakes that Moodle reads into nonsense are reported instead: a `::title` without its closing
  `::`, a credit such as `%fifty%`, a number that is not a number (Moodle's check for it never
  fires), a tolerance below zero, a range whose minimum exceeds its maximum, unescaped braces
  beyond the one answer block, and a question with no text.
- `=%50%answer` in a choice question gets 50% credit (Moodle keeps "%50%" in the answer text).
- Rules that Moodle's question editor enforces are checked here too: a short-answer or numerical
  question needs an answer worth 100%, and a matching question needs two prompts, each with a match.
- Moodle's list of allowed grades (100%, 90%, 83.33333%, ...) is not enforced: any credit from
  -100% to 100% is kept as written.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

__all__ = [
    "BLANK",
    "Choice",
    "GiftError",
    "GiftParseResult",
    "Kind",
    "MatchPair",
    "NumericAnswer",
    "Question",
    "TextFormat",
    "parse_gift",
]

# What Moodle writes where the answers stood in a missing-word question.
BLANK = "_____"

_FULL_CREDIT = Decimal(1)
_NO_CREDIT = _ZERO = Decimal(0)


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


class _Invalid(Exception):
    """Raised inside the reading of one question; `parse_gift` turns it into a `GiftError`."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class _Line(NamedTuple):
    number: int
    text: str


def parse_gift(source: str | bytes) -> GiftParseResult:
    """Read GIFT text (or UTF-8 bytes, with or without a BOM) into questions and errors."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as problem:
            line = source.count(b"\n", 0, problem.start) + 1
            return GiftParseResult(errors=[GiftError(line, "not_utf8")])

    result = GiftParseResult()
    category = None
    for block in _blocks(source.removeprefix("\ufeff")):
        if _CATEGORY_LINE.match(block[0].text):
            category = _category_name(block[0].text)
            block = block[1:]
            if not block:
                continue
        try:
            result.questions.append(_read_question(block, category))
        except _Invalid as problem:
            result.errors.append(GiftError(block[0].number, problem.code, problem.params))
    return result


# --- Splitting the file -------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CATEGORY_LINE = re.compile(r"\s*\$CATEGORY:", re.IGNORECASE)


def _blocks(text: str) -> Iterator[list[_Line]]:
    """Yield the questions of the file: runs of lines between blank lines, comments left out.

    A comment line does not end a question; only a blank (or whitespace-only) line does.
    """
    block: list[_Line] = []
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if not line.strip():
            if block:
                yield block
            block = []
        elif not line.lstrip().startswith("//"):
            block.append(_Line(number, line.rstrip()))
    if block:
        yield block


def _category_name(line: str) -> str | None:
    name = _unescape(line.split(":", 1)[1]).strip()
    return name or None


# --- Escapes ------------------------------------------------------------------------------------

# Escaped control characters are swapped for private-use characters while the question is cut
# into parts, so that "\=" never splits answers; they turn back into the literal character after.
_HIDDEN = {"~": "\ue000", "=": "\ue001", "#": "\ue002", "{": "\ue003", "}": "\ue004", ":": "\ue005"}
_ESCAPED = {**_HIDDEN, "\\": "\\", "n": "\n"}
_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
_REVEAL = str.maketrans({hidden: literal for literal, hidden in _HIDDEN.items()})


def _hide_escapes(text: str) -> str:
    return _ESCAPE.sub(lambda escape: _ESCAPED[escape[1]], text)


def _reveal(text: str) -> str:
    return text.translate(_REVEAL)


def _unescape(text: str) -> str:
    return _reveal(_hide_escapes(text))


def _shown(raw: str, limit: int = 60) -> str:
    """A fragment of the user's text, fit to quote in an error message."""
    text = " ".join(_reveal(raw).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- One question -------------------------------------------------------------------------------

_FORMAT_PREFIX = re.compile(r"\[(moodle|html|plain|markdown)\]")


def _read_question(block: list[_Line], category: str | None) -> Question:
    text = _hide_escapes("\n".join(line.text for line in block).strip())
    title, text = _split_title(text)
    before, answer_text, after = _split_at_answers(text)
    missing_word = answer_text is not None and after != ""
    question_text, text_format = _formatted(
        before + BLANK + after if missing_word else before, TextFormat.MOODLE
    )
    if not question_text:
        raise _Invalid("empty_text")
    question = Question(
        line=block[0].number,
        kind=Kind.DESCRIPTION,
        text=question_text,
        text_format=text_format,
        title=title,
        category=category,
        missing_word=missing_word,
    )
    if answer_text is not None:
        _read_answer_block(question, answer_text)
    return question


def _split_title(text: str) -> tuple[str, str]:
    if not text.startswith("::"):
        return "", text
    end = text.find("::", 2)
    if end == -1:
        raise _Invalid("unclosed_title")
    return " ".join(_reveal(text[2:end]).split()), text[end + 2 :].strip()


def _split_at_answers(text: str) -> tuple[str, str | None, str]:
    """Cut the text into (before, answers, after); answers is None when there is no {...}."""
    opening, closing = text.find("{"), text.find("}")
    if opening == closing == -1:
        return text, None, ""
    if opening == -1 or (closing != -1 and closing < opening):
        raise _Invalid("unopened_brace")
    if closing == -1:
        raise _Invalid("unclosed_brace")
    answers, after = text[opening + 1 : closing], text[closing + 1 :]
    if "{" in answers:
        raise _Invalid("nested_brace")
    if "{" in after or "}" in after:
        raise _Invalid("extra_brace")
    return text[:opening], answers, after


def _formatted(raw: str, default: TextFormat) -> tuple[str, TextFormat]:
    """Strip a leading [html]/[moodle]/[plain]/[markdown]; other parts inherit `default`."""
    raw = raw.strip()
    prefix = _FORMAT_PREFIX.match(raw)
    if prefix:
        return _reveal(raw[prefix.end() :]).strip(), TextFormat(prefix[1])
    return _reveal(raw).strip(), default


def _read_answer_block(question: Question, answer_text: str) -> None:
    # Moodle takes the last "####" as the start of the general feedback.
    answer_text, separator, general_feedback = answer_text.rpartition("####")
    if not separator:
        answer_text, general_feedback = general_feedback, ""
    answer_text = answer_text.strip()
    question.general_feedback, question.general_feedback_format = _formatted(
        general_feedback, question.text_format
    )
    question.kind = _kind_of(answer_text)
    _ANSWER_READERS[question.kind](question, answer_text)


_TRUE_FALSE_WORDS = {"T", "TRUE", "F", "FALSE"}


def _kind_of(answer_text: str) -> Kind:
    """Tell the kind from the answers' control characters, in the order Moodle checks them."""
    if not answer_text:
        return Kind.FREE_TEXT
    if answer_text.startswith("#"):
        return Kind.NUMERICAL
    if "~" in answer_text:
        # Moodle allows several right choices only when none is marked with "=".
        return Kind.SINGLE if "=" in answer_text else Kind.MULTIPLE
    if "=" in answer_text and "->" in answer_text:
        return Kind.MATCHING
    if answer_text.split("#", 1)[0].strip() in _TRUE_FALSE_WORDS:
        return Kind.TRUE_FALSE
    return Kind.SHORT_ANSWER


# --- Answers shared pieces ----------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _parts(answer_text: str, separator: str) -> list[str]:
    return [part.strip() for part in answer_text.split(separator) if part.strip()]


def _take_credit(answer: str, default: Decimal) -> tuple[Decimal, str]:
    """Read a leading %credit% off an answer; answers without one earn `default`."""
    answer = answer.lstrip()
    end = answer.find("%", 1)
    if not answer.startswith("%") or end == -1:
        return default, answer
    raw = answer[1:end].strip()
    if not _NUMBER.fullmatch(raw):
        raise _Invalid("credit_not_a_number", credit=_shown(raw))
    percent = Decimal(raw)
    if not -100 <= percent <= 100:
        raise _Invalid("credit_out_of_range", credit=raw)
    return percent / 100, answer[end + 1 :]


def _split_feedback(answer: str) -> tuple[str, str]:
    text, _separator, feedback = answer.partition("#")
    return text, feedback


def _number(raw: str) -> Decimal:
    raw = raw.strip()
    if not _NUMBER.fullmatch(raw):
        raise _Invalid("not_a_number", value=_shown(raw))
    return Decimal(raw)


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}"


# --- Choices: single, multiple --------------------------------------------------------------------


def _read_choices(question: Question, answer_text: str) -> None:
    # Each choice starts at its "~" or "="; text before the first marker is a wrong choice, as in
    # Moodle. Choices left without text are dropped, as Moodle drops them when it saves.
    parts = re.split(r"(?=[~=])", answer_text)
    choices = [_choice(part, question.text_format) for part in parts if part.strip()]
    question.choices = [choice for choice in choices if choice.text]
    if len(question.choices) < 2:
        raise _Invalid("too_few_choices")
    _check_choice_credits(question.kind, question.choices)


def _choice(part: str, default_format: TextFormat) -> Choice:
    part = part.strip()
    if part.startswith("="):
        credit, rest = _take_credit(part[1:], _FULL_CREDIT)
    else:
        credit, rest = _take_credit(part.removeprefix("~"), _NO_CREDIT)
    text, feedback = _split_feedback(rest)
    text, text_format = _formatted(text, default_format)
    feedback, feedback_format = _formatted(feedback, default_format)
    return Choice(text, credit, feedback, text_format, feedback_format)


def _check_choice_credits(kind: Kind, choices: list[Choice]) -> None:
    """Apply the checks Moodle's multiple-choice type makes before it saves a question."""
    if kind is Kind.SINGLE:
        if max(choice.credit for choice in choices) != _FULL_CREDIT:
            raise _Invalid("no_correct_choice")
        return
    total = sum((choice.credit for choice in choices if choice.credit > 0), _NO_CREDIT)
    if total == 0:
        raise _Invalid("no_correct_choice")
    # Moodle rounds to two places so that three choices of 33.33333% still make 100%.
    if total.quantize(Decimal("0.01"), ROUND_HALF_UP) != _FULL_CREDIT:
        raise _Invalid("credits_do_not_add_up", total=_percent(total))


# --- True/false ---------------------------------------------------------------------------------


def _read_true_false(question: Question, answer_text: str) -> None:
    # "{FALSE#shown to a wrong answer#shown to a right answer}"
    word, wrong_feedback, right_feedback = (answer_text.split("#", 2) + ["", ""])[:3]
    is_true = word.strip() in {"T", "TRUE"}
    wrong = _formatted(wrong_feedback, question.text_format)
    right = _formatted(right_feedback, question.text_format)
    for_true, for_false = (right, wrong) if is_true else (wrong, right)
    question.correct_answer = is_true
    question.choices = [
        _true_false_choice("True", is_true, for_true),
        _true_false_choice("False", not is_true, for_false),
    ]


def _true_false_choice(label: str, is_correct: bool, feedback: tuple[str, TextFormat]) -> Choice:
    credit = _FULL_CREDIT if is_correct else _NO_CREDIT
    return Choice(label, credit, feedback[0], feedback_format=feedback[1])


# --- Short answer -------------------------------------------------------------------------------


def _read_short_answers(question: Question, answer_text: str) -> None:
    answers = [_short_answer(part, question.text_format) for part in _parts(answer_text, "=")]
    question.choices = [answer for answer in answers if answer.text]
    if not question.choices:
        raise _Invalid("no_answers")
    if max(answer.credit for answer in question.choices) != _FULL_CREDIT:
        raise _Invalid("no_full_credit_answer")


def _short_answer(part: str, default_format: TextFormat) -> Choice:
    credit, rest = _take_credit(part, _FULL_CREDIT)
    text, feedback = _split_feedback(rest)
    text, text_format = _formatted(text, default_format)
    feedback, feedback_format = _formatted(feedback, default_format)
    return Choice(text, credit, feedback, text_format, feedback_format)


# --- Numerical ----------------------------------------------------------------------------------


def _read_numeric_answers(question: Question, answer_text: str) -> None:
    # "{#=3:2 =%50%3:5 ~#feedback for any other number}"
    answers_text, tilde, other_number = answer_text.removeprefix("#").partition("~")
    answers = [_numeric_answer(part, question.text_format) for part in _parts(answers_text, "=")]
    if not answers:
        raise _Invalid("no_numeric_answers")
    if tilde:
        answers.append(_any_other_number(other_number, question.text_format))
    if not any(a.credit == _FULL_CREDIT and a.value is not None for a in answers):
        raise _Invalid("no_full_credit_answer")
    question.numeric_answers = answers


def _numeric_answer(part: str, default_format: TextFormat) -> NumericAnswer:
    credit, rest = _take_credit(part, _FULL_CREDIT)
    spec, feedback = _split_feedback(rest)
    value, tolerance = _value_and_tolerance(_reveal(spec).strip())
    feedback, feedback_format = _formatted(feedback, default_format)
    return NumericAnswer(value, tolerance, credit, feedback, feedback_format)


def _any_other_number(text: str, default_format: TextFormat) -> NumericAnswer:
    # Moodle ignores whatever stands between "~" and "#".
    feedback, feedback_format = _formatted(_split_feedback(text)[1], default_format)
    return NumericAnswer(None, _ZERO, _NO_CREDIT, feedback, feedback_format)


def _value_and_tolerance(spec: str) -> tuple[Decimal | None, Decimal]:
    """Read "3.14:0.01", "1..5", "1822" or "*" (any number) the way Moodle does."""
    if spec == "*":
        return None, _ZERO
    low, dots, high = spec.partition("..")
    if dots and low:
        minimum, maximum = _number(low), _number(high)
        if minimum > maximum:
            raise _Invalid("range_reversed", minimum=low.strip(), maximum=high.strip())
        value = (minimum + maximum) / 2
        return value, maximum - value
    value, colon, tolerance = spec.partition(":")
    if colon and value:
        margin = _number(tolerance)
        if margin < 0:
            raise _Invalid("negative_tolerance", value=tolerance.strip())
        return _number(value), margin
    return _number(spec), _ZERO


# --- Matching -----------------------------------------------------------------------------------


def _read_pairs(question: Question, answer_text: str) -> None:
    pairs = [_pair(part, question.text_format) for part in _parts(answer_text, "=")]
    prompts = [pair for pair in pairs if pair.prompt]
    for pair in prompts:
        if not pair.match:
            raise _Invalid("prompt_without_match", prompt=_shown(pair.prompt))
    if len(prompts) < 2:
        raise _Invalid("too_few_pairs")
    question.pairs = [pair for pair in pairs if pair.prompt or pair.match]


def _pair(part: str, default_format: TextFormat) -> MatchPair:
    prompt, arrow, match = part.partition("->")
    if not arrow:
        raise _Invalid("pair_without_arrow", pair=_shown(part))
    prompt, prompt_format = _formatted(prompt, default_format)
    return MatchPair(prompt, _reveal(match).strip(), prompt_format)


def _read_nothing(question: Question, answer_text: str) -> None:
    """Essays carry no answers; descriptions never reach here."""


_ANSWER_READERS: dict[Kind, Callable[[Question, str], None]] = {
    Kind.SINGLE: _read_choices,
    Kind.MULTIPLE: _read_choices,
    Kind.TRUE_FALSE: _read_true_false,
    Kind.SHORT_ANSWER: _read_short_answers,
    Kind.NUMERICAL: _read_numeric_answers,
    Kind.MATCHING: _read_pairs,
    Kind.FREE_TEXT: _read_nothing,
}
