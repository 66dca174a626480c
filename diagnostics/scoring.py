"""Scoring responses in sets: answer points, area scores, totals, levels and attitude flags.

Every step is one SQL statement over a batch of responses (UPDATE ... FROM, upserts,
INSERT ... SELECT ... GROUP BY), so scoring 10,000 responses costs a few dozen statements, not
hundreds of thousands. The rules are those of diagnostics/rules.py, which states them in Python
for one answer; tests check that both agree. Scoring a batch twice gives the same rows: derived
rows are rebuilt inside the batch's transaction and protected by unique constraints.
"""

import secrets

from django.db import connection, transaction
from django.db.models import (
    F,
    Q,
    Sum,
)
from django.utils import timezone

from diagnostics.models import (
    Answer,
    AnswerChoice,
    AreaScore,
    AttitudeScale,
    Choice,
    Instrument,
    LevelBand,
    Question,
    Response,
    ScaleScore,
)
from diagnostics.rules import SELECTION_KINDS

BATCH_SIZE = 500
REFRESH_STATISTICS_EVERY = 2
Kind = Question.Kind
Part = Question.Part


# --- answer points -------------------------------------------------------------------------
# Each kind is one UPDATE ... FROM a pre-aggregated set (PostgreSQL, and SQLite since 3.33):
# joins, not a subquery per answer. Kinds where "no match" means zero are zeroed first.

# The credit sum is a subquery per answer on purpose: it is an index lookup whatever the
# planner believes, where a join with an aggregate can be planned the wrong way round.
_SELECTION_SQL = """
UPDATE {answer} SET points = ROUND(CAST(q.weight * (
        SELECT CASE WHEN SUM(c.credit) < 0 THEN 0 WHEN SUM(c.credit) > 1 THEN 1
                    ELSE SUM(c.credit) END
        FROM {answer_choice} ac JOIN {choice} c ON c.id = ac.choice_id
        WHERE ac.answer_id = {answer}.id AND ac.matched_choice_id IS NULL) AS NUMERIC), 4)
FROM {question} q
WHERE q.id = {answer}.question_id AND q.kind IN ({kinds}) AND {answer}.response_id IN ({ids})
"""

# 1.0 * keeps SQLite from dividing integers as integers (3 / 4 = 0).
_LIKERT_SQL = """
UPDATE {answer} SET points = ROUND(CAST(q.weight * (CASE WHEN q.reverse_coded
        THEN (q.scale_max - {answer}.number) ELSE ({answer}.number - q.scale_min) END)
        / (1.0 * (q.scale_max - q.scale_min)) AS NUMERIC), 4)
FROM {question} q
WHERE q.id = {answer}.question_id AND q.kind = %s AND {answer}.number IS NOT NULL
  AND {answer}.response_id IN ({ids})
"""

_ZERO_SQL = """
UPDATE {answer} SET points = 0
FROM {question} q
WHERE q.id = {answer}.question_id AND q.kind IN ({kinds}) AND {answer}.response_id IN ({ids})
"""

_NUMERICAL_SQL = """
UPDATE {answer} SET points = ROUND(CAST(q.weight * (CASE
        WHEN m.best < 0 THEN 0 WHEN m.best > 1 THEN 1 ELSE m.best END) AS NUMERIC), 4)
FROM (
    SELECT a2.id AS answer_id, MAX(c.credit) AS best
    FROM {answer} a2 JOIN {choice} c ON c.question_id = a2.question_id
    WHERE a2.response_id IN ({ids}) AND c.value IS NOT NULL AND a2.number IS NOT NULL
      AND a2.number BETWEEN c.value - c.tolerance AND c.value + c.tolerance
    GROUP BY a2.id
) m, {question} q
WHERE {answer}.id = m.answer_id AND q.id = {answer}.question_id AND q.kind = %s
  AND {answer}.response_id IN ({ids})
"""

