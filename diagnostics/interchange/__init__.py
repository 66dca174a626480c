"""Instruments in and out: the JSON instrument format and Moodle GIFT.

- instrument_json: `instrument_import`, `instrument_export` ("ustaz.instrument/1");
- gift_parser (with gift_types, gift_text, gift_answers): reading GIFT text into dataclasses;
- gift_import: adding the questions of a GIFT file to an instrument (`gift_import`).

Modules inside this package import each other from their defining modules, never from here.
(gift_import is not re-exported: it leans on the authoring services, which import this package.)
"""

from diagnostics.interchange.instrument_json import (
    FORMAT,
    InstrumentFormatError,
    instrument_export,
    instrument_import,
    question_export,
)
from diagnostics.kinds.content import LANGUAGES, TRUE_FALSE_LABELS, interface_texts

__all__ = [
    "FORMAT",
    "LANGUAGES",
    "TRUE_FALSE_LABELS",
    "InstrumentFormatError",
    "instrument_export",
    "instrument_import",
    "interface_texts",
    "question_export",
]
