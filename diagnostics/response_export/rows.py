"""The rows of a round's export, read in a fixed number of queries and bounded memory.

Five queries stream side by side, each ordered by response: the responses, their answers, the
choices picked in them, their area scores and their attitude-scale scores. The rows are joined
in Python as they arrive (a merge join), so a round of 100,000 responses costs the same five
queries as a round of ten, and only one response's answers are held at a time. On PostgreSQL
each query is a server-side cursor read `CHUNK` rows at a time.
"""

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from diagnostics.kinds import GivenAnswer, kind_for
from diagnostics.models import Answer, AnswerChoice, AreaScore, Response, ScaleScore
from diagnostics.response_export.codes import school_code, teacher_code
from diagnostics.response_export.plan import ExportPlan

CHUNK = 2000
HUNDREDTH = Decimal("0.01")


class Percent(Decimal):
    """A percent, two decimals: written "33.33" in CSV and shown as 0.00 in XLSX."""


def percent(value) -> Percent | None:
    if value is None:
        return None
    return Percent(Decimal(value).quantize(HUNDREDTH, rounding=ROUND_HALF_UP))


class _Stream:
    """Rows of one query, ordered by response id (their first value), taken response by
    response in ascending order."""

    def __init__(self, rows):
        self._rows = iter(rows)
        self._next = next(self._rows, None)

    def take(self, response_id: int) -> list[tuple]:
        # Rows of responses not in the file (their status changed between the queries) are
        # passed over.
        while self._next is not None and self._next[0] < response_id:
            self._next = next(self._rows, None)
        taken = []
        while self._next is not None and self._next[0] == response_id:
            taken.append(self._next)
            self._next = next(self._rows, None)
        return taken


def export_rows(plan: ExportPlan) -> Iterator[list]:
    """One list of cell values per response, in the order of `plan.header`: numbers as int,
    Decimal or Percent, text as str, nothing answered as None."""
    of_round = {"round": plan.round, "status__in": plan.statuses}
    through_response = {f"response__{key}": value for key, value in of_round.items()}
    responses = (
        Response.objects.filter(**of_round)
        .order_by("pk")
        .values_list(
            "pk",
            "teacher_id",
            "teacher__school_id",
            "teacher__full_name",
            "teacher__school__name",
            "language",
            "status",
            "submitted_at",
            "percent",
            "level__code",
        )
    )
    answers = _Stream(
        Answer.objects.filter(**through_response)
        .order_by("response_id")
        .values_list("response_id", "question_id", "number", "text")
        .iterator(chunk_size=CHUNK)
    )
    picked = _Stream(
        AnswerChoice.objects.filter(**{f"answer__{k}": v for k, v in through_response.items()})
        .order_by("answer__response_id")
        .values_list("answer__response_id", "answer__question_id", "choice_id", "matched_choice_id")
        .iterator(chunk_size=CHUNK)
    )
    area_scores = _Stream(
        AreaScore.objects.filter(part=AreaScore.Part.ALL, **through_response)
        .order_by("response_id")
        .values_list("response_id", "area_id", "percent")
        .iterator(chunk_size=CHUNK)
    )
    scale_scores = _Stream(
        ScaleScore.objects.filter(**through_response)
        .order_by("response_id")
        .values_list("response_id", "scale_id", "percent")
        .iterator(chunk_size=CHUNK)
    )
    questions = {q.pk: q for q in plan.questions}
    # What each question's cell is asked of: its kind and its choices, looked up once.
    cells = [(q, kind_for(q), list(q.choices.all())) for q in plan.questions]
    for row in responses.iterator(chunk_size=CHUNK):
        (pk, teacher_id, school_id, name, school, language, status, submitted, total, level) = row
        given = _given_answers(questions, answers.take(pk), picked.take(pk))
        areas = {area_id: value for _r, area_id, value in area_scores.take(pk)}
        scales = {scale_id: value for _r, scale_id, value in scale_scores.take(pk)}
        names = [name, school or ""] if plan.include_names else []
        yield [
            pk,
            teacher_code(teacher_id),
            school_code(school_id),
            *names,
            language,
            status,
            timezone.localtime(submitted).isoformat(timespec="seconds") if submitted else None,
            *(
                kind.export_value(q, choices, given[q.pk]) if q.pk in given else None
                for q, kind, choices in cells
            ),
            *(percent(areas.get(area.pk)) for area in plan.areas),
            percent(total),
            level,
            *(percent(scales.get(scale.pk)) for scale in plan.scales),
        ]


def _given_answers(questions: dict, answers: list, picked: list) -> dict[int, GivenAnswer]:
    given = {
        question_id: GivenAnswer(questions[question_id], number=number, text=text)
        for _r, question_id, number, text in answers
        if question_id in questions
    }
    for _r, question_id, choice_id, matched_id in picked:
        if question_id not in given:
            continue
        if matched_id is None:
            given[question_id].selected.append(choice_id)
        else:
            given[question_id].matches[choice_id] = matched_id
    return given
