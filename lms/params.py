"""Reading numbers and text that come from a request, whatever an attacker types.

`str.isdigit()` accepts `²`, `①` and other Unicode digits that `int()` refuses; `int()` refuses
more than 4,300 digits and accepts `٣`, ` 7 ` and `1_000`; PostgreSQL refuses a NUL in a string
and an integer beyond bigint. Every id, page number or filter value read from a request goes
through `int_or_none`, and every typed text that reaches a query through `without_nul` (or is
refused with `NUL_MESSAGE` where what was typed is kept), so none of these answers a 500.
"""

from django.utils.translation import gettext_lazy as _

MAX_BIGINT = 2**63 - 1
_MAX_DIGITS = len(str(MAX_BIGINT))

NUL_MESSAGE = _("The text contains a character that cannot be stored (a NUL byte); remove it.")


def int_or_none(value, *, minimum: int = 0, maximum: int = MAX_BIGINT) -> int | None:
    """The integer written in ASCII digits (a leading minus only when `minimum` is negative)
    within [minimum, maximum], else None. Spaces around are allowed; anything else, however
    `int()` would read it, is not a number here."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    digits = text[1:] if text.startswith("-") and minimum < 0 else text
    if not (0 < len(digits) <= _MAX_DIGITS and digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def ints(values, *, minimum: int = 0, maximum: int = MAX_BIGINT) -> list[int]:
    """The distinct integers among `values` (a query string's list), in order; others dropped."""
    read = (int_or_none(value, minimum=minimum, maximum=maximum) for value in values)
    return list(dict.fromkeys(number for number in read if number is not None))


def has_nul(text: str) -> bool:
    return "\x00" in (text or "")


def without_nul(text: str) -> str:
    """A search or filter value as it can be compared in SQL: NUL bytes, which no stored text
    holds, are dropped (PostgreSQL refuses them in a parameter)."""
    return (text or "").replace("\x00", "")