_SHORT_ANSWER_SQL = """
UPDATE {answer} SET points = ROUND(CAST(q.weight * (CASE
        WHEN m.best < 0 THEN 0 WHEN m.best > 1 THEN 1 ELSE m.best END) AS NUMERIC), 4)
FROM (
    SELECT a2.id AS answer_id, MAX(c.credit) AS best
    FROM {answer} a2 JOIN {choice} c
      ON c.question_id = a2.question_id AND c.answer_key = a2.text_key
    WHERE a2.response_id IN ({ids}) AND c.answer_key <> ''
    GROUP BY a2.id
) m, {question} q
WHERE {answer}.id = m.answer_id AND q.id = {answer}.question_id AND q.kind = %s
  AND {answer}.response_id IN ({ids})
"""

# Matching: the share of prompts (credit > 0; distractors have none) paired with their own
# match, which the prompt's own row carries.
_MATCHING_SQL = """
UPDATE {answer} SET points = ROUND(CAST(q.weight * m.right_pairs / p.prompts AS NUMERIC), 4)
FROM (
    SELECT ac.answer_id, 1.0 * COUNT(*) AS right_pairs
    FROM {answer_choice} ac JOIN {answer} a2 ON a2.id = ac.answer_id
    WHERE a2.response_id IN ({ids}) AND ac.matched_choice_id = ac.choice_id
    GROUP BY ac.answer_id
) m, (
    SELECT question_id, COUNT(*) AS prompts FROM {choice}
    WHERE credit > 0 GROUP BY question_id
) p, {question} q
WHERE {answer}.id = m.answer_id AND p.question_id = {answer}.question_id
  AND q.id = {answer}.question_id AND q.kind = %s AND {answer}.response_id IN ({ids})
"""


def _score_answers(cursor, batch: int) -> None:
    selection = sorted(SELECTION_KINDS)
    kinds = ", ".join(["%s"] * len(selection))
    zeroed = [Kind.NUMERICAL, Kind.SHORT_ANSWER, Kind.MATCHING]
    cursor.execute(_sql(_SELECTION_SQL, kinds=kinds), [*selection, batch])
    cursor.execute(_sql(_LIKERT_SQL), [Kind.LIKERT, batch])
    cursor.execute(_sql(_ZERO_SQL, kinds="%s, %s, %s"), [*zeroed, batch])
    cursor.execute(_sql(_NUMERICAL_SQL), [batch, Kind.NUMERICAL, batch])
    cursor.execute(_sql(_SHORT_ANSWER_SQL), [batch, Kind.SHORT_ANSWER, batch])
    cursor.execute(_sql(_MATCHING_SQL), [batch, Kind.MATCHING, batch])


# --- area scores, totals, levels -----------------------------------------------------------

_TABLES = {
    "answer": Answer._meta.db_table,
    "answer_choice": AnswerChoice._meta.db_table,
    "choice": Choice._meta.db_table,
    "question": Question._meta.db_table,
    "response": Response._meta.db_table,
    "area_score": AreaScore._meta.db_table,
    "band": LevelBand._meta.db_table,
    "instrument": Instrument._meta.db_table,
}

# Per part, in two steps that stay index-driven whatever the planner's estimates: the grid of
# every (response, area, part) with its maximum and no points yet, then the points earned.
# Unanswered questions count as zero: the maximum of an area is every scored question in it.
_MAXIMA = """
    SELECT instrument_id, area_id, part, SUM(weight) AS max_points FROM {question}
    WHERE part IN (%s, %s) AND kind <> %s AND weight > 0
    GROUP BY instrument_id, area_id, part
"""

_GRID_SQL = """
INSERT INTO {area_score} (response_id, area_id, part, points, max_points, percent, level_id)
SELECT r.id, m.area_id, m.part, 0, m.max_points, 0, NULL
FROM {response} r JOIN ({maxima}) m ON m.instrument_id = r.instrument_id
WHERE r.scoring_batch = %s
"""

