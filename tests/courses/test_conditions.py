from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone, translation

from courses.conditions import course_gate
from courses.models import Condition, Enrolment, Evidence
from courses.services import enrolment_create, lesson_complete, lesson_mark_done
from tests.courses.factories import ConditionFactory, course_with_lessons, scored_diagnosis


def gate_for(user, course):
    return course_gate(user, course, Enrolment.objects.filter(user=user, course=course).first())


def test_lesson_opens_after_the_previous_one_is_completed(teacher):
    course, (first, second) = course_with_lessons(lessons=2)
    ConditionFactory(lesson=second, required_lesson=first)
    enrolment_create(user=teacher, course=course)
    with translation.override("en"):
        verdict = gate_for(teacher, course).lesson(second)
        assert not verdict.open
        assert verdict.words == f"Opens: when you complete “{first.title_en}”"
    lesson_mark_done(user=teacher, lesson=first)
    assert gate_for(teacher, course).lesson(second).open


def test_quiz_mark_and_date_must_both_hold_unless_another_alternative_does(teacher, levels):
    course, (quiz, lesson) = course_with_lessons(lessons=2)
    quiz.completion_rule = Evidence.QUIZ_PASSED
    quiz.save()
    ConditionFactory(
        lesson=lesson, kind=Condition.Kind.QUIZ_PASSED, required_lesson=quiz, min_score=Decimal(80)
    )
    ConditionFactory(
        lesson=lesson,
        kind=Condition.Kind.FROM_DATE,
        opens_on=timezone.localdate() - timedelta(days=1),
    )
    ConditionFactory(lesson=lesson, alternative=2, kind=Condition.Kind.LEVELS, levels=[levels[2]])
    lesson_complete(user=teacher, lesson=quiz, evidence=Evidence.QUIZ_PASSED, score=Decimal(70))
    with translation.override("en"):
        verdict = gate_for(teacher, course).lesson(lesson)
        assert not verdict.open
        assert verdict.words == (
            f"Opens: when you pass “{quiz.title_en}” with at least 80 % and on "
            f"{(timezone.localdate() - timedelta(days=1)):%d.%m.%Y}; or for the Advanced level only"
        )
    lesson_complete(user=teacher, lesson=quiz, evidence=Evidence.QUIZ_PASSED, score=Decimal(85))
    assert gate_for(teacher, course).lesson(lesson).open


def test_level_only_lesson_opens_for_that_level_in_the_lessons_area(teacher, areas, levels):
    course, (lesson,) = course_with_lessons(lessons=1)
    lesson.area = areas[1]
    lesson.save()
    ConditionFactory(lesson=lesson, kind=Condition.Kind.LEVELS, levels=[levels[0]])
    enrolment_create(user=teacher, course=course)
    assert not gate_for(teacher, course).lesson(lesson).open  # not diagnosed yet
    # Advanced overall, but Basic in this lesson's area.
    scored_diagnosis(teacher, level=levels[2], area_levels={areas[1]: levels[0]})
    assert gate_for(teacher, course).lesson(lesson).open


def test_a_future_date_in_words_and_closed(teacher):
    course, (lesson,) = course_with_lessons(lessons=1)
    ConditionFactory(lesson=lesson, kind=Condition.Kind.FROM_DATE, opens_on=date(2027, 1, 24))
    with translation.override("en"):
        verdict = gate_for(teacher, course).lesson(lesson)
        assert not verdict.open and verdict.words == "Opens: on 24.01.2027"
    with translation.override("kk"):
        assert gate_for(teacher, course).lesson(lesson).words == "Ашылады: 24.01.2027 бастап"


def test_a_closed_module_closes_its_lessons(teacher):
    course, (first, second) = course_with_lessons(lessons=1, modules=2)
    ConditionFactory(
        module=second.module, kind=Condition.Kind.MODULE_COMPLETED, required_module=first.module
    )
    enrolment_create(user=teacher, course=course)
    assert not gate_for(teacher, course).lesson(second).open
    lesson_mark_done(user=teacher, lesson=first)
    assert gate_for(teacher, course).lesson(second).open
