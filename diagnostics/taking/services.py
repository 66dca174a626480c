import logging

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diagnostics.kinds.answers import GivenAnswer, missing_required
from diagnostics.kinds.registry import kind_for
from diagnostics.models import Answer, AnswerChoice, Question, Response, Round
from diagnostics.scoring.sets import answers_price
from diagnostics.scoring.tasks import scoring_request

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


def _answer_row(response: Response, given: GivenAnswer) -> Answer:
    return Answer(
        response=response,
        question=given.question,
        number=given.number,
        text=given.text,
        text_key=given.text_key,
    )


def answers_insert(*, response: Response, answers: list[GivenAnswer]) -> None:
    """Write answer rows and their chosen options (the caller checked and cleared the way)."""
    rows = Answer.objects.bulk_create(_answer_row(response, given) for given in answers)
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


# An autosave names the few questions it sends; for up to this many the lock's query also reads
# their stored answers' ids, so that the write needs neither an upsert for an option answer
# already there nor a delete of options never stored.
STORED_LOOKUP_LIMIT = 10


def response_lock(response_id: int, *, teacher, question_ids=()) -> Response:
    """The teacher's response, locked, with its round and instrument: one query (the caller is
    inside a transaction). The lock keeps a second tab saving at the same moment from
    interleaving its rows with ours, and a submit from slipping in between the check and the
    write. With `question_ids` (a few), `response.stored` maps each to its stored answer's id
    (None: no answer stored)."""
    ids = sorted(set(question_ids))[: STORED_LOOKUP_LIMIT + 1]
    lookups = {}
    if 0 < len(ids) <= STORED_LOOKUP_LIMIT:
        lookups = {
            f"stored_{question_id}": Subquery(
                Answer.objects.filter(response=OuterRef("pk"), question_id=question_id).values(
                    "pk"
                )[:1]
            )
            for question_id in ids
        }
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("round", "instrument")
        .annotate(**lookups)
        .get(pk=response_id, teacher=teacher)
    )
    if lookups:
        response.stored = {q: getattr(response, f"stored_{q}") for q in ids}
    return response


def answers_replace(*, response: Response, answers: list[GivenAnswer]) -> None:
    """Replace the stored answers to these questions with the given ones (the caller holds the
    response's lock and checked it is a draft): one upsert of the answers, and for questions with
    options one delete and one insert of the chosen options; a cleared answer is one delete more.
    When the lock read the stored answers (`response.stored`), what is not needed is left out:
    an option answer already stored keeps its row, options never stored are not deleted.
    """
    stored = getattr(response, "stored", None)
    if stored is not None and not {g.question.pk for g in answers} <= stored.keys():
        stored = None
    kept = [g for g in answers if not g.is_empty]
    cleared = [g.question.pk for g in answers if g.is_empty]
    with_options = [g.question.pk for g in answers if _has_options(g)]
    if stored is None:
        if with_options:
            # The options chosen before, of these questions only (one DELETE with a subquery).
            AnswerChoice.objects.filter(
                answer__response=response, answer__question_id__in=with_options
            ).delete()
    else:
        before = [stored[q] for q in with_options if stored[q] is not None]
        if before:
            AnswerChoice.objects.filter(answer_id__in=before).delete()
        cleared = [q for q in cleared if stored[q] is not None]
    if cleared:
        # Their options are gone above; no row points at these answers any more, so one plain
        # DELETE (the ORM's delete() would first read the rows to cascade).
        Answer.objects.filter(response=response, question_id__in=cleared)._raw_delete(
            Answer.objects.db
        )
    if not kept:
        return
    # An option answer already stored keeps its row (it holds nothing but its options).
    rows = {
        g.question.pk: stored[g.question.pk]
        for g in kept
        if stored is not None and stored[g.question.pk] is not None and _options_only(g)
    }
    upsert = [g for g in kept if g.question.pk not in rows]
    if upsert:
        written = Answer.objects.bulk_create(
            [_answer_row(response, given) for given in upsert],
            update_conflicts=True,
            unique_fields=["response", "question"],
            update_fields=["number", "text", "text_key", "points"],
        )
        rows.update({row.question_id: row.pk for row in written})
    choices = [
        AnswerChoice(answer_id=rows[given.question.pk], choice_id=choice_id)
        for given in kept
        for choice_id in given.selected
    ] + [
        AnswerChoice(answer_id=rows[given.question.pk], choice_id=prompt, matched_choice_id=matched)
        for given in kept
        for prompt, matched in given.matches.items()
    ]
    if choices:
        AnswerChoice.objects.bulk_create(choices)


def _options_only(given: GivenAnswer) -> bool:
    """An answer that is its options alone (its row's number and text stay empty)."""
    return given.number is None and not given.text and _has_options(given)


def _has_options(given: GivenAnswer) -> bool:
    """Whether the answer is (or was) stored as chosen options."""
    return bool(given.selected or given.matches) or kind_for(given.question).stores_options


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


def response_submit_locked(*, response: Response, questions: list[Question]) -> list[Question]:
    """`response_submit` of a response the caller locked (`response_lock`) in its transaction."""
    _check_can_change(response)
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
