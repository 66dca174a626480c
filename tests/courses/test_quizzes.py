"""Quizzes ask diagnostics questions: attempts, pricing by the engine, pass mark, the attempts
limit, the random pool kept per attempt, feedback per answer, and who may see an attempt."""

import random
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import CompletionEvent, Condition, Evidence, LessonKind, Quiz, QuizAttempt
from courses.quizzes.services import QuizRefused, attempt_start, attempt_submit
from tests.courses.factories import ConditionFactory, LessonFactory, course_with_lessons
from tests.diagnostics.factories import ChoiceFactory, InstrumentFactory, QuestionFactory
from tests.lms.factories import TeacherFactory


def _single(instrument, area, text, right_feedback="", wrong_feedback="Look again."):
    question = QuestionFactory(instrument=instrument, area=area, text_en=text)
    right = ChoiceFactory(question=question, text_en="Right", credit=1, feedback_en=right_feedback)
    wrong = ChoiceFactory(question=question, text_en="Wrong", credit=0, feedback_en=wrong_feedback)
    return question, right, wrong


@pytest.fixture
def quiz_setup(db, areas):
    course, (intro, quiz_lesson, after) = course_with_lessons(lessons=3)
    quiz_lesson.kind = LessonKind.QUIZ
    quiz_lesson.completion_rule = Evidence.QUIZ_PASSED
    quiz_lesson.pass_mark = Decimal(60)
    quiz_lesson.area = areas[0]
    quiz_lesson.save()
    instrument = InstrumentFactory(framework=areas[0].framework, kind="knowledge_test")
    questions = [_single(instrument, areas[0], f"Question {n}?") for n in range(5)]
    quiz = Quiz.objects.create(lesson=quiz_lesson, instrument=instrument, attempts_allowed=2)
    return quiz, questions, after


def _answers(questions, right: int) -> dict:
    """A POST answering the first `right` questions right and the rest wrong."""
    return {f"q{q.pk}": str((r if i < right else w).pk) for i, (q, r, w) in enumerate(questions)}


def test_passing_attempt_completes_the_lesson_with_its_score(client, teacher, quiz_setup):
    quiz, questions, _after = quiz_setup
    client.force_login(teacher)
    response = client.post(reverse("courses:quiz-start", args=[quiz.lesson.pk]))
    attempt = QuizAttempt.objects.get(user=teacher)
    assert response.url == reverse("courses:quiz-attempt", args=[attempt.pk])
    page = client.get(response.url).content.decode()
    assert "Question 0?" in page and 'name="q' in page
    client.post(reverse("courses:quiz-submit", args=[attempt.pk]), _answers(questions, 4))
    attempt.refresh_from_db()
    assert attempt.score == Decimal("80.00") and attempt.passed
    event = CompletionEvent.objects.get(user=teacher, lesson=quiz.lesson)
    assert event.evidence == Evidence.QUIZ_PASSED and event.score == Decimal("80.00")
    assert event.source_ref == f"quiz-attempt:{attempt.pk}"
    lesson_page = client.get(quiz.lesson.get_absolute_url()).content.decode()
    assert "Completed" in lesson_page and "80 %" in lesson_page


def test_failing_attempt_records_no_evidence_and_shows_feedback(client, teacher, quiz_setup):
    quiz, questions, _after = quiz_setup
    attempt = attempt_start(user=teacher, quiz=quiz)
    client.force_login(teacher)
    client.post(reverse("courses:quiz-submit", args=[attempt.pk]), _answers(questions, 2))
    attempt.refresh_from_db()
    assert attempt.score == Decimal("40.00") and not attempt.passed
    assert not CompletionEvent.objects.filter(user=teacher).exists()
    page = client.get(reverse("courses:quiz-attempt", args=[attempt.pk])).content.decode()
    # The per-choice feedback the methodist wrote for the wrong choice picked.
    assert "Not passed: 40 %" in page and page.count("Look again.") == 3
    assert "Not right" in page and "Right" in page and "disabled" in page


def test_feedback_is_hidden_when_the_quiz_says_so(client, teacher, quiz_setup):
    quiz, questions, _after = quiz_setup
    Quiz.objects.filter(pk=quiz.pk).update(show_feedback=False)
    attempt = attempt_start(user=teacher, quiz=quiz)
    client.force_login(teacher)
    client.post(reverse("courses:quiz-submit", args=[attempt.pk]), _answers(questions, 0))
    page = client.get(reverse("courses:quiz-attempt", args=[attempt.pk])).content.decode()
    assert "Look again." not in page and "Not passed: 0 %" in page


