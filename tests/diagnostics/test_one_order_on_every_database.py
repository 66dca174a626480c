"""Orders that depend on NULLs are spelled out: SQLite sorts NULL first and PostgreSQL last, so
an unspelled `order_by("area__position")` gave the demo different answers (the same seed drawn
in another question order) and the instrument file another order of bands on each database.
CI runs these on both."""

import pytest

from diagnostics.demo import ready_instrument
from diagnostics.interchange.instrument_json import instrument_export
from diagnostics.taking.pages import instrument_pages, instrument_questions

pytestmark = pytest.mark.django_db


def test_questions_without_an_area_come_last():
    questions = instrument_questions(ready_instrument())
    without_area = [q for q in questions if q.area_id is None]
    assert without_area, "the ready instrument has attitude items"
    assert questions[-len(without_area) :] == without_area
    # ...which is also the order the teacher numbers them in.
    numbered = [q for page in instrument_pages(questions) for q in page.questions]
    assert [q.pk for q in numbered] == [q.pk for q in questions]


def test_the_instrument_file_lists_the_overall_bands_first():
    bands = instrument_export(ready_instrument())["instrument"]["bands"]
    areas = [band["area"] for band in bands]
    overall = areas.count(None)
    assert overall and areas[:overall] == [None] * overall
