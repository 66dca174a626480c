"""Compatibility shim, to be removed at merge: reading answers is diagnostics/kinds/answers.py.

Kept only for diagnostics/services.py and diagnostics/views/taking.py, which other branches move.
"""

from diagnostics.kinds.answers import GivenAnswer, InvalidAnswers, missing_required, read_page

__all__ = ["GivenAnswer", "InvalidAnswers", "missing_required", "read_page"]
