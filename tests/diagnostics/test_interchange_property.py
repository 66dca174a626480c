"""Property: for every question kind, export → import → export gives the same file, over
instruments hypothesis generates (texts in some languages and not others, in any case, every
feedback, partial and negative credits, catch-all numerical answers, `*` short answers, the
three text formats)."""

from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.interchange.instrument_json import FORMAT, instrument_export, instrument_import

LANGUAGES = ("kk", "ru", "ky", "en")
CODES = count(1)

words = st.text(alphabet="AaBbZzӘәҚқҮүЫыЖж 019=*.", min_size=1, max_size=10)
texts = st.fixed_dictionaries({}, optional=dict.fromkeys(LANGUAGES, words)) | words
feedback = st.none() | texts
credits = st.sampled_from([-1, -0.5, 0, 0.25, 0.3333, 0.5, 1])
numbers = st.decimals(min_value=-1000, max_value=1000, places=2).map(float)
tolerances = st.decimals(min_value=0, max_value=50, places=2).map(float)


def _choice(with_feedback=True):
    fields = {"text": texts, "credit": credits}
    return st.fixed_dictionaries(fields, optional={"feedback": feedback} if with_feedback else {})


def _numeric_answer():
    exact = st.fixed_dictionaries(
        {"value": numbers, "tolerance": tolerances, "credit": credits},
        optional={"feedback": feedback},
    )
    other = st.fixed_dictionaries({"other": st.just(True)}, optional={"feedback": feedback})
    return exact | other


def _accepted():
    return st.fixed_dictionaries(
        {"answer": texts | st.just("*"), "credit": credits}, optional={"feedback": feedback}
    )


KIND_ENTRIES = {
    "single": st.fixed_dictionaries({"choices": st.lists(_choice(), min_size=0, max_size=4)}),
    "multiple": st.fixed_dictionaries({"choices": st.lists(_choice(), min_size=0, max_size=4)}),
    "level_statements": st.fixed_dictionaries(
        {"choices": st.lists(_choice(), min_size=0, max_size=4)}
    ),
    "likert": st.integers(min_value=0, max_value=3).flatmap(
        lambda low: st.fixed_dictionaries(
            {
                "scale_min": st.just(low),
                "scale_max": st.integers(min_value=low + 1, max_value=10),
                "reverse": st.booleans(),
            }
        )
    ),
    "true_false": st.fixed_dictionaries(
        {"correct": st.booleans()},
        optional={
            "choice_feedback": st.fixed_dictionaries({}, optional={"true": texts, "false": texts})
        },
    ),
    "short_answer": st.fixed_dictionaries(
        {"case_sensitive": st.booleans(), "accepted": st.lists(_accepted(), max_size=4)}
    ),
    "numerical": st.fixed_dictionaries({"answers": st.lists(_numeric_answer(), max_size=4)}),
    "matching": st.fixed_dictionaries(
        {
            "pairs": st.lists(
                st.fixed_dictionaries({"prompt": st.none() | texts, "match": texts}), max_size=4
            )
        }
    ),
    "free_text": st.just({}),
}


@st.composite
def questions(draw, kind):
    question = {
        "code": f"q-{next(CODES)}",
        "part": draw(st.sampled_from(["knowledge", "self_assessment"])),
        "area": "area-a",
        "kind": kind,
        "weight": draw(st.sampled_from([0.5, 1, 2, 3.25])),
        "required": draw(st.booleans()),
        "text": draw(texts),
        **draw(KIND_ENTRIES[kind]),
    }
    text_format = draw(st.sampled_from(["plain", "html", "markdown"]))
    if text_format != "plain":
        question["text_format"] = text_format
    for name in ("help_text", "feedback"):
        value = draw(feedback)
        if value is not None:
            question[name] = value
    return question


def _instrument(question_list: list[dict]) -> dict:
    return {
        "format": FORMAT,
        "framework": {
            "code": "property-framework",
            "name": "Property framework",
            "areas": [{"code": "area-a", "name": "Area A"}],
            "levels": [{"code": "low", "name": "Low"}, {"code": "high", "name": "High"}],
        },
        "instrument": {
            "code": "property-instrument",
            "title": "Generated",
            "bands": [{"level": "low", "min_score": 0}, {"level": "high", "min_score": 50}],
            "questions": question_list,
        },
    }


@pytest.mark.parametrize("kind", sorted(KIND_ENTRIES))
@pytest.mark.django_db
def test_export_import_export_gives_the_same_file(kind):
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(questions(kind), min_size=1, max_size=3))
    def round_trip(question_list):
        first = instrument_export(instrument_import(_instrument(question_list)))
        second = instrument_export(instrument_import(first))
        assert second == first

    round_trip()
