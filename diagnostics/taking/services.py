import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diagnostics.kinds.answers import GivenAnswer, missing_required
from diagnostics.models import Answer, AnswerChoice, Question, Response, Round
from diagnostics.scoring.sets import answers_price
from diagnostics.scoring.tasks import scoring_request
from diagnostics.taking.storage import answer_row, answers_replace, response_lock

logger = logging.getLogger(__name__)


class TakingRefused(ValueError):
    """The round is closed, or the response was already submitted: nothing is changed."""


def _check_can_change(response: Response) -> None:
    if response.status != Response.Status.DRAFT:
        raise TakingRefused(_("This diagnosis has already been submitted; answers cannot change."))
    if not response.round.is_open():
        raise TakingRefused(_("This round of diagnosis is closed; answers can no longer change."))


def response_start(*, round: Round, teacher) -> Response:
    """The teacher's response in this round, created on first opening (one per round)."""
    if not round.is_open():
        raise TakingRefused(_("This round of diagnosis is not open."))
    response, _created = Response.objects.get_or_create(
        round=round,
        teacher=teacher,
        defaults={"instrument_id": round.instrument_id, "language": get_language() or ""},
    )
    return response


def answers_insert(*, response: Response, answers: list[GivenAnswer]) -> None:
    """Write answer rows and their chosen options (the caller checked and cleared the way)."""
    rows = Answer.objects.bulk_create(answer_row(response, given) for given in answers)
    AnswerChoice.objects.bulk_create(
        [
            AnswerChoice(answer=row, choice_id=choice_id)
            for row, given in zip(rows, answers, strict=True)
            for choice_id in given.selected
        ]
        + [
            AnswerChoice(answer=row, choice_id=prompt, matched_choice_id=matched)
            for row, given in zip(rows, answers, strict=True)
            for prompt, matched in given.matches.items()
        ]
    )


@transaction.atomic
def response_save_answers(*, response: Response, answers: list[GivenAnswer]) -> Response:
    """Replace the draft's answers to these questions with the given ones; returns the response
    as locked (its status and round read under the lock)."""
    response = response_lock(response.pk, teacher=response.teacher_id)
    response_save_locked(response=response, answers=answers)
    return response


def response_save_locked(*, response: Response, answers: list[GivenAnswer]) -> None:
    """Save into a response the caller locked (`response_lock`) in its transaction."""
    _check_can_change(response)
    answers_replace(response=response, answers=answers)


@transaction.atomic
def response_submit(*, response: Response, questions: list[Question]) -> list[Question]:
    """Submit the draft if every required question is answered; returns what is missing."""
    response = response_lock(response.pk, teacher=response.teacher_id)
    return response_submit_locked(response=response, questions=questions)


def response_submit_locked(
    *, response: Response, questions: list[Question], saved: list[GivenAnswer] = ()
) -> list[Question]:
    """`response_submit` of a response the caller locked (`response_lock`) in its transaction.
    `saved`: the answers the caller just stored in it; when they answer every required
    question, the stored ones need not be read."""
    _check_can_change(response)
    answered = {given.question.pk for given in saved if not given.is_empty}
    missing = missing_required(questions, answered)
    if missing:
        answered = set(response.answers.values_list("question_id", flat=True))
        missing = missing_required(questions, answered)
    if missing:
        return missing
    # Priced now, by the keys the submission locks in, so the background task only adds up.
    answers_price(response_ids=[response.pk])
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at"])
    transaction.on_commit(scoring_request)
    return []
