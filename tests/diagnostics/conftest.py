import pytest

from diagnostics.interchange.instrument_json import instrument_import
from tests.cache import clear_test_cache
from tests.diagnostics.factories import RoundFactory


def text(value: str) -> dict:
    return {"kk": value, "ru": value, "ky": value, "en": value}


# One question of every kind, two areas, thresholds 0 / 50 / 80, an attitude scale.
SMALL_INSTRUMENT = {
    "format": "ustaz.instrument/1",
    "framework": {
        "code": "small",
        "name": text("Small framework"),
        "areas": [
            {"code": "docs", "name": text("Documents")},
            {"code": "net", "name": text("Internet")},
        ],
        "levels": [
            {"code": "low", "name": text("Low"), "next_steps": text("Start with the basics")},
            {"code": "mid", "name": text("Middle")},
            {"code": "high", "name": text("High")},
        ],
    },
    "instrument": {
        "code": "small-test",
        "kind": "combined",
        "title": text("Small test"),
        "bands": [
            {"area": None, "level": "low", "min_percent": 0},
            {"area": None, "level": "mid", "min_percent": 50},
            {"area": None, "level": "high", "min_percent": 80},
            {"area": "docs", "level": "low", "min_percent": 0},
            {"area": "docs", "level": "mid", "min_percent": 50},
            {"area": "docs", "level": "high", "min_percent": 80},
        ],
        "attitude_scales": [
            {
                "code": "anxiety",
                "name": text("Anxiety"),
                "flag_when": "at_or_above",
                "flag_percent": 60,
                "flag_message": text("Anxious about computers"),
            }
        ],
        "questions": [
            {
                "code": "single",
                "part": "knowledge",
                "area": "docs",
                "kind": "single",
                "text": text("Pick B"),
                "choices": [
                    {"text": text("A"), "correct": False},
                    {"text": text("B"), "correct": True},
                ],
            },
            {
                "code": "multi",
                "part": "knowledge",
                "area": "docs",
                "kind": "multiple",
                "weight": 2,
                "text": text("Pick A and B"),
                "choices": [
                    {"text": text("A"), "credit": 0.5},
                    {"text": text("B"), "credit": 0.5},
                    {"text": text("C"), "credit": -1},
                ],
            },
            {
                "code": "levels",
                "part": "self_assessment",
                "area": "docs",
                "kind": "level_statements",
                "text": text("How do you use documents?"),
                "choices": [{"text": text(f"L{p}"), "points": p} for p in range(4)],
            },
            {
                "code": "likert",
                "part": "self_assessment",
                "area": "net",
                "kind": "likert",
                "scale_min": 1,
                "scale_max": 5,
                "text": text("I search well"),
            },
            {
                "code": "likert-rev",
                "part": "self_assessment",
                "area": "net",
                "kind": "likert",
                "scale_min": 1,
                "scale_max": 5,
                "reverse": True,
                "text": text("I get lost online"),
            },
            {
                "code": "tf",
                "part": "knowledge",
                "area": "net",
                "kind": "true_false",
                "correct": False,
                "text": text("123456 is a strong password"),
            },
            {
                "code": "short",
                "part": "knowledge",
                "area": "net",
                "kind": "short_answer",
                "text": text("Sum of A1:A5"),
                "accepted": [
                    {"answer": "=SUM(A1:A5)", "credit": 1},
                    {"answer": "=СУММ(A1:A5)", "credit": 1},
                    {"answer": "SUM(A1:A5)", "credit": 0.5},
                ],
            },
            {
                "code": "num",
                "part": "knowledge",
                "area": "net",
                "kind": "numerical",
                "text": text("Average of 4 and 5"),
                "answers": [
                    {"value": 4.5, "tolerance": 0, "credit": 1},
                    {"min": 4, "max": 5, "credit": 0.5},
                ],
            },
            {
                "code": "match",
                "part": "knowledge",
                "area": "net",
                "kind": "matching",
                "text": text("Match"),
                "pairs": [
                    {"prompt": text("Word"), "match": text("Documents")},
                    {"prompt": text("Excel"), "match": text("Tables")},
                    {"prompt": None, "match": text("Music")},
                ],
            },
            {
                "code": "essay",
                "part": "self_assessment",
                "area": "net",
                "kind": "free_text",
                "required": False,
                "text": text("Tell us more"),
            },
            {
                "code": "anx",
                "part": "attitude",
                "scale": "anxiety",
                "kind": "likert",
                "scale_min": 1,
                "scale_max": 5,
                "text": text("Computers make me nervous"),
            },
        ],
    },
}


@pytest.fixture
def instrument(db):
    instrument = instrument_import(SMALL_INSTRUMENT)
    instrument.status = "published"
    instrument.save(update_fields=["status"])
    return instrument


@pytest.fixture
def open_round(instrument, school):
    return RoundFactory(instrument=instrument, schools=[school])


@pytest.fixture
def fresh_cache_and_english(settings):
    """For the report tests: area means are cached (keyed by the round's scores), so each test
    starts without them; pages are read in English, whatever the project's default language."""
    clear_test_cache()
    settings.LANGUAGE_CODE = "en"