# An upsert, not an UPDATE ... FROM: each earned row probes the unique index, so no join order
# is left to the planner (which, misled by a fresh batch's statistics, rescanned the aggregate
# for every row: 27 s for one batch).
_EARNED_SQL = """
INSERT INTO {area_score} (response_id, area_id, part, points, max_points, percent, level_id)
SELECT a.response_id, q.area_id, q.part, SUM(a.points), 0, 0, NULL
FROM {answer} a JOIN {question} q ON q.id = a.question_id
WHERE a.response_id IN ({ids}) AND a.points IS NOT NULL AND q.part IN (%s, %s)
GROUP BY a.response_id, q.area_id, q.part
ON CONFLICT (response_id, area_id, part) DO UPDATE SET points = excluded.points,
    percent = ROUND(CAST(100 * excluded.points / {area_score}.max_points AS NUMERIC), 2)
"""

# Then each area over all its competence items, from the part rows just written.
_AREA_TOTALS_SQL = """
INSERT INTO {area_score} (response_id, area_id, part, points, max_points, percent, level_id)
SELECT response_id, area_id, %s, SUM(points), SUM(max_points),
       ROUND(CAST(100 * SUM(points) / SUM(max_points) AS NUMERIC), 2), NULL
FROM {area_score}
WHERE response_id IN ({ids}) AND part IN (%s, %s)
GROUP BY response_id, area_id
"""

# The level of a score is the band with the highest threshold the score reaches.
_LEVEL_OF = """
SELECT b.level_id FROM {band} b
JOIN {response} rr ON rr.instrument_id = b.instrument_id
JOIN {instrument} i ON i.id = rr.instrument_id
WHERE rr.id = {owner}.{response_column} AND {area_condition}
  AND b.min_score <= CASE WHEN i.threshold_unit = 'points'
                          THEN {owner}.points ELSE {owner}.percent END
ORDER BY b.min_score DESC
LIMIT 1
"""

_AREA_LEVELS_SQL = """
UPDATE {area_score} SET level_id = ({level_of})
WHERE response_id IN ({ids}) AND part = %s
"""

_TOTALS_SQL = """
UPDATE {response} SET
    points = (SELECT COALESCE(SUM(s.points), 0) FROM {area_score} s
              WHERE s.response_id = {response}.id AND s.part = %s),
    max_points = (SELECT COALESCE(SUM(s.max_points), 0) FROM {area_score} s
                  WHERE s.response_id = {response}.id AND s.part = %s)
WHERE id IN ({ids})
"""

_PERCENT_AND_LEVEL_SQL = """
UPDATE {response} SET
    percent = CASE WHEN max_points > 0
                   THEN ROUND(CAST(100 * points / max_points AS NUMERIC), 2) ELSE 0 END
WHERE id IN ({ids})
"""

_TOTAL_LEVEL_SQL = """
UPDATE {response} SET level_id = ({level_of}) WHERE id IN ({ids})
"""


# A batch is the responses stamped with one token: every statement joins on it, so each is an
# index-driven join whatever the batch size (a long IN (...) list can end up applied as a
# per-row filter, which made cost grow with the square of the batch).
_BATCH = "SELECT id FROM {response} WHERE scoring_batch = %s"


def _sql(template: str, **extra) -> str:
    return template.format(ids=_BATCH.format(**_TABLES), **_TABLES, **extra)


def _level_of(owner: str, response_column: str, area_condition: str) -> str:
    return _LEVEL_OF.format(
        owner=owner, response_column=response_column, area_condition=area_condition, **_TABLES
    )


def _score_areas_and_totals(cursor, ids: list[int], batch: int) -> None:
    competence = [Part.SELF_ASSESSMENT, Part.KNOWLEDGE]
    AreaScore.objects.filter(response_id__in=ids).delete()
    maxima = _MAXIMA.format(**_TABLES)
    cursor.execute(_sql(_GRID_SQL, maxima=maxima), [*competence, Kind.FREE_TEXT, batch])
    cursor.execute(_sql(_EARNED_SQL), [batch, *competence])
    cursor.execute(_sql(_AREA_TOTALS_SQL), [AreaScore.Part.ALL, batch, *competence])
    area_level = _level_of(
        _TABLES["area_score"], "response_id", f"b.area_id = {_TABLES['area_score']}.area_id"
    )
    cursor.execute(_sql(_AREA_LEVELS_SQL, level_of=area_level), [batch, AreaScore.Part.ALL])
    cursor.execute(_sql(_TOTALS_SQL), [AreaScore.Part.ALL, AreaScore.Part.ALL, batch])
    cursor.execute(_sql(_PERCENT_AND_LEVEL_SQL), [batch])
    total_level = _level_of(_TABLES["response"], "id", "b.area_id IS NULL")
    cursor.execute(_sql(_TOTAL_LEVEL_SQL, level_of=total_level), [batch])


