"""A course's recompute rebuilds every row exactly from the events, on SQLite and PostgreSQL.

The recompute is set-based SQL (courses/progress.py); these tests pin what it writes, row by
row, so the statements keep the rules of the Python they replaced: first satisfying event,
best score, earned completions kept unless revoked, integer percent, the course completed at
its last lesson's completion, other courses' enrolments and events untouched.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from courses.models import CompletionEvent, Enrolment, Evidence, LessonProgress
from courses.progress import chunk_size, enrolments_recompute
from tests.courses.factories import course_with_lessons
from tests.lms.factories import TeacherFactory


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 9, 0, tzinfo=UTC)


def event(user, lesson, evidence, day, score=None):
    return CompletionEvent.objects.create(
        user=user, lesson=lesson, evidence=evidence, occurred_at=at(day), score=score
    )


def rows(enrolment):
    return {
        p.lesson_id: (p.completed_at, p.best_score, p.completed_by, p.first_opened_at)
        for p in LessonProgress.objects.filter(enrolment=enrolment)
    }


@pytest.fixture
def course(db):
    """Three lessons: marked done, a quiz, an optional one."""
    course, (done, quiz, optional) = course_with_lessons(lessons=3)
    quiz.kind, quiz.completion_rule = "quiz", Evidence.QUIZ_PASSED
    quiz.save()
    optional.required = False
    optional.save()
    return course, done, quiz, optional


def test_recompute_builds_rows_from_the_first_satisfying_event_and_the_best_score(course, school):
    course, done, quiz, optional = course
    ann = TeacherFactory(school=school)
    enrolment = Enrolment.objects.create(user=ann, course=course)
    LessonProgress.objects.create(enrolment=enrolment, lesson=done, first_opened_at=at(1))
    event(ann, done, Evidence.MARKED_DONE, 3)
    event(ann, done, Evidence.MARKED_DONE, 2)  # recorded twice: the first one counts
    event(ann, quiz, Evidence.MARKED_DONE, 1)  # not what the quiz's rule asks
    event(ann, quiz, Evidence.QUIZ_PASSED, 4, Decimal("60"))
    event(ann, quiz, Evidence.QUIZ_PASSED, 5, Decimal("85.5"))
    event(ann, optional, Evidence.MARKED_DONE, 7)
    _other, (elsewhere,) = course_with_lessons(lessons=1)
    event(ann, elsewhere, Evidence.MARKED_DONE, 8)  # another course's lesson

    assert enrolments_recompute(course_id=course.pk, enrolment_ids=[enrolment.pk]) == 1

    assert rows(enrolment) == {
        done.pk: (at(2), None, "", at(1)),  # the opened row completed, its opening kept
        quiz.pk: (at(4), Decimal("85.50"), "", None),
        optional.pk: (at(7), None, "", None),
    }
    enrolment.refresh_from_db()
    assert (enrolment.lessons_total, enrolment.lessons_done, enrolment.percent) == (2, 2, 100)
    # Completed when the last lesson was, optional ones included.
    assert enrolment.completed_at == at(7)
    assert ann.certificates.filter(course=course).count() == 1


def test_recompute_keeps_earned_completions_and_raises_only_the_score(course, school):
    course, done, quiz, _optional = course
    bob = TeacherFactory(school=school)
    enrolment = Enrolment.objects.create(user=bob, course=course, completed_at=at(9))
    # Earned under the old rules: "done" has no satisfying event now.
    LessonProgress.objects.create(
        enrolment=enrolment, lesson=done, completed_at=at(1), completed_by="marked_done"
    )
    LessonProgress.objects.create(
        enrolment=enrolment, lesson=quiz, completed_at=at(2), best_score=Decimal("60")
    )
    event(bob, done, Evidence.VIDEO_WATCHED, 3)
    event(bob, quiz, Evidence.QUIZ_PASSED, 4, Decimal("90"))

    enrolments_recompute(course_id=course.pk, enrolment_ids=[enrolment.pk])

    assert rows(enrolment) == {
        done.pk: (at(1), None, "marked_done", None),
        quiz.pk: (at(2), Decimal("90.00"), "", None),  # completion date kept, score raised
    }
    enrolment.refresh_from_db()
    assert (enrolment.lessons_done, enrolment.percent, enrolment.completed_at) == (2, 100, at(9))

    enrolments_recompute(course_id=course.pk, enrolment_ids=[enrolment.pk], revoke_earned=True)

    # Revoked: the completion only, the rest of the row stays.
    assert rows(enrolment)[done.pk] == (None, None, "marked_done", None)
    assert rows(enrolment)[quiz.pk] == (at(2), Decimal("90.00"), "", None)
    enrolment.refresh_from_db()
    assert (enrolment.lessons_done, enrolment.percent, enrolment.completed_at) == (1, 50, None)


def test_recompute_marks_nobody_without_evidence_and_rounds_the_percent_down(school):
    course, lessons = course_with_lessons(lessons=3)
    cat, dan = TeacherFactory(school=school), TeacherFactory(school=school)
    first = Enrolment.objects.create(user=cat, course=course)
    second = Enrolment.objects.create(user=dan, course=course)
    event(cat, lessons[0], Evidence.MARKED_DONE, 1)
    other_course, _lessons = course_with_lessons(lessons=1)
    elsewhere = Enrolment.objects.create(user=dan, course=other_course, lessons_done=7)

    recomputed = enrolments_recompute(
        course_id=course.pk, enrolment_ids=[first.pk, second.pk, elsewhere.pk]
    )

    assert recomputed == 2  # both counters changed; the other course's enrolment is not touched
    first.refresh_from_db()
    second.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (first.lessons_total, first.lessons_done, first.percent) == (3, 1, 33)
    assert (second.lessons_total, second.lessons_done, second.percent) == (3, 0, 0)
    assert first.completed_at is None and second.completed_at is None
    assert not LessonProgress.objects.filter(enrolment=second).exists()
    assert elsewhere.lessons_done == 7


def test_course_without_required_lessons_never_completes_and_revoke_clears_it(course, school):
    course, done, quiz, optional = course
    done.required = quiz.required = False
    done.save()
    quiz.save()
    eve = TeacherFactory(school=school)
    enrolment = Enrolment.objects.create(user=eve, course=course, completed_at=at(1), percent=40)
    event(eve, optional, Evidence.MARKED_DONE, 2)

    enrolments_recompute(course_id=course.pk, enrolment_ids=[enrolment.pk])
    enrolment.refresh_from_db()
    assert (enrolment.lessons_total, enrolment.percent, enrolment.completed_at) == (0, 0, at(1))

    enrolments_recompute(course_id=course.pk, enrolment_ids=[enrolment.pk], revoke_earned=True)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None


def test_a_chunk_takes_the_same_queries_for_one_teacher_or_many(
    course, school, django_assert_num_queries
):
    course, done, quiz, _optional = course

    def enrol(n):
        ids = []
        for _ in range(n):
            teacher = TeacherFactory(school=school)
            event(teacher, done, Evidence.MARKED_DONE, 1)
            ids.append(Enrolment.objects.create(user=teacher, course=course).pk)
        return ids

    one, many = enrol(1), enrol(30)
    # The upsert, the counters' UPDATE and the certificates' read (nobody completes), in a
    # savepoint (the test's transaction is around it): SAVEPOINT and RELEASE.
    for ids in (one, many):
        with django_assert_num_queries(5):
            enrolments_recompute(course_id=course.pk, enrolment_ids=ids)
    assert LessonProgress.objects.filter(lesson=done, completed_at=at(1)).count() == 31


def test_progress_bar_moves_in_about_twenty_steps_for_a_large_course():
    assert chunk_size(10_000) * 20 == 10_000
    assert chunk_size(100_000) * 20 == 100_000
    assert chunk_size(40) == 500  # a small course: one chunk
