"""The quiz pages: start an attempt from the lesson, answer it, see its result and feedback."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.access import lesson_for_user
from courses.conditions import course_gate
from courses.models import Enrolment, Quiz
from courses.quizzes.access import attempt_for_user
from courses.quizzes.reading import attempt_feedback, attempt_questions, given_dict, post_given
from courses.quizzes.services import QuizRefused, attempt_start, attempt_submit
from diagnostics.kinds import InvalidAnswers


def _is_open(user, lesson) -> bool:
    course = lesson.module.course
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    return course_gate(user, course, enrolment).lesson(lesson).open


@login_required
@require_POST
def quiz_start(request, lesson_id):
    lesson = lesson_for_user(request.user, lesson_id)
    quiz = Quiz.objects.filter(lesson=lesson).select_related("lesson").first()
    if quiz is None:
        raise Http404
    if not _is_open(request.user, lesson):
        return render(request, "403.html", status=403)
    try:
        attempt = attempt_start(user=request.user, quiz=quiz)
    except QuizRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(lesson)
    return redirect("courses:quiz-attempt", attempt.pk)


def _attempt_page(request, attempt, *, problems=(), posted=None, status=200):
    lesson = attempt.quiz.lesson
    questions = attempt_questions(attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "lesson": lesson,
        "course": lesson.module.course,
        "problems": problems,
    }
    if attempt.is_submitted:
        context["feedback"] = attempt_feedback(attempt, questions)
        answers = {row.question.pk: row.answer for row in context["feedback"]}
        for question in questions:
            question.given = given_dict(answers.get(question.pk))
    else:
        for question in questions:
            question.given = (posted or {}).get(question.pk, {})
    for question in questions:
        # Matches listed alphabetically, so their order does not give the pairs away.
        question.match_options = sorted(
            (c for c in question.choices.all() if c.match_text), key=lambda c: c.match_text
        )
    context["questions"] = questions
    return render(request, "courses/quiz_attempt.html", context, status=status)


@login_required
def quiz_attempt(request, attempt_id):
    attempt = attempt_for_user(request.user, attempt_id)
    return _attempt_page(request, attempt)


@login_required
@require_POST
def quiz_submit(request, attempt_id):
    attempt = attempt_for_user(request.user, attempt_id)
    if attempt.user_id != request.user.pk:
        # Staff may read another teacher's attempt, never answer it.
        raise Http404
    try:
        attempt = attempt_submit(attempt=attempt, post=request.POST)
    except InvalidAnswers as invalid:
        posted = post_given(request.POST, attempt_questions(attempt))
        return _attempt_page(request, attempt, problems=invalid.problems, posted=posted, status=400)
    if attempt.passed:
        messages.success(request, _("Quiz passed with %(score)s %%.") % {"score": attempt.score})
    else:
        messages.warning(
            request,
            _("%(score)s %%: the pass mark is %(mark)s %%.")
            % {"score": attempt.score, "mark": attempt.quiz.pass_mark},
        )
    return redirect("courses:quiz-attempt", attempt.pk)
