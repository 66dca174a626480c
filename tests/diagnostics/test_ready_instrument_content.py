"""Content checks for the ready-made ICT readiness instrument that every school gets on day one.

The fixture is plain data in the instrument export/import format ("ustaz.instrument/1"), so these
tests read it with json and need neither Django nor a database.
"""

import json
import math
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[2] / "diagnostics" / "fixtures" / "ict_readiness.json"

LANGS = ("kk", "ru", "ky", "en")
AREAS = [
    "understanding",
    "curriculum",
    "pedagogy",
    "digital_skills",
    "organisation",
    "professional_learning",
]
AREA_ABBREVIATIONS = {
    "und": "understanding",
    "cur": "curriculum",
    "ped": "pedagogy",
    "dig": "digital_skills",
    "org": "organisation",
    "pro": "professional_learning",
}
LEVELS = ["starting", "acquisition", "deepening", "creation"]
PART_PREFIXES = {"self_assessment": "sa-", "knowledge": "kt-", "attitude": "att-"}
SELF_ASSESSMENT_KINDS = {"level_statements", "likert"}
KNOWLEDGE_KINDS = {"single", "multiple", "true_false", "short_answer", "numerical", "matching"}
# Keys whose value is always a human text in all four languages.
TEXT_KEYS = {
    "name",
    "description",
    "next_steps",
    "title",
    "instructions",
    "text",
    "feedback",
    "flag_message",
    "prompt",
    "match",
}

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")  # letters of Kazakh that Russian does not have
KYRGYZ_LETTERS = set("ңөүҢӨҮ")  # letters of Kyrgyz that Russian does not have
KAZAKH_NOT_KYRGYZ = set("әғқұһіӘҒҚҰҺІ")  # a Kyrgyz text with these was written in Kazakh
BRANDS = ("kundelik", "kundoluk", "кунделик", "кундолук")  # e-journals are named generically

LETTER_RUN = re.compile(r"[^\W\d_]+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z]")
# A number that stands alone, not a part of a cell address (B2) or a password (Aigerim1985).
STANDALONE_NUMBER = re.compile(r"(?<![^\W\d_])\d+(?:[.,]\d+)?(?!\d)")


@pytest.fixture(scope="module")
def doc():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def instrument(doc):
    return doc["instrument"]


@pytest.fixture(scope="module")
def questions(instrument):
    return instrument["questions"]


@pytest.fixture(scope="module")
def by_code(questions):
    return {q["code"]: q for q in questions}


def part(questions, name):
    return [q for q in questions if q["part"] == name]


def is_text(value):
    return (
        isinstance(value, dict)
        and set(value) == set(LANGS)
        and all(isinstance(value[lang], str) and value[lang].strip() for lang in LANGS)
    )


