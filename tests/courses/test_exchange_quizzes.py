"""A quiz lesson's quiz through the course exchange: the import gives the lesson a `Quiz` that a
teacher can take, the export writes it back (in a fixed number of queries), and a file written
before quizzes carried `show_feedback` still imports."""

import copy
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses.exchange import CourseFormatError, course_export, course_import
from courses.models import CompletionEvent, Course, Evidence, LessonKind, Quiz, QuizAttempt
from courses.services import lesson_mark_done
from tests.courses.factories import READY, LessonFactory, ModuleFactory, quiz_lesson

# Exported by the code of the time when the import linked the questions with `ImportedQuiz`
# (version 1, no "show_feedback"; the quiz draws 4 of its 6 questions); texts shortened.
OLD_FILE = Path(__file__).resolve().parent / "fixtures" / "course_v1_imported_quiz.json"


def right_answers(questions) -> dict:
    """A POST answering every question right, whatever its kind."""
    post = {}
    for question in questions:
        choices = list(question.choices.all())
        name = f"q{question.pk}"
        if question.kind == "matching":
            post.update({f"{name}-{c.pk}": str(c.pk) for c in choices if c.credit > 0})
        elif question.kind == "multiple":
            post[name] = [str(c.pk) for c in choices if c.credit > 0]
        else:
            post[name] = str(max(choices, key=lambda c: c.credit).pk)
    return post


def test_a_file_of_the_old_format_imports_into_a_quiz_a_teacher_passes(
    ready_world, client, teacher
):
    data = json.loads(OLD_FILE.read_text(encoding="utf-8"))
    assert "show_feedback" not in data["modules"][0]["lessons"][5]["quiz"]
    course = course_import(data, published=True)
    quiz = Quiz.objects.select_related("lesson").get(lesson__module__course=course)
    assert (quiz.attempts_allowed, quiz.questions_drawn, quiz.show_feedback) == (3, 4, True)
    assert quiz.lesson.kind == LessonKind.QUIZ and quiz.pass_mark == 60
    # The quiz opens after the third lesson (the file's condition).
    third = quiz.lesson.module.lessons.get(position=3)
    lesson_mark_done(user=teacher, lesson=third)
    client.force_login(teacher)
    page = client.get(quiz.lesson.get_absolute_url()).content.decode()
    assert reverse("courses:quiz-start", args=[quiz.lesson.pk]) in page
    client.post(reverse("courses:quiz-start", args=[quiz.lesson.pk]))
    attempt = QuizAttempt.objects.get(user=teacher, quiz=quiz)
    assert len(attempt.question_ids) == 4
    questions = quiz.instrument.questions.filter(pk__in=attempt.question_ids)
    client.post(reverse("courses:quiz-submit", args=[attempt.pk]), right_answers(questions))
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == 100
    assert CompletionEvent.objects.filter(
        user=teacher, lesson=quiz.lesson, evidence=Evidence.QUIZ_PASSED
    ).exists()


def test_export_writes_the_quiz_and_the_import_gives_it_back(areas):
    module = ModuleFactory()
    quiz_lesson(module, areas[0], questions=3, attempts_allowed=2, questions_drawn=2,
                 show_feedback=False)  # fmt: skip
    data, _files = course_export(module.course)
    entry = data["modules"][0]["lessons"][0]["quiz"]
    assert {k: v for k, v in entry.items() if k != "questions"} == {
        "pass_percent": 75.0,
        "attempts": 2,
        "draw": 2,
        "show_feedback": False,
    }
    assert [q["code"] for q in entry["questions"]] == ["q0", "q1", "q2"]
    again = course_import(copy.deepcopy(data))
    quiz = Quiz.objects.get(lesson__module__course=again)
    assert (quiz.attempts_allowed, quiz.questions_drawn, quiz.show_feedback) == (2, 2, False)
    assert quiz.instrument.questions.filter(part="knowledge").count() == 3
    assert course_export(again)[0]["modules"] == data["modules"]


def _export_queries(course) -> int:
    with CaptureQueriesContext(connection) as captured:
        course_export(course)
    return len(captured)


def test_export_queries_do_not_grow_with_the_quizzes(areas):
    small, large = ModuleFactory(), ModuleFactory()
    quiz_lesson(small, areas[0])
    for _ in range(4):
        quiz_lesson(large, areas[1], questions=4)
        LessonFactory(module=large)
    # modules, lessons (area, quiz and its instrument joined), variants, attachments,
    # conditions, resource links, quiz questions, their choices, course areas, levels
    assert _export_queries(small.course) == _export_queries(large.course) <= 12


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"show_feedback": "yes"}, "show_feedback must be true or false"),
        ({"draw": 0}, "the questions drawn must number from 1 to the size of the pool"),
        ({"attempts": -1}, "attempts must be a whole number"),
    ],
)
def test_bad_quiz_settings_name_the_place_and_create_nothing(ready_world, change, message):
    data = copy.deepcopy(READY)
    data["modules"][0]["lessons"][5]["quiz"].update(change)
    with translation.override("en"), pytest.raises(CourseFormatError) as caught:
        course_import(data)
    assert any(f"module 1, lesson 6: {message}" in p for p in caught.value.problems)
    assert not Course.objects.exists() and not Quiz.objects.exists()


def test_quiz_questions_that_name_no_part_are_knowledge_questions(ready_world):
    data = copy.deepcopy(READY)
    for question in data["modules"][0]["lessons"][5]["quiz"]["questions"]:
        question.pop("part")
    course = course_import(data)
    quiz = Quiz.objects.filter(lesson__module__course=course).order_by("lesson__module").first()
    assert quiz.instrument.questions.exclude(part="knowledge").count() == 0
