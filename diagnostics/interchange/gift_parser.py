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
from collections.abc import Iterator
from typing import NamedTuple

from diagnostics.interchange.gift_answers import read_answer_block
from diagnostics.interchange.gift_text import (
    formatted,
    hide_escapes,
    reveal,
    unescape,
)
from diagnostics.interchange.gift_types import (
    BLANK,
    Choice,
    GiftError,
    GiftParseResult,
    InvalidGift,
    Kind,
    MatchPair,
    NumericAnswer,
    Question,
    TextFormat,
)

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
        except InvalidGift as problem:
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
    name = unescape(line.split(":", 1)[1]).strip()
    return name or None


# --- One question -------------------------------------------------------------------------------


def _read_question(block: list[_Line], category: str | None) -> Question:
    text = hide_escapes("\n".join(line.text for line in block).strip())
    title, text = _split_title(text)
    before, answer_text, after = _split_at_answers(text)
    missing_word = answer_text is not None and after != ""
    question_text, text_format = formatted(
        before + BLANK + after if missing_word else before, TextFormat.MOODLE
    )
    if not question_text:
        raise InvalidGift("empty_text")
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
        read_answer_block(question, answer_text)
    return question


def _split_title(text: str) -> tuple[str, str]:
    if not text.startswith("::"):
        return "", text
    end = text.find("::", 2)
    if end == -1:
        raise InvalidGift("unclosed_title")
    return " ".join(reveal(text[2:end]).split()), text[end + 2 :].strip()


def _split_at_answers(text: str) -> tuple[str, str | None, str]:
    """Cut the text into (before, answers, after); answers is None when there is no {...}."""
    opening, closing = text.find("{"), text.find("}")
    if opening == closing == -1:
        return text, None, ""
    if opening == -1 or (closing != -1 and closing < opening):
        raise InvalidGift("unopened_brace")
    if closing == -1:
        raise InvalidGift("unclosed_brace")
    answers, after = text[opening + 1 : closing], text[closing + 1 :]
    if "{" in answers:
        raise InvalidGift("nested_brace")
    if "{" in after or "}" in after:
        raise InvalidGift("extra_brace")
    return text[:opening], answers, after
