"""Compatibility shim, to be removed at merge: the GIFT reader is diagnostics/interchange/.

Kept only for diagnostics/authoring.py's GIFT section, which another branch removes.
"""

from diagnostics.interchange.gift_parser import parse_gift
from diagnostics.interchange.gift_types import Choice, Kind, Question

__all__ = ["Choice", "Kind", "Question", "parse_gift"]
