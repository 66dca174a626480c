from decimal import Decimal

import pytest

from diagnostics.interchange.instrument_json import (
    InstrumentFormatError,
    instrument_export,
    instrument_import,
)
from tests.diagnostics.conftest import SMALL_INSTRUMENT


def _without_version(data: dict) -> dict:
    return {**data, "instrument": {**data["instrument"], "code": None}}


def test_export_then_import_keeps_every_key_and_language(instrument):
    single = instrument.questions.get(code="single")
    single.choices.filter(text_en="A").update(credit=Decimal("0.5"), feedback_ru="Почти")
    exported = instrument_export(instrument)
    copy = instrument_import(exported)
    assert copy.version == instrument.version + 1
    assert _without_version(instrument_export(copy)) == _without_version(exported)
    credits = sorted(copy.questions.get(code="single").choices.values_list("credit", flat=True))
    assert credits == [Decimal("0.5"), Decimal("1")]


def test_small_instrument_imports_every_kind(instrument):
    kinds = set(instrument.questions.values_list("kind", flat=True))
    assert kinds == {
        "single",
        "multiple",
        "level_statements",
        "likert",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
        "free_text",
    }
    levels = instrument.questions.get(code="levels").choices.order_by("position")
    assert [c.credit for c in levels] == [Decimal("0"), Decimal("0.3333"), Decimal("0.6667"), 1]


def test_bad_file_imports_nothing_and_says_why(db):
    broken = {**SMALL_INSTRUMENT, "instrument": {**SMALL_INSTRUMENT["instrument"]}}
    broken["instrument"]["questions"] = [
        {**SMALL_INSTRUMENT["instrument"]["questions"][0], "area": "nowhere"},
        {**SMALL_INSTRUMENT["instrument"]["questions"][1], "kind": "riddle"},
    ]
    from diagnostics.models import Instrument

    with pytest.raises(InstrumentFormatError) as error:
        instrument_import(broken)
    assert len(error.value.problems) == 2
    assert "nowhere" in error.value.problems[0]
    assert "riddle" in error.value.problems[1]
    assert not Instrument.objects.filter(code="small-test").exists()


def test_not_an_instrument_file_is_refused(db):
    with pytest.raises(InstrumentFormatError):
        instrument_import({"format": "something/else"})
