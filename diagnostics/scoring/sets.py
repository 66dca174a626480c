"""Scoring responses in sets: answer points, area scores, totals, levels and attitude flags.

Every step is one SQL statement over a batch of responses (UPDATE ... FROM, INSERT ... SELECT
... GROUP BY; the statements are in diagnostics/scoring/sql.py): four statements a batch, so
scoring 10,000 responses costs about a hundred statements, not hundreds of thousands. The rules
are the kinds' (diagnostics/kinds/), stated in Python and as SQL; tests check that both agree.
Scoring a batch twice gives the same rows: derived rows are rebuilt inside the batch's
transaction and protected by unique constraints.
"""

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from diagnostics.models import AreaScore, AttitudeScale, Question, Response, ScaleScore
from diagnostics.scoring.sql import (
    AREA_SCORES_SQL,
    PERCENT,
    RESPONSES_SQL,
    SCALE_SCORES_SQL,
    answer_points_statement,
    id_list,
    index_joins,
    level_of,
    priced_only,
    sql,
)

BATCH_SIZE = settings.SCORING_BATCH_SIZE
Part = Question.Part


def _price_answers(cursor, ids: list[int], *, only_unpriced: bool) -> None:
    statement, params = answer_points_statement(ids, only_unpriced=only_unpriced)
    cursor.execute(statement, params)


def answers_price(*, response_ids: list[int]) -> None:
    """Price every answer of these responses by the instrument's current keys."""
    with connection.cursor() as cursor, index_joins(cursor):
        _price_answers(cursor, response_ids, only_unpriced=False)


def _score_areas(cursor, ids: list[int]) -> None:
    params = {
        "self_assessment": Part.SELF_ASSESSMENT,
        "knowledge": Part.KNOWLEDGE,
        "all": AreaScore.Part.ALL,
        "ids": id_list(ids),
    }
    statement = sql(
        AREA_SCORES_SQL,
        answer_priced=priced_only("a.kind", params),
        question_priced=priced_only("kind", params),
        part_percent=PERCENT.format(points="points", most="max_points"),
        area_percent=PERCENT.format(points="SUM(points)", most="SUM(max_points)"),
        area_level=level_of("area_total", "b.area_id = area_total.area_id"),
    )
    cursor.execute(statement, params)


def _score_attitude_scales(cursor, ids: list[int]) -> None:
    statement = sql(
        SCALE_SCORES_SQL,
        scale_percent=PERCENT.format(
            points="SUM(a.points)", most="SUM(CASE WHEN a.points IS NOT NULL THEN a.weight END)"
        ),
    )
    cursor.execute(
        statement,
        {
            "above": AttitudeScale.FlagWhen.AT_OR_ABOVE,
            "below": AttitudeScale.FlagWhen.AT_OR_BELOW,
            "attitude": Part.ATTITUDE,
            "ids": id_list(ids),
        },
    )


def _score_responses(cursor, ids: list[int]) -> None:
    statement = sql(
        RESPONSES_SQL,
        total_percent=PERCENT.format(points="points", most="max_points"),
        total_level=level_of("totals", "b.area_id IS NULL"),
    )
    cursor.execute(
        statement,
        {
            "scored": Response.Status.SCORED,
            "now": timezone.now(),
            "all": AreaScore.Part.ALL,
            "ids": id_list(ids),
        },
    )


# --- batches ---------------------------------------------------------------------------------


def _lock(queryset):
    # Row locks claim the work: a second worker skips what the first holds, and a worker that
    # dies mid-batch releases its rows (the transaction rolls back) for the next one.
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


def _score_locked(ids: list[int], *, reprice: bool) -> int:
    if not ids:
        return 0
    # Derived rows are rebuilt, so scoring twice gives the same rows.
    AreaScore.objects.filter(response_id__in=ids).delete()
    ScaleScore.objects.filter(response_id__in=ids).delete()
    with connection.cursor() as cursor, index_joins(cursor):
        _price_answers(cursor, ids, only_unpriced=not reprice)
        _score_areas(cursor, ids)
        _score_attitude_scales(cursor, ids)
        _score_responses(cursor, ids)
    # Every id was just claimed under a row lock, so every one of them is now scored.
    return len(ids)


def responses_score(*, response_ids: list[int], rescore: bool = False) -> int:
    """Score these responses (submitted ones; scored ones too when re-scoring); returns count."""
    statuses = [Response.Status.SUBMITTED] + ([Response.Status.SCORED] if rescore else [])
    scored = 0
    for start in range(0, len(response_ids), BATCH_SIZE):
        chunk = response_ids[start : start + BATCH_SIZE]
        with transaction.atomic():
            ids = list(
                _lock(Response.objects.filter(pk__in=chunk, status__in=statuses)).values_list(
                    "pk", flat=True
                )
            )
            scored += _score_locked(ids, reprice=rescore)
    return scored


def waiting_responses_score(*, limit: int | None = None) -> int:
    """Score every submitted response, oldest first, batch by batch, until none is waiting."""
    scored = 0
    while limit is None or scored < limit:
        with transaction.atomic():
            waiting = _lock(
                Response.objects.filter(status=Response.Status.SUBMITTED).order_by(
                    "submitted_at", "pk"
                )
            ).values_list("pk", flat=True)[:BATCH_SIZE]
            ids = list(waiting)
            if not ids:
                break
            scored += _score_locked(ids, reprice=False)
    return scored
