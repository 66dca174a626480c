"""The ready course ships as data (courses/fixtures/ready_course.json): these checks hold it to
the course exchange format and to the ready instrument's framework without the importer, so a
broken or half-translated course is caught where it is written."""

import json
import re
from pathlib import Path

import pytest

from library.demo import RESOURCES

ROOT = Path(__file__).resolve().parents[2]
COURSE = json.loads((ROOT / "courses/fixtures/ready_course.json").read_text(encoding="utf-8"))
INSTRUMENT = json.loads(
    (ROOT / "diagnostics/fixtures/ict_readiness.json").read_text(encoding="utf-8")
)
FRAMEWORK = INSTRUMENT["framework"]
AREAS = [area["code"] for area in FRAMEWORK["areas"]]
LEVELS = [level["code"] for level in FRAMEWORK["levels"]]
KINDS = {
    "explanation", "lecture", "practical", "exercises", "laboratory", "independent",
    "creative", "quiz", "interactive",
}  # fmt: skip
FOUR = ("kk", "ru", "ky", "en")
# Letters Kazakh has and Russian does not: a "Kazakh" text without them is Russian pasted in.
KAZAKH_LETTERS = re.compile("[әғқңөұүһі]", re.IGNORECASE)
# Cyrillic letters Kazakh has and Kyrgyz does not (Kyrgyz shares ң, ө, ү).
KAZAKH_NOT_KYRGYZ = re.compile("[әғқұһі]", re.IGNORECASE)

MODULES = COURSE["modules"]
LESSONS = [
    pytest.param(lesson, id=f"m{m}-l{n}")
    for m, module in enumerate(MODULES)
    for n, lesson in enumerate(module["lessons"])
]
QUIZZES = [
    pytest.param(lesson["quiz"], id=f"m{m}-l{n}")
    for m, module in enumerate(MODULES)
    for n, lesson in enumerate(module["lessons"])
    if lesson["quiz"]
]


def _has_four(texts):
    return isinstance(texts, dict) and all((texts.get(code) or "").strip() for code in FOUR)


def _conditions(rule):
    """Every leaf condition of a rule, through nested all/any groups."""
    if rule is None:
        return
    for key in ("all", "any"):
        for item in rule.get(key, []):
            if "all" in item or "any" in item:
                yield from _conditions(item)
            else:
                yield item


def test_format_version_and_framework():
    assert COURSE["format"] == "ustaz-course"
    assert COURSE["version"] == 1
    assert COURSE["framework"] == FRAMEWORK["code"]
    course = COURSE["course"]
    assert course["slug"] == "ict-professional-activity"
    assert _has_four(course["title"]) and _has_four(course["summary"])
    assert course["language"] == "kk"
    assert course["estimated_hours"] > 0
    assert set(course["areas"]) == set(AREAS)
    assert set(course["levels"]) <= set(LEVELS)


def test_a_module_for_every_area_of_the_ready_framework():
    assert sorted(module["area"] for module in MODULES) == sorted(AREAS)
    for module in MODULES:
        assert _has_four(module["title"]) and _has_four(module["summary"])
        assert module["lessons"]


def test_every_kind_but_interactive_appears():
    kinds = {lesson["kind"] for module in MODULES for lesson in module["lessons"]}
    assert kinds == KINDS - {"interactive"}


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_is_complete_and_uses_known_codes(lesson):
    assert lesson["kind"] in KINDS - {"interactive"}
    assert _has_four(lesson["title"])
    assert lesson["area"] in AREAS
    # A quiz's body only introduces it; every other lesson teaches in its body.
    least = 25 if lesson["kind"] == "quiz" else 120
    for code in ("kk", "ru"):
        assert len(lesson["body"][code].split()) >= least, code
    assert lesson["estimated_minutes"] > 0
    assert lesson["video_url"] == ""
    levels = [variant["level"] for variant in lesson["variants"]]
    assert set(levels) <= set(LEVELS)
    assert len(levels) == len(set(levels)), "one variant per level"
    for variant in lesson["variants"]:
        for code in ("kk", "ru"):
            assert len(variant["body"][code].split()) >= 30, (variant["level"], code)
    assert (lesson["kind"] == "quiz") == (lesson["quiz"] is not None)


def test_content_lessons_have_level_variants():
    for module in MODULES:
        for lesson in module["lessons"]:
            if lesson["kind"] != "quiz":
                assert lesson["variants"], lesson["title"]["en"]
    levels = {v["level"] for m in MODULES for lesson in m["lessons"] for v in lesson["variants"]}
    assert levels == set(LEVELS)


def test_library_titles_exist_in_the_demo_library():
    titles = {resource["title"] for resource in RESOURCES}
    linked = [title for m in MODULES for lesson in m["lessons"] for title in lesson["library"]]
    assert linked
    assert set(linked) <= titles, set(linked) - titles


