"""Compatibility shim, to be removed at merge: the rules live in the kinds (diagnostics/kinds/).

Kept only for diagnostics/authoring.py and diagnostics/admin.py, which other branches move.
"""

from diagnostics.kinds.base import answer_key
from diagnostics.kinds.pricing import answer_fraction, points

__all__ = ["answer_fraction", "answer_key", "points"]
