"""Verification codes: unguessable, yet short enough to type from paper.

Twelve symbols of Crockford's base32 (no I, L, O, U) carry 60 random bits: with a million
certificates issued, a guess hits one with a chance of about one in a million million, so the
public page needs no rate limit to stay a poor oracle. Typed codes are forgiving: case, spaces,
dashes and the look-alikes O/0, I/L/1 are normalised away.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-–—_.]+")


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(typed: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one."""
    raw = _SEPARATORS.sub("", (typed or "").upper()).translate(_LOOK_ALIKES)
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))
