"""Writes of quizzes: start an attempt (drawing its questions once), submit it (price every
answer with the question engine, score it, complete the lesson when passed)."""

import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Evidence, Quiz, QuizAnswer, QuizAttempt
from courses.quizzes.reading import attempt_questions, pool_of
from courses.services import lesson_complete
from diagnostics.kinds import (
    GivenAnswer,
    InvalidAnswers,
    given_fraction,
    missing_required,
    points,
    read_page,
)
from diagnostics.models import Framework, Instrument

HUNDRED = Decimal(100)


class QuizRefused(ValueError):
    """The teacher may not start another attempt (the message says why, translated)."""


def _draw(quiz: Quiz, rng=random) -> list[int]:
    ids = list(pool_of(quiz).values_list("pk", flat=True))
    wanted = quiz.questions_drawn
    if wanted and wanted < len(ids):
        return rng.sample(ids, wanted)
    return ids


def attempt_start(*, user, quiz: Quiz, rng=random) -> QuizAttempt:
    """The teacher's attempt in progress, or a new one with its questions drawn now.

    Starting twice (a reload, a second tab) returns the same attempt, never draws again.
    """
    with transaction.atomic():
        open_attempt = QuizAttempt.objects.filter(
            user=user, quiz=quiz, submitted_at__isnull=True
        ).first()
        if open_attempt is not None:
            return open_attempt
        used = QuizAttempt.objects.filter(user=user, quiz=quiz).count()
        if quiz.attempts_allowed and used >= quiz.attempts_allowed:
            raise QuizRefused(
                _("You have used all %(count)d attempts of this quiz.")
                % {"count": quiz.attempts_allowed}
            )
        question_ids = _draw(quiz, rng)
        if not question_ids:
            raise QuizRefused(_("This quiz has no questions yet."))
        try:
            with transaction.atomic():
                return QuizAttempt.objects.create(
                    user=user, quiz=quiz, number=used + 1, question_ids=question_ids
                )
        except IntegrityError:
            # Another request started one a moment ago: that one is the attempt.
            return QuizAttempt.objects.get(user=user, quiz=quiz, submitted_at__isnull=True)


def _percent(earned: Decimal, maximum: Decimal) -> Decimal:
    if maximum <= 0:
        # Nothing in the quiz earns points (free text only): nothing can be got wrong.
        return HUNDRED
    share = max(Decimal(0), min(HUNDRED, HUNDRED * earned / maximum))
    return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _answer_row(attempt: QuizAttempt, given: GivenAnswer) -> QuizAnswer:
    fraction = given_fraction(given)
    return QuizAnswer(
        attempt=attempt,
        question=given.question,
        selected=list(given.selected),
        number=given.number,
        text=given.text,
        matches={str(k): v for k, v in given.matches.items()},
        fraction=fraction,
        points=points(given.question, fraction),
    )


def attempt_submit(*, attempt: QuizAttempt, post) -> QuizAttempt:
    """Read, price and score the attempt's answers; a pass completes the lesson.

    Raises diagnostics' InvalidAnswers (translated problems) for a forged or malformed form,
    and for required questions left unanswered; nothing is saved then. Submitting an attempt
    already submitted changes nothing.
    """
    passed = attempt
    with transaction.atomic():
        # The row lock makes a double submit (two tabs, a double click) price the answers once;
        # `of=("self",)` locks the attempt only, not its teacher's row.
        attempt = (
            QuizAttempt.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=attempt.pk)
        )
        if attempt.is_submitted:
            return attempt
        # The quiz, its lesson and course as the caller read them (the view's access check
        # selects them), else read now: the attempt's quiz never changes.
        quiz = (
            passed.quiz
            if QuizAttempt.quiz.is_cached(passed)
            else Quiz.objects.select_related("lesson__module__course").get(pk=attempt.quiz_id)
        )
        attempt.quiz = quiz
        questions = attempt_questions(attempt)
        given = read_page(post, questions, all_questions=questions)
        _refuse_missing(questions, given)
        rows = [_answer_row(attempt, answer) for answer in given]
        QuizAnswer.objects.bulk_create(rows)
        earned = sum((row.points for row in rows if row.points is not None), Decimal(0))
        maximum = sum((q.weight for q in questions if q.is_scored), Decimal(0))
        attempt.points, attempt.max_points = earned, maximum
        attempt.score = _percent(earned, maximum)
        attempt.passed = attempt.score >= quiz.pass_mark
        attempt.submitted_at = timezone.now()
        attempt.save(update_fields=["points", "max_points", "score", "passed", "submitted_at"])
        if attempt.passed:
            # The event is the evidence for the lesson (and so for the areas it develops).
            lesson_complete(
                user=attempt.user,
                lesson=quiz.lesson,
                evidence=Evidence.QUIZ_PASSED,
                score=attempt.score,
                source_ref=f"quiz-attempt:{attempt.pk}",
            )
    return attempt


def _refuse_missing(questions, given: list[GivenAnswer]) -> None:
    answered = {g.question.pk for g in given if not g.is_empty}
    missing = missing_required(questions, answered)
    if missing:
        raise InvalidAnswers(
            [
                _("Answer every question marked with an asterisk (%(count)d left).")
                % {"count": len(missing)}
            ]
        )


def quiz_pool_create(*, lesson, created_by=None) -> Instrument:
    """A new, empty knowledge-test instrument to hold a quiz's questions (in the framework of the
    lesson's area), for the methodist to fill in the instrument admin or by GIFT import."""
    framework_id = lesson.area.framework_id if lesson.area_id else None
    if framework_id is None:
        first = Framework.objects.order_by("pk").first()
        if first is None:
            raise QuizRefused(
                _("Create a competence framework first: questions belong to its areas.")
            )
        framework_id = first.pk
    with transaction.atomic():
        code = f"quiz-{lesson.pk}"
        version = Instrument.objects.filter(code=code).count() + 1
        return Instrument.objects.create(
            framework_id=framework_id,
            code=code,
            version=version,
            kind=Instrument.Kind.KNOWLEDGE_TEST,
            title=lesson.title,
            created_by=created_by,
        )
