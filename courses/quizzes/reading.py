"""Reads of the quiz pages: an attempt's questions in its order, the answers as given, feedback."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from courses.models import Quiz, QuizAnswer, QuizAttempt
from diagnostics.models import Choice, Question


def pool_of(quiz: Quiz):
    """The questions a quiz may ask: the knowledge questions of its instrument."""
    return Question.objects.filter(
        instrument_id=quiz.instrument_id, part=Question.Part.KNOWLEDGE
    ).order_by("position", "pk")


def attempt_questions(attempt: QuizAttempt) -> list[Question]:
    """The attempt's questions in the order drawn, their choices prefetched (two queries)."""
    rows = Question.objects.filter(pk__in=attempt.question_ids).prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position", "pk"))
    )
    by_id = {q.pk: q for q in rows}
    # A question deleted from the pool since the draw is simply not asked.
    return [by_id[pk] for pk in attempt.question_ids if pk in by_id]


def given_dict(answer: QuizAnswer | None) -> dict:
    """An answer in the shape the engine's rendering fills its inputs from."""
    if answer is None:
        return {}
    return {
        "selected": set(answer.selected),
        "number": answer.number,
        "text": answer.text,
        "matches": {int(k): v for k, v in answer.matches.items()},
    }


def post_given(post, questions) -> dict[int, dict]:
    """What a rejected form held, so the page is shown again with nothing lost."""
    given = {}
    for question in questions:
        name = f"q{question.pk}"
        given[question.pk] = {
            "selected": {int(v) for v in post.getlist(name) if v.isdigit()},
            "number": post.get(name, ""),
            "text": post.get(name, ""),
            "matches": {
                c.pk: int(post[f"{name}-{c.pk}"])
                for c in question.choices.all()
                if post.get(f"{name}-{c.pk}", "").isdigit()
            },
        }
    return given


@dataclass
class AnswerFeedback:
    question: Question
    answer: QuizAnswer | None
    verdict: str  # "right", "partly", "wrong", "unscored"
    choice_feedback: list[str]

    @property
    def earned(self) -> Decimal:
        if self.answer is None or self.answer.points is None:
            return Decimal(0)
        return self.answer.points


def _verdict(question, answer) -> str:
    if not question.is_scored:
        return "unscored"
    fraction = answer.fraction if answer is not None else None
    if fraction is None or fraction <= 0:
        return "wrong"
    return "right" if fraction >= 1 else "partly"


def attempt_feedback(attempt: QuizAttempt, questions: list[Question]) -> list[AnswerFeedback]:
    """Per question: how the answer fared and the feedback the methodist wrote for the choices
    picked (or, for typed answers, for the key the answer met) and for the question."""
    answers = {a.question_id: a for a in attempt.answers.all()}
    rows = []
    for question in questions:
        answer = answers.get(question.pk)
        picked = set(answer.selected) if answer else set()
        if answer is not None:
            picked |= {int(k) for k, v in answer.matches.items() if int(k) == v}
        notes = [c.feedback for c in question.choices.all() if c.pk in picked and c.feedback]
        if question.feedback:
            notes.append(question.feedback)
        rows.append(AnswerFeedback(question, answer, _verdict(question, answer), notes))
    return rows


def attempts_of(user, quiz: Quiz):
    return QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("number")