def text_objects(node, path="$"):
    """Yield (path, text object) for every four-language text anywhere in the document."""
    if isinstance(node, dict):
        if set(node) & set(LANGS):
            yield path, node
            return
        for key, value in node.items():
            yield from text_objects(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from text_objects(value, f"{path}[{i}]")


def fields_that_must_be_texts(node, path="$"):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS:
                yield f"{path}.{key}", value
            elif not (set(node) & set(LANGS)):
                yield from fields_that_must_be_texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from fields_that_must_be_texts(value, f"{path}[{i}]")


def words(s):
    return s.split()


def numbers(s):
    return [n.replace(",", ".") for n in STANDALONE_NUMBER.findall(s)]


# --- framework ---------------------------------------------------------------------------------


def test_format_tag(doc):
    assert doc["format"] == "ustaz.instrument/1"
    assert set(doc) == {"format", "framework", "instrument"}


def test_framework_has_six_unesco_areas_in_order(doc):
    framework = doc["framework"]
    assert framework["code"] == "unesco-ict-cft"
    assert [a["code"] for a in framework["areas"]] == AREAS
    for area in framework["areas"]:
        assert is_text(area["name"]) and is_text(area["description"])


def test_framework_has_four_levels_in_order_with_advice(doc):
    levels = doc["framework"]["levels"]
    assert [level["code"] for level in levels] == LEVELS
    for level in levels:
        assert is_text(level["name"])
        assert is_text(level["description"])
        assert is_text(level["next_steps"])


def test_first_level_name_is_respectful(doc):
    name = doc["framework"]["levels"][0]["name"]
    assert "beginner" not in name["en"].lower()
    assert "novice" not in name["en"].lower()
    assert not re.search(r"новичок|начинающ", name["ru"].lower())


# --- texts in four languages -------------------------------------------------------------------


def test_every_text_object_has_all_four_languages(doc):
    found = list(text_objects(doc))
    assert len(found) > 200
    bad = [path for path, text in found if not is_text(text)]
    assert not bad, bad


def test_text_fields_are_text_objects(doc):
    bad = [path for path, value in fields_that_must_be_texts(doc) if not is_text(value)]
    assert not bad, bad
    assert len(doc["instrument"]["likert_labels"]) == 5
    assert all(is_text(label) for label in doc["instrument"]["likert_labels"])


def test_kazakh_texts_are_written_in_kazakh(doc):
    texts = [text for _, text in text_objects(doc)]
    assert KAZAKH_LETTERS & set("".join(t["kk"] for t in texts))
    # Any Kazakh sentence of a few words has a letter Russian lacks; one without is transliterated.
    bad = [t["kk"] for t in texts if len(words(t["kk"])) >= 4 and not KAZAKH_LETTERS & set(t["kk"])]
    assert not bad, bad


def test_kyrgyz_texts_are_written_in_kyrgyz(doc):
    texts = [text for _, text in text_objects(doc)]
    assert KYRGYZ_LETTERS & set("".join(t["ky"] for t in texts))
    # A single Kyrgyz sentence may lack ң, ө and ү ("Электрондук журнал менен кантип иштейсиз?"),
    # but most do; Russian transliterated into Kyrgyz would have none.
    sentences = [t["ky"] for t in texts if len(words(t["ky"])) >= 6]
    with_letters = [s for s in sentences if KYRGYZ_LETTERS & set(s)]
    assert len(with_letters) >= 0.75 * len(sentences)
    kazakh_in_kyrgyz = [t["ky"] for t in texts if KAZAKH_NOT_KYRGYZ & set(t["ky"])]
    assert not kazakh_in_kyrgyz, kazakh_in_kyrgyz


def test_russian_texts_have_no_kazakh_or_kyrgyz_letters(doc):
    bad = [t["ru"] for _, t in text_objects(doc) if KAZAKH_LETTERS & set(t["ru"])]
    assert not bad, bad


def test_english_texts_are_in_latin_script(doc):
    bad = [
        t["en"]
        for _, t in text_objects(doc)
        if len(CYRILLIC.findall(t["en"])) >= len(LATIN.findall(t["en"]))
    ]
    assert not bad, bad


def test_translations_are_not_copies(doc):
    for path, t in text_objects(doc):
        if len(words(t["ru"])) >= 4:
            assert len({t["kk"], t["ru"], t["ky"], t["en"]}) == 4, path


def test_no_word_mixes_latin_and_cyrillic_letters(doc):
    for path, t in text_objects(doc):
        for lang in LANGS:
            for run in LETTER_RUN.findall(t[lang]):
                assert not (CYRILLIC.search(run) and LATIN.search(run)), (path, lang, run)


def test_numbers_agree_across_languages(doc):
    # Marks, cell values, minutes, point sizes: every language must state the same numbers.
    for path, t in text_objects(doc):
        expected = Counter(numbers(t["en"]))
        for lang in ("kk", "ru", "ky"):
            assert Counter(numbers(t[lang])) == expected, (path, lang, t[lang])


def test_no_brand_names(doc):
    for path, t in text_objects(doc):
        for lang in LANGS:
            lowered = t[lang].lower()
            assert not any(brand in lowered for brand in BRANDS), (path, lang)


# --- instrument and questions ------------------------------------------------------------------


def test_instrument_header(instrument):
    assert instrument["code"] == "ict-readiness"
    assert instrument["kind"] == "combined"
    for key in ("title", "description", "instructions"):
        assert is_text(instrument[key])


def test_question_codes_are_unique_and_match_their_part(questions):
    codes = [q["code"] for q in questions]
    assert len(codes) == len(set(codes))
    for q in questions:
        assert q["part"] in PART_PREFIXES
        assert q["code"].startswith(PART_PREFIXES[q["part"]]), q["code"]


def test_common_question_fields(questions):
    for q in questions:
        assert is_text(q["text"]), q["code"]
        assert isinstance(q["required"], bool), q["code"]
        assert isinstance(q["weight"], int | float) and q["weight"] > 0, q["code"]


def test_thirty_self_assessment_items_five_per_area(questions):
    items = part(questions, "self_assessment")
    assert len(items) == 30
    assert Counter(q["area"] for q in items) == dict.fromkeys(AREAS, 5)
    assert {q["kind"] for q in items} == SELF_ASSESSMENT_KINDS
    for q in items:
        assert AREA_ABBREVIATIONS[q["code"].split("-")[1]] == q["area"], q["code"]
        assert "scale" not in q


def test_some_self_assessment_items_are_reverse_coded(questions):
    likert = [q for q in part(questions, "self_assessment") if q["kind"] == "likert"]
    reversed_items = [q for q in likert if q["reverse"]]
    assert reversed_items
    assert len(reversed_items) < len(likert)


def test_fifteen_knowledge_items_spread_over_all_areas(questions):
    items = part(questions, "knowledge")
    assert len(items) == 15
    per_area = Counter(q["area"] for q in items)
    assert set(per_area) <= set(AREAS)
    assert len(per_area) >= 4
    # Designed so that self-rating and test can be compared in every area.
    assert set(per_area) == set(AREAS)
    assert {q["kind"] for q in items} == KNOWLEDGE_KINDS
    for q in items:
        assert is_text(q["feedback"]), q["code"]


def test_level_statements_have_four_choices_scored_0_to_3(questions):
    items = [q for q in questions if q["kind"] == "level_statements"]
    assert items
    for q in items:
        assert [c["points"] for c in q["choices"]] == [0, 1, 2, 3], q["code"]
        assert len({c["text"]["en"] for c in q["choices"]}) == 4, q["code"]


def test_likert_items_use_a_five_point_scale(instrument, questions):
    items = [q for q in questions if q["kind"] == "likert"]
    assert items
    for q in items:
        assert (q["scale_min"], q["scale_max"]) == (1, 5), q["code"]
        assert isinstance(q["reverse"], bool), q["code"]
    assert len(instrument["likert_labels"]) == 5


def test_single_choice_has_exactly_one_correct(questions):
    items = [q for q in questions if q["kind"] == "single"]
    assert items
    for q in items:
        assert len(q["choices"]) >= 3, q["code"]
        assert all(isinstance(c["correct"], bool) for c in q["choices"]), q["code"]
        assert sum(c["correct"] for c in q["choices"]) == 1, q["code"]
        assert len({c["text"]["en"] for c in q["choices"]}) == len(q["choices"]), q["code"]


def test_multiple_choice_credits(questions):
    items = [q for q in questions if q["kind"] == "multiple"]
    assert items
    for q in items:
        credits = [c["credit"] for c in q["choices"]]
        right = [c for c in credits if c > 0]
        wrong = [c for c in credits if c < 0]
        assert len(right) >= 2 and wrong, q["code"]
        assert len(right) + len(wrong) == len(credits), q["code"]
        assert math.isclose(sum(right), 1.0), q["code"]
        assert all(-1 <= c <= 1 for c in credits), q["code"]


def test_true_false_has_a_boolean_answer(questions):
    items = [q for q in questions if q["kind"] == "true_false"]
    assert items
    assert all(isinstance(q["correct"], bool) for q in items)


def test_short_answer_accepts_english_and_russian_function_names(questions):
    items = [q for q in questions if q["kind"] == "short_answer"]
    assert items
    for q in items:
        answers = [a["answer"] for a in q["accepted"]]
        assert all(isinstance(a, str) and a.strip() for a in answers), q["code"]
        assert all(0 < a["credit"] <= 1 for a in q["accepted"]), q["code"]
        assert max(a["credit"] for a in q["accepted"]) == 1, q["code"]
        assert isinstance(q["case_sensitive"], bool), q["code"]
        assert len(set(answers)) == len(answers), q["code"]
        formulas = [a for a in answers if a.startswith("=")]
        if formulas:
            assert any(re.match(r"=[A-Z]+\(", a) for a in formulas), q["code"]
            assert any(re.match(r"=[А-ЯЁ]+\(", a) for a in formulas), q["code"]


def test_sum_formula_answers(by_code):
    accepted = {a["answer"] for a in by_code["kt-07"]["accepted"]}
    assert {"=SUM(A1:A5)", "=СУММ(A1:A5)"} <= accepted


def test_numerical_answers(questions):
    items = [q for q in questions if q["kind"] == "numerical"]
    assert items
    for q in items:
        assert q["answers"], q["code"]
        for a in q["answers"]:
            assert isinstance(a["value"], int | float), q["code"]
            assert a["tolerance"] >= 0, q["code"]
            assert 0 < a["credit"] <= 1, q["code"]
        assert max(a["credit"] for a in q["answers"]) == 1, q["code"]


def test_spreadsheet_answers_follow_from_the_data_in_the_question(by_code):
    # kt-03: "Cells B2:B5 contain the marks 4, 5, 3 and 4 ... =AVERAGE(B2:B5)"
    marks = [int(n) for n in numbers(by_code["kt-03"]["text"]["en"])]
    assert by_code["kt-03"]["answers"][0]["value"] == statistics.mean(marks)
    # kt-04: "Cells C2:C9 contain the marks 5, 4, 5, 3, 5, 4, 2, 5 ... =COUNTIF(C2:C9,5)"
    values = [int(n) for n in numbers(by_code["kt-04"]["text"]["en"])]
    marks, criteria = values[:8], set(values[8:])
    assert len(criteria) == 1
    assert by_code["kt-04"]["answers"][0]["value"] == marks.count(criteria.pop())


def test_matching_pairs(questions):
    items = [q for q in questions if q["kind"] == "matching"]
    assert items
    for q in items:
        assert len(q["pairs"]) >= 3, q["code"]
        for lang in LANGS:
            prompts = [p["prompt"][lang] for p in q["pairs"]]
            matches = [p["match"][lang] for p in q["pairs"]]
            assert len(set(prompts)) == len(prompts), (q["code"], lang)
            assert len(set(matches)) == len(matches), (q["code"], lang)


# --- readiness bands ---------------------------------------------------------------------------


def test_bands_cover_overall_and_every_area(instrument):
    by_scope = defaultdict(list)
    for band in instrument["bands"]:
        by_scope[band["area"]].append(band)
    assert set(by_scope) == {None, *AREAS}
    for scope, bands in by_scope.items():
        assert [b["level"] for b in bands] == LEVELS, scope
        percents = [b["min_percent"] for b in bands]
        assert percents[0] == 0, scope
        assert all(a < b for a, b in zip(percents, percents[1:], strict=False)), scope
        assert percents[-1] < 100, scope


# --- attitude scale ----------------------------------------------------------------------------


def test_attitude_scales_and_flag_rules(instrument):
    scales = {s["code"]: s for s in instrument["attitude_scales"]}
    assert set(scales) == {"anxiety", "motivation"}
    assert (scales["anxiety"]["flag_when"], scales["anxiety"]["flag_percent"]) == (
        "at_or_above",
        60,
    )
    assert (scales["motivation"]["flag_when"], scales["motivation"]["flag_percent"]) == (
        "at_or_below",
        40,
    )
    for scale in scales.values():
        assert is_text(scale["name"])
        assert is_text(scale["description"])
        assert is_text(scale["flag_message"])


def test_attitude_items_reference_existing_scales(instrument, questions):
    scale_codes = {s["code"] for s in instrument["attitude_scales"]}
    items = part(questions, "attitude")
    assert Counter(q["scale"] for q in items) == dict.fromkeys(scale_codes, 3)
    for q in items:
        assert q["area"] is None, q["code"]
        assert q["kind"] == "likert", q["code"]
    for code in scale_codes:
        reverse = [q["reverse"] for q in items if q["scale"] == code]
        assert any(reverse) and not all(reverse), code
