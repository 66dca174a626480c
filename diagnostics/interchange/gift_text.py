"""The pieces of GIFT text every reader shares: escapes, format prefixes, credits, numbers."""

import re
from decimal import Decimal

from diagnostics.interchange.gift_types import InvalidGift, TextFormat

# --- Escapes ------------------------------------------------------------------------------------

# Escaped control characters are swapped for private-use characters while the question is cut
# into parts, so that "\=" never splits answers; they turn back into the literal character after.
_HIDDEN = {"~": "\ue000", "=": "\ue001", "#": "\ue002", "{": "\ue003", "}": "\ue004", ":": "\ue005"}
_ESCAPED = {**_HIDDEN, "\\": "\\", "n": "\n"}
_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
_REVEAL = str.maketrans({hidden: literal for literal, hidden in _HIDDEN.items()})


def hide_escapes(text: str) -> str:
    return _ESCAPE.sub(lambda escape: _ESCAPED[escape[1]], text)


def reveal(text: str) -> str:
    return text.translate(_REVEAL)


def unescape(text: str) -> str:
    return reveal(hide_escapes(text))


def shown(raw: str, limit: int = 60) -> str:
    """A fragment of the user's text, fit to quote in an error message."""
    text = " ".join(reveal(raw).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


FORMAT_PREFIX = re.compile(r"\[(moodle|html|plain|markdown)\]")


def formatted(raw: str, default: TextFormat) -> tuple[str, TextFormat]:
    """Strip a leading [html]/[moodle]/[plain]/[markdown]; other parts inherit `default`."""
    raw = raw.strip()
    prefix = FORMAT_PREFIX.match(raw)
    if prefix:
        return reveal(raw[prefix.end() :]).strip(), TextFormat(prefix[1])
    return reveal(raw).strip(), default


# --- Answers shared pieces ----------------------------------------------------------------------

NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parts(answer_text: str, separator: str) -> list[str]:
    return [part.strip() for part in answer_text.split(separator) if part.strip()]


def take_credit(answer: str, default: Decimal) -> tuple[Decimal, str]:
    """Read a leading %credit% off an answer; answers without one earn `default`."""
    answer = answer.lstrip()
    end = answer.find("%", 1)
    if not answer.startswith("%") or end == -1:
        return default, answer
    raw = answer[1:end].strip()
    if not NUMBER.fullmatch(raw):
        raise InvalidGift("credit_not_a_number", credit=shown(raw))
    percent = Decimal(raw)
    if not -100 <= percent <= 100:
        raise InvalidGift("credit_out_of_range", credit=raw)
    return percent / 100, answer[end + 1 :]


def split_feedback(answer: str) -> tuple[str, str]:
    text, _separator, feedback = answer.partition("#")
    return text, feedback


def number(raw: str) -> Decimal:
    raw = raw.strip()
    if not NUMBER.fullmatch(raw):
        raise InvalidGift("not_a_number", value=shown(raw))
    return Decimal(raw)


def percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}"