def test_attempts_limit_is_enforced_on_the_server(client, teacher, quiz_setup):
    quiz, questions, _after = quiz_setup
    for _n in range(2):
        attempt = attempt_start(user=teacher, quiz=quiz)
        attempt_submit(attempt=attempt, post=_answers(questions, 1))
    with pytest.raises(QuizRefused):
        attempt_start(user=teacher, quiz=quiz)
    client.force_login(teacher)
    response = client.post(reverse("courses:quiz-start", args=[quiz.lesson.pk]), follow=True)
    assert "You have used all 2 attempts of this quiz." in response.content.decode()
    assert QuizAttempt.objects.filter(user=teacher).count() == 2


def test_random_pool_draw_is_kept_by_the_attempt(client, teacher, quiz_setup):
    quiz, _questions, _after = quiz_setup
    Quiz.objects.filter(pk=quiz.pk).update(questions_drawn=3)
    quiz.refresh_from_db()
    attempt = attempt_start(user=teacher, quiz=quiz, rng=random.Random(7))
    assert len(attempt.question_ids) == 3
    # Starting again (a reload, a second tab) returns the same attempt and the same draw.
    again = attempt_start(user=teacher, quiz=quiz, rng=random.Random(99))
    assert again.pk == attempt.pk and again.question_ids == attempt.question_ids
    client.force_login(teacher)
    url = reverse("courses:quiz-attempt", args=[attempt.pk])
    shown = [re.findall(r'id="question-(\d+)"', client.get(url).content.decode()) for _n in "ab"]
    assert shown[0] == shown[1] == [str(pk) for pk in attempt.question_ids]


def test_submit_prices_only_the_drawn_questions_and_refuses_forged_ones(
    client, teacher, quiz_setup
):
    quiz, questions, _after = quiz_setup
    Quiz.objects.filter(pk=quiz.pk).update(questions_drawn=2)
    quiz.refresh_from_db()
    attempt = attempt_start(user=teacher, quiz=quiz, rng=random.Random(1))
    drawn = [row for row in questions if row[0].pk in attempt.question_ids]
    not_drawn = next(row for row in questions if row[0].pk not in attempt.question_ids)
    client.force_login(teacher)
    url = reverse("courses:quiz-submit", args=[attempt.pk])
    forged = {**_answers(drawn, 2), f"q{not_drawn[0].pk}": str(not_drawn[1].pk)}
    response = client.post(url, forged)
    assert response.status_code == 400
    assert "not in this instrument" in response.content.decode()
    # Nothing typed is lost: the right choices picked are still checked.
    assert response.content.decode().count("checked") == 2
    client.post(url, _answers(drawn, 2))
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00") and attempt.max_points == Decimal(2)


def test_a_required_question_left_empty_is_asked_again(client, teacher, quiz_setup):
    quiz, questions, _after = quiz_setup
    attempt = attempt_start(user=teacher, quiz=quiz)
    client.force_login(teacher)
    post = _answers(questions, 5)
    post.pop(f"q{questions[0][0].pk}")
    response = client.post(reverse("courses:quiz-submit", args=[attempt.pk]), post)
    assert response.status_code == 400 and "1 left" in response.content.decode()
    attempt.refresh_from_db()
    assert not attempt.is_submitted and not attempt.answers.exists()


def test_submitting_twice_changes_nothing(teacher, quiz_setup):
    quiz, questions, _after = quiz_setup
    attempt = attempt_start(user=teacher, quiz=quiz)
    attempt_submit(attempt=attempt, post=_answers(questions, 5))
    attempt_submit(attempt=attempt, post=_answers(questions, 0))
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.answers.count() == 5
    assert CompletionEvent.objects.filter(user=teacher).count() == 1


