"""Pseudonymous codes for teachers and schools in exported responses.

A code is a keyed hash of the person's (or school's) id: HMAC-SHA256 under the site's
SECRET_KEY with a salt of its own, cut to 10 base32 characters ("T-7K3QX9M2PA"). Why a keyed
hash and not a running number (T-0001, T-0002, ...):

- it is the same for the same teacher in every round and every export, so growth between rounds
  can be followed in a statistics package, while a running number changes as teachers join;
- it cannot be turned back into an id, nor guessed from the roster's order, by someone who holds
  the file but not the server's key (an id, or a number in id order, can);
- 50 bits: among 100,000 teachers two share a code with a chance of about 1 in 200,000.

The codes change if SECRET_KEY changes (documented in docs/diagnostics.md).
"""

import base64

from django.utils.crypto import salted_hmac

TEACHER_SALT = "ustaz.diagnostics.export.teacher"
SCHOOL_SALT = "ustaz.diagnostics.export.school"
CODE_LENGTH = 10


def _code(prefix: str, salt: str, pk) -> str:
    digest = salted_hmac(salt, str(pk), algorithm="sha256").digest()
    return f"{prefix}-{base64.b32encode(digest).decode()[:CODE_LENGTH]}"


def teacher_code(teacher_id: int) -> str:
    return _code("T", TEACHER_SALT, teacher_id)


def school_code(school_id: int | None) -> str:
    return "" if school_id is None else _code("S", SCHOOL_SALT, school_id)
