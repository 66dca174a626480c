"""The teacher's pages ask the same number of queries for a course of 1 module of 2 lessons as for
one of 5 modules of 4 lessons (20), with rules of every kind in it: nothing is asked per module
or lesson."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Condition
from courses.quizzes.services import attempt_start
from courses.services import enrolment_create, lesson_mark_done
from tests.courses.factories import (
    ConditionFactory,
    course_with_lessons,
    quiz_lesson,
    scored_diagnosis,
)
from tests.lms.factories import TeacherFactory


def _course(modules: int, lessons: int, area, levels):
    course, made = course_with_lessons(lessons=lessons, modules=modules, areas=[area])
    first, last = made[0], made[-1]
    quiz = quiz_lesson(last.module, area, questions=4)
    # Every kind of rule (on the quiz, so that the lesson measured stays open), so that every
    # fact the gate can read is read.
    ConditionFactory(lesson=quiz.lesson, required_lesson=first)
    ConditionFactory(
        lesson=quiz.lesson, kind=Condition.Kind.MODULE_COMPLETED, required_module=first.module
    )
    ConditionFactory(
        lesson=quiz.lesson, kind=Condition.Kind.QUIZ_PASSED, required_lesson=quiz.lesson,
        alternative=2,
    )  # fmt: skip
    ConditionFactory(
        lesson=quiz.lesson, kind=Condition.Kind.FROM_DATE, opens_on=date(2020, 1, 1),
        alternative=2,
    )  # fmt: skip
    ConditionFactory(module=last.module, kind=Condition.Kind.LEVELS, levels=[levels[0]])
    return course, made, quiz


def _count(client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(captured)


def _measure(client, teacher, area, levels, modules: int, lessons: int) -> dict:
    """Counts for a teacher diagnosed in `area` only, whose path is one course of the area."""
    course, made, quiz = _course(modules, lessons, area, levels)
    scored_diagnosis(teacher, level=levels[0], area_levels={area: levels[0]})
    enrolment_create(user=teacher, course=course)
    lesson_mark_done(user=teacher, lesson=made[0])
    client.force_login(teacher)
    client.get("/")  # builds the learning path
    client.get(made[1].get_absolute_url())  # the progress row of the lesson exists
    attempt = attempt_start(user=teacher, quiz=quiz)
    right = {f"q{q.pk}": str(q.choices.get(credit=1).pk) for q in quiz.instrument.questions.all()}
    counts = {
        "lesson": _count(client, "get", made[1].get_absolute_url()),
        "course": _count(client, "get", course.get_absolute_url()),
        "dashboard": _count(client, "get", "/"),
        "quiz submit": _count(
            client, "post", reverse("courses:quiz-submit", args=[attempt.pk]), right
        ),
    }
    client.logout()
    return counts


def test_teacher_pages_ask_as_many_queries_for_20_lessons_as_for_2(
    client, teacher, school, areas, levels
):
    small = _measure(client, teacher, areas[0], levels, modules=1, lessons=2)
    other = TeacherFactory(school=school, preferred_language="en")
    large = _measure(client, other, areas[1], levels, modules=5, lessons=4)
    assert small == large
    # lesson: session, user, the lesson with its course (visibility as a subquery), the latest
    #   response and its area scores (the level's variant; the level rule reuses them),
    #   enrolment, rules, their levels, progress of every lesson (one query), best quiz marks,
    #   lesson_open (savepoint, enrolment updated, progress updated, release), variants,
    #   library links, attachments.
    # course: session, user, course, enrolment, rules, their levels, progress, quiz marks,
    #   latest response, area scores, modules, lessons, course areas, the forum panel.
    # dashboard: the other apps' panels (diagnostics, library: 9), then the path, the latest
    #   response (is the path stale?), enrolments of the path, the next course's gate (rules,
    #   levels, progress, quiz marks, latest response, area scores), modules, lessons, the
    #   groups the teacher mentors, round tables.
    # quiz submit: session, user, the attempt with its quiz, lesson and course; savepoint,
    #   attempt locked with its teacher, questions, choices, answers inserted, attempt saved;
    #   lesson_complete (enrolment, event, last activity, and in a savepoint the set-based
    #   recompute of the teacher's progress: upsert, counters, completion check).
    assert small == {
        "lesson": 17,
        "course": 14,
        "dashboard": 24,
        "quiz submit": 20,
    }