def test_condition_reads_the_best_passed_attempt(client, teacher, quiz_setup):
    quiz, questions, after = quiz_setup
    ConditionFactory(
        lesson=after,
        kind=Condition.Kind.QUIZ_PASSED,
        required_lesson=quiz.lesson,
        min_score=Decimal(80),
    )
    Quiz.objects.filter(pk=quiz.pk).update(attempts_allowed=0)
    quiz.refresh_from_db()
    client.force_login(teacher)
    first = attempt_start(user=teacher, quiz=quiz)
    attempt_submit(attempt=first, post=_answers(questions, 3))  # 60 %: passed, not enough
    response = client.get(after.get_absolute_url())
    assert response.status_code == 403
    assert "with at least 80 %" in response.content.decode()
    second = attempt_start(user=teacher, quiz=quiz)
    attempt_submit(attempt=second, post=_answers(questions, 5))  # 100 %
    third = attempt_start(user=teacher, quiz=quiz)
    attempt_submit(attempt=third, post=_answers(questions, 3))  # worse again: best counts
    assert client.get(after.get_absolute_url()).status_code == 200


def test_a_locked_quiz_cannot_be_started(client, teacher, quiz_setup):
    quiz, _questions, _after = quiz_setup
    intro = LessonFactory(module=quiz.lesson.module, position=0)
    ConditionFactory(lesson=quiz.lesson, required_lesson=intro)
    client.force_login(teacher)
    response = client.post(reverse("courses:quiz-start", args=[quiz.lesson.pk]))
    assert response.status_code == 403 and not QuizAttempt.objects.exists()


@pytest.mark.parametrize(
    "who, status",
    [
        ("owner", 200),
        ("other_teacher", 404),
        ("other_head", 404),
        ("head", 404),
        ("methodist", 200),
    ],
)
def test_an_attempt_is_seen_by_its_teacher_and_staff_only(
    client, teacher, quiz_setup, other_school, request, who, status
):
    quiz, _questions, _after = quiz_setup
    attempt = attempt_start(user=teacher, quiz=quiz)
    users = {
        "owner": teacher,
        "other_teacher": TeacherFactory(school=other_school),
    }
    user = users.get(who) or request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(reverse("courses:quiz-attempt", args=[attempt.pk])).status_code == status
    if who != "owner":
        response = client.post(reverse("courses:quiz-submit", args=[attempt.pk]), {})
        assert response.status_code == 404


def test_a_stranger_is_sent_to_sign_in(client, teacher, quiz_setup):
    quiz, _questions, _after = quiz_setup
    attempt = attempt_start(user=teacher, quiz=quiz)
    for url in (
        reverse("courses:quiz-attempt", args=[attempt.pk]),
        reverse("courses:quiz-submit", args=[attempt.pk]),
        reverse("courses:quiz-start", args=[quiz.lesson.pk]),
    ):
        response = client.post(url) if "attempts" not in url or "submit" in url else client.get(url)
        assert response.status_code == 302 and "login" in response.url
    assert QuizAttempt.objects.count() == 1


def test_a_quiz_of_an_unpublished_course_is_404_to_a_teacher(client, teacher, quiz_setup):
    quiz, _questions, _after = quiz_setup
    course = quiz.lesson.module.course
    course.published = False
    course.save()
    client.force_login(TeacherFactory())
    assert client.post(reverse("courses:quiz-start", args=[quiz.lesson.pk])).status_code == 404


def test_query_counts_of_the_quiz_pages_are_fixed(
    client, teacher, quiz_setup, django_assert_max_num_queries
):
    quiz, questions, _after = quiz_setup
    attempt = attempt_start(user=teacher, quiz=quiz)
    client.force_login(teacher)
    url = reverse("courses:quiz-attempt", args=[attempt.pk])
    # session, user, the attempt with its quiz, lesson, module and course, the questions,
    # their choices
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
    # session, user, attempt with its quiz and course; savepoint, attempt locked with its
    # teacher, questions, choices, answers inserted (one statement), attempt saved;
    # lesson_complete (savepoints, enrolment created, event, last activity, the progress
    # recompute: 10), none of them per question
    with django_assert_max_num_queries(29):
        client.post(reverse("courses:quiz-submit", args=[attempt.pk]), _answers(questions, 5))
    # session, user, attempt, questions, choices, answers
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_the_demo_has_a_quiz_passed_by_a_teacher(db, areas, levels):
    from courses.demo import seed_courses_demo

    TeacherFactory.create_batch(3)
    seed_courses_demo()
    quiz = Quiz.objects.get(lesson__module__course__slug="demo-safe-internet")
    attempt = QuizAttempt.objects.get(quiz=quiz)
    assert attempt.passed and attempt.score == 100
    assert quiz.instrument.questions.count() == 3
    assert CompletionEvent.objects.filter(lesson=quiz.lesson, user=attempt.user).exists()