# --- attitude scales -------------------------------------------------------------------------


def _score_attitude_scales(ids: list[int]) -> None:
    ScaleScore.objects.filter(response_id__in=ids).delete()
    # Unanswered attitude items are left out: the scale is the mean of what was answered.
    rows = (
        Answer.objects.filter(
            response_id__in=ids,
            question__part=Part.ATTITUDE,
            question__weight__gt=0,
            points__isnull=False,
        )
        .values("response_id", "question__scale_id")
        .annotate(earned=Sum("points"), most=Sum("question__weight"))
    )
    ScaleScore.objects.bulk_create(
        ScaleScore(
            response_id=row["response_id"],
            scale_id=row["question__scale_id"],
            percent=round(100 * row["earned"] / row["most"], 2),
        )
        for row in rows
    )
    above = Q(
        scale__flag_when=AttitudeScale.FlagWhen.AT_OR_ABOVE, percent__gte=F("scale__flag_percent")
    )
    below = Q(
        scale__flag_when=AttitudeScale.FlagWhen.AT_OR_BELOW, percent__lte=F("scale__flag_percent")
    )
    ScaleScore.objects.filter(response_id__in=ids).filter(above | below).update(flagged=True)


# --- batches ---------------------------------------------------------------------------------


def _lock(queryset):
    # Row locks claim the work: a second worker skips what the first holds, and a worker that
    # dies mid-batch releases its rows (the transaction rolls back) for the next one.
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


def _score_locked(ids: list[int]) -> int:
    if not ids:
        return 0
    batch = secrets.randbits(62)
    Response.objects.filter(pk__in=ids).update(scoring_batch=batch)
    with connection.cursor() as cursor:
        _score_answers(cursor, batch)
        _score_areas_and_totals(cursor, ids, batch)
    _score_attitude_scales(ids)
    return Response.objects.filter(pk__in=ids).update(
        status=Response.Status.SCORED, scored_at=timezone.now(), scoring_batch=None
    )


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
            scored += _score_locked(ids)
    return scored


def burst_waiting() -> bool:
    """More submissions wait than one batch holds (a whole school submitting at once)."""
    return Response.objects.waiting_for_scoring()[BATCH_SIZE : BATCH_SIZE + 1].exists()


def refresh_planner_statistics(*, models=None) -> None:
    # After a burst of submissions PostgreSQL's statistics still describe the tables as they
    # were; plans made from them can turn a 0.1 s batch into a 20 s one. ANALYZE samples a
    # fixed number of rows, so it costs a fraction of a second however large the tables are.
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models or (Answer, AnswerChoice, AreaScore, Response):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"ANALYZE {table}")  # noqa: S608 - a model's own table name


def waiting_responses_score(*, limit: int | None = None) -> int:
    """Score every submitted response, oldest first, batch by batch, until none is waiting."""
    scored = 0
    batches = 0
    while limit is None or scored < limit:
        if batches and batches % REFRESH_STATISTICS_EVERY == 0:
            # The score tables grow fast during a burst; plans made from statistics taken when
            # they were small degrade batch after batch.
            refresh_planner_statistics(models=(AreaScore, ScaleScore))
        batches += 1
        with transaction.atomic():
            waiting = _lock(
                Response.objects.filter(status=Response.Status.SUBMITTED).order_by(
                    "submitted_at", "pk"
                )
            ).values_list("pk", flat=True)[:BATCH_SIZE]
            ids = list(waiting)
            if not ids:
                break
            scored += _score_locked(ids)
    return scored