def test_conditions_point_backwards_at_existing_lessons_and_known_levels():
    for m, module in enumerate(MODULES):
        for n, lesson in enumerate(module["lessons"]):
            for condition in _conditions(lesson["conditions"]):
                target = condition.get("after_lesson") or condition.get("quiz_passed")
                if target:
                    tm, tn = target
                    assert (tm, tn) < (m, n), "a lesson may only wait for an earlier one"
                    assert tn < len(MODULES[tm]["lessons"])
                    if "quiz_passed" in condition:
                        assert MODULES[tm]["lessons"][tn]["quiz"]
                        assert 0 < condition["min_percent"] <= 100
                else:
                    assert set(condition["levels"]) <= set(LEVELS)


def _correct_answer(question):
    kind = question["kind"]
    if kind == "single":
        return sum(1 for c in question["choices"] if c["correct"]) == 1
    if kind == "multiple":
        return any(c["credit"] > 0 for c in question["choices"]) and (
            abs(sum(c["credit"] for c in question["choices"] if c["credit"] > 0) - 1) < 0.01
        )
    if kind == "true_false":
        return isinstance(question["correct"], bool)
    if kind == "short_answer":
        return bool(question["accepted"]) and all(a["answer"] for a in question["accepted"])
    if kind == "numerical":
        return bool(question["answers"])
    if kind == "matching":
        return sum(1 for pair in question["pairs"] if pair["prompt"]) >= 2
    return False


@pytest.mark.parametrize("quiz", QUIZZES)
def test_quiz_questions_are_scored_knowledge_items(quiz):
    assert 0 < quiz["pass_percent"] <= 100
    assert quiz["attempts"] >= 1
    assert quiz["draw"] is None or 0 < quiz["draw"] <= len(quiz["questions"])
    assert 5 <= len(quiz["questions"]) <= 8
    codes = [question["code"] for question in quiz["questions"]]
    assert len(codes) == len(set(codes))
    for question in quiz["questions"]:
        assert question["part"] == "knowledge"
        assert question["area"] in AREAS
        assert question["text"]["kk"].strip() and question["text"]["ru"].strip()
        assert _correct_answer(question), question["code"]


def test_every_module_ends_with_a_quiz():
    for module in MODULES:
        assert module["lessons"][-1]["kind"] == "quiz"


def _kazakh_texts():
    yield COURSE["course"]["title"]["kk"]
    for module in MODULES:
        yield module["title"]["kk"]
        for lesson in module["lessons"]:
            yield lesson["title"]["kk"]
            yield lesson["body"]["kk"]
            for variant in lesson["variants"]:
                yield variant["body"]["kk"]
            for question in (lesson["quiz"] or {}).get("questions", []):
                yield question["text"]["kk"]


def test_kazakh_texts_are_kazakh():
    for text in _kazakh_texts():
        assert KAZAKH_LETTERS.search(text), text[:80]
    # Long texts are Kazakh, not Kyrgyz: they use letters Kyrgyz lacks.
    for text in _kazakh_texts():
        if len(text) > 200:
            assert KAZAKH_NOT_KYRGYZ.search(text), text[:80]


def test_file_is_small_enough_to_ship():
    assert (ROOT / "courses/fixtures/ready_course.json").stat().st_size < 1_500_000


@pytest.mark.django_db
def test_quiz_questions_load_and_score_through_the_diagnostics_engine():
    """The quizzes use the instrument format's questions: wrapped in an instrument file, the
    diagnostics importer accepts them, and the right answers earn full marks in its rules."""
    from diagnostics.interchange import instrument_import
    from diagnostics.kinds.pricing import answer_fraction
    from diagnostics.models import Question

    questions = [
        question
        for module in MODULES
        for lesson in module["lessons"]
        for question in (lesson["quiz"] or {}).get("questions", [])
    ]
    instrument = instrument_import(
        {
            "format": INSTRUMENT["format"],
            "framework": FRAMEWORK,
            "instrument": {
                "code": "ready-course-quizzes",
                "kind": "knowledge_test",
                "title": {"kk": "Курс тесттері", "ru": "Тесты курса"},
                "questions": questions,
            },
        }
    )
    loaded = list(instrument.questions.prefetch_related("choices"))
    assert len(loaded) == len(questions)
    for question in loaded:
        choices = list(question.choices.all())
        right = [c for c in choices if c.credit > 0]
        if question.kind == Question.Kind.NUMERICAL:
            fraction = answer_fraction(question, choices, number=right[0].value)
        elif question.kind == Question.Kind.SHORT_ANSWER:
            fraction = answer_fraction(question, choices, text=right[0].text_ru)
        elif question.kind == Question.Kind.MATCHING:
            fraction = answer_fraction(question, choices, matches={c.pk: c.pk for c in right})
        else:
            fraction = answer_fraction(question, choices, selected=[c.pk for c in right])
        assert fraction == 1, question.code
        assert question.text_kk and question.text_ru
