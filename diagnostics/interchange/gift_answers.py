"""Reading a GIFT question's answer block {...}, one reader per kind of answers."""

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from diagnostics.interchange.gift_text import (
    formatted,
    number,
    parts,
    percent,
    reveal,
    shown,
    split_feedback,
    take_credit,
)
from diagnostics.interchange.gift_types import (
    FULL_CREDIT,
    NO_CREDIT,
    ZERO,
    Choice,
    InvalidGift,
    Kind,
    MatchPair,
    NumericAnswer,
    Question,
    TextFormat,
)


def read_answer_block(question: Question, answer_text: str) -> None:
    # Moodle takes the last "####" as the start of the general feedback.
    answer_text, separator, general_feedback = answer_text.rpartition("####")
    if not separator:
        answer_text, general_feedback = general_feedback, ""
    answer_text = answer_text.strip()
    question.general_feedback, question.general_feedback_format = formatted(
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


# --- Choices: single, multiple --------------------------------------------------------------------


def _read_choices(question: Question, answer_text: str) -> None:
    # Each choice starts at its "~" or "="; text before the first marker is a wrong choice, as in
    # Moodle. Choices left without text are dropped, as Moodle drops them when it saves.
    parts = re.split(r"(?=[~=])", answer_text)
    choices = [_choice(part, question.text_format) for part in parts if part.strip()]
    question.choices = [choice for choice in choices if choice.text]
    if len(question.choices) < 2:
        raise InvalidGift("too_few_choices")
    _check_choice_credits(question.kind, question.choices)


def _choice(part: str, default_format: TextFormat) -> Choice:
    part = part.strip()
    if part.startswith("="):
        credit, rest = take_credit(part[1:], FULL_CREDIT)
    else:
        credit, rest = take_credit(part.removeprefix("~"), NO_CREDIT)
    text, feedback = split_feedback(rest)
    text, text_format = formatted(text, default_format)
    feedback, feedback_format = formatted(feedback, default_format)
    return Choice(text, credit, feedback, text_format, feedback_format)


def _check_choice_credits(kind: Kind, choices: list[Choice]) -> None:
    """Apply the checks Moodle's multiple-choice type makes before it saves a question."""
    if kind is Kind.SINGLE:
        if max(choice.credit for choice in choices) != FULL_CREDIT:
            raise InvalidGift("no_correct_choice")
        return
    total = sum((choice.credit for choice in choices if choice.credit > 0), NO_CREDIT)
    if total == 0:
        raise InvalidGift("no_correct_choice")
    # Moodle rounds to two places so that three choices of 33.33333% still make 100%.
    if total.quantize(Decimal("0.01"), ROUND_HALF_UP) != FULL_CREDIT:
        raise InvalidGift("credits_do_not_add_up", total=percent(total))


# --- True/false ---------------------------------------------------------------------------------


def _read_true_false(question: Question, answer_text: str) -> None:
    # "{FALSE#shown to a wrong answer#shown to a right answer}"
    word, wrong_feedback, right_feedback = (answer_text.split("#", 2) + ["", ""])[:3]
    is_true = word.strip() in {"T", "TRUE"}
    wrong = formatted(wrong_feedback, question.text_format)
    right = formatted(right_feedback, question.text_format)
    for_true, for_false = (right, wrong) if is_true else (wrong, right)
    question.correct_answer = is_true
    question.choices = [
        _true_false_choice("True", is_true, for_true),
        _true_false_choice("False", not is_true, for_false),
    ]


def _true_false_choice(label: str, is_correct: bool, feedback: tuple[str, TextFormat]) -> Choice:
    credit = FULL_CREDIT if is_correct else NO_CREDIT
    return Choice(label, credit, feedback[0], feedback_format=feedback[1])


# --- Short answer -------------------------------------------------------------------------------


def _read_short_answers(question: Question, answer_text: str) -> None:
    answers = [_short_answer(part, question.text_format) for part in parts(answer_text, "=")]
    question.choices = [answer for answer in answers if answer.text]
    if not question.choices:
        raise InvalidGift("no_answers")
    if max(answer.credit for answer in question.choices) != FULL_CREDIT:
        raise InvalidGift("no_full_credit_answer")


def _short_answer(part: str, default_format: TextFormat) -> Choice:
    credit, rest = take_credit(part, FULL_CREDIT)
    text, feedback = split_feedback(rest)
    text, text_format = formatted(text, default_format)
    feedback, feedback_format = formatted(feedback, default_format)
    return Choice(text, credit, feedback, text_format, feedback_format)


# --- Numerical ----------------------------------------------------------------------------------


def _read_numeric_answers(question: Question, answer_text: str) -> None:
    # "{#=3:2 =%50%3:5 ~#feedback for any other number}"
    answers_text, tilde, other_number = answer_text.removeprefix("#").partition("~")
    answers = [_numeric_answer(part, question.text_format) for part in parts(answers_text, "=")]
    if not answers:
        raise InvalidGift("no_numeric_answers")
    if tilde:
        answers.append(_any_other_number(other_number, question.text_format))
    if not any(a.credit == FULL_CREDIT and a.value is not None for a in answers):
        raise InvalidGift("no_full_credit_answer")
    question.numeric_answers = answers


def _numeric_answer(part: str, default_format: TextFormat) -> NumericAnswer:
    credit, rest = take_credit(part, FULL_CREDIT)
    spec, feedback = split_feedback(rest)
    value, tolerance = _value_and_tolerance(reveal(spec).strip())
    feedback, feedback_format = formatted(feedback, default_format)
    return NumericAnswer(value, tolerance, credit, feedback, feedback_format)


def _any_other_number(text: str, default_format: TextFormat) -> NumericAnswer:
    # Moodle ignores whatever stands between "~" and "#".
    feedback, feedback_format = formatted(split_feedback(text)[1], default_format)
    return NumericAnswer(None, ZERO, NO_CREDIT, feedback, feedback_format)


def _value_and_tolerance(spec: str) -> tuple[Decimal | None, Decimal]:
    """Read "3.14:0.01", "1..5", "1822" or "*" (any number) the way Moodle does."""
    if spec == "*":
        return None, ZERO
    low, dots, high = spec.partition("..")
    if dots and low:
        minimum, maximum = number(low), number(high)
        if minimum > maximum:
            raise InvalidGift("range_reversed", minimum=low.strip(), maximum=high.strip())
        value = (minimum + maximum) / 2
        return value, maximum - value
    value, colon, tolerance = spec.partition(":")
    if colon and value:
        margin = number(tolerance)
        if margin < 0:
            raise InvalidGift("negative_tolerance", value=tolerance.strip())
        return number(value), margin
    return number(spec), ZERO


# --- Matching -----------------------------------------------------------------------------------


def _read_pairs(question: Question, answer_text: str) -> None:
    pairs = [_pair(part, question.text_format) for part in parts(answer_text, "=")]
    prompts = [pair for pair in pairs if pair.prompt]
    for pair in prompts:
        if not pair.match:
            raise InvalidGift("prompt_without_match", prompt=shown(pair.prompt))
    if len(prompts) < 2:
        raise InvalidGift("too_few_pairs")
    question.pairs = [pair for pair in pairs if pair.prompt or pair.match]


def _pair(part: str, default_format: TextFormat) -> MatchPair:
    prompt, arrow, match = part.partition("->")
    if not arrow:
        raise InvalidGift("pair_without_arrow", pair=shown(part))
    prompt, prompt_format = formatted(prompt, default_format)
    return MatchPair(prompt, reveal(match).strip(), prompt_format)


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
