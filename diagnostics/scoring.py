"""Scoring responses in sets: answer points, area scores, totals, levels and attitude flags.

Every step is one SQL statement over a batch of responses (UPDATE ... FROM, INSERT ... SELECT
... GROUP BY): four statements a batch, so scoring 10,000 responses costs about a hundred
statements, not hundreds of thousands. The rules are those of diagnostics/rules.py, which
states them in Python for one answer; tests check that both agree. Scoring a batch twice gives
the same rows: derived rows are rebuilt inside the batch's transaction and protected by unique
constraints.
"""

import json
from contextlib import contextmanager

from django.db import connection, transaction
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
Kind = Question.Kind
Part = Question.Part


_TABLES = {
    "answer": Answer._meta.db_table,
    "answer_choice": AnswerChoice._meta.db_table,
    "choice": Choice._meta.db_table,
    "question": Question._meta.db_table,
    "response": Response._meta.db_table,
    "area_score": AreaScore._meta.db_table,
    "scale_score": ScaleScore._meta.db_table,
    "scale": AttitudeScale._meta.db_table,
    "band": LevelBand._meta.db_table,
    "instrument": Instrument._meta.db_table,
}


# The batch's ids reach every statement as one parameter: an array that PostgreSQL looks up in
# the response index in one index scan (`= ANY`), whatever its statistics say, or a JSON list on
# SQLite. (Joined as a set, or stamped on the responses as a token, they left the plan to the
# statistics, and a fresh or stale table got a nested loop over every answer: minutes a batch.)
if connection.vendor == "postgresql":
    _IN_BATCH = "= ANY(CAST(%(ids)s AS bigint[]))"
else:
    _IN_BATCH = "IN (SELECT value FROM json_each(%(ids)s))"

# The batch's answers with their questions, read on their own through the response index
# before anything else is joined: with a fresh table's statistics PostgreSQL otherwise fetched
# every answer of each question (across all responses) and filtered the batch out of them.
# (SQLite materialises on its own and knows the keyword only since 3.35.)
_BATCH_ANSWERS = """batch_answers AS {materialized} (
    SELECT a.response_id, a.points, q.instrument_id, q.area_id, q.scale_id, q.part, q.kind,
           q.weight
    FROM {answer} a JOIN {question} q ON q.id = a.question_id
    WHERE a.response_id {in_batch})"""


def _id_list(ids: list[int]):
    return list(ids) if connection.vendor == "postgresql" else json.dumps(list(ids))


def _sql(template: str, **extra) -> str:
    materialized = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    batch_answers = _BATCH_ANSWERS.format(materialized=materialized, in_batch=_IN_BATCH, **_TABLES)
    return template.format(
        in_batch=_IN_BATCH,
        batch_answers=batch_answers,
        materialized=materialized,
        **_TABLES,
        **extra,
    )


# A batch is a few hundred responses among millions of answers: the right plan walks the
# indexes from the batch's ids. Statistics taken before a burst of submissions can make
# PostgreSQL scan the whole answer table instead (0.3-0.4 s a statement instead of a few
# hundredths, measured with 10,000 waiting responses), so these statements run without
# sequential scans, hash joins (which, inside the per-answer subqueries, rebuilt a hash of
# every choice for each answer) and merge joins (which read whole tables in index order).
_INDEX_JOIN_SETTINGS = ("enable_seqscan", "enable_hashjoin", "enable_mergejoin")


@contextmanager
def _index_joins(cursor):
    if connection.vendor != "postgresql":  # SQLite always joins through nested loops
        yield
        return
    cursor.execute(
        "SELECT " + ", ".join(f"current_setting('{name}')" for name in _INDEX_JOIN_SETTINGS)
    )
    previous = cursor.fetchone()
    for name in _INDEX_JOIN_SETTINGS:
        cursor.execute("SELECT set_config(%s, 'off', true)", [name])
    try:
        yield
    finally:
        for name, value in zip(_INDEX_JOIN_SETTINGS, previous, strict=True):
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


# --- answer points -------------------------------------------------------------------------
# Answers are priced when the teacher submits (response_submit, in its transaction), so a burst
# of submissions leaves the background task only the sums; scoring prices whatever is still
# unpriced, and re-scoring prices everything again. One UPDATE writes each answer once (a
# rewritten row costs far more than the lookups that price it); the CASE evaluates only its own
# kind's subquery, each an index lookup (the answer's selections, the question's choices). Only
# matching answers carry matched pairs (diagnostics/answers.py refuses any other), so selections
# are summed without a condition on them: one that PostgreSQL could answer from the index of
# "no match" rows, which it once did for every answer, reading that whole index each time.

_CLAMP = "CASE WHEN {x} < 0 THEN 0 WHEN {x} > 1 THEN 1 ELSE {x} END"

_ANSWER_POINTS_SQL = """
UPDATE {answer} SET points = ROUND(CAST(q.weight * (CASE
    WHEN q.kind IN ({selection}) THEN (
        SELECT {clamp_sum} FROM {answer_choice} ac JOIN {choice} c ON c.id = ac.choice_id
        WHERE ac.answer_id = {answer}.id)
    WHEN q.kind = %(likert)s THEN
        (CASE WHEN q.reverse_coded THEN q.scale_max - {answer}.number
              ELSE {answer}.number - q.scale_min END)
        / (1.0 * (q.scale_max - q.scale_min))
    WHEN q.kind = %(numerical)s THEN COALESCE((
        SELECT {clamp_max} FROM {choice} c
        WHERE c.question_id = q.id AND c.value IS NOT NULL
          AND {answer}.number BETWEEN c.value - c.tolerance AND c.value + c.tolerance), 0)
    WHEN q.kind = %(short_answer)s THEN COALESCE((
        SELECT {clamp_max} FROM {choice} c
        WHERE c.question_id = q.id AND c.answer_key <> '' AND c.answer_key = {answer}.text_key
        ), 0)
    -- Matching: the share of prompts (credit > 0; distractors have none) paired with their
    -- own match, which the prompt's own row carries.
    WHEN q.kind = %(matching)s THEN COALESCE((
        SELECT 1.0 * COUNT(*) FROM {answer_choice} ac
        WHERE ac.answer_id = {answer}.id AND ac.matched_choice_id = ac.choice_id) / (
        SELECT NULLIF(COUNT(*), 0) FROM {choice} c WHERE c.question_id = q.id AND c.credit > 0
        ), 0)
    END) AS NUMERIC), 4)
FROM {question} q
WHERE {answer}.response_id {in_batch} AND q.id = {answer}.question_id
  AND q.kind <> %(free_text)s {only_unpriced}
"""


def _price_answers(cursor, ids: list[int], *, only_unpriced: bool) -> None:
    selection = ", ".join(f"%(selection_{i})s" for i in range(len(SELECTION_KINDS)))
    sql = _sql(
        _ANSWER_POINTS_SQL,
        only_unpriced=f"AND {_TABLES['answer']}.points IS NULL" if only_unpriced else "",
        selection=selection,
        clamp_sum=_CLAMP.format(x="SUM(c.credit)"),
        clamp_max=_CLAMP.format(x="MAX(c.credit)"),
    )
    params = {f"selection_{i}": kind for i, kind in enumerate(sorted(SELECTION_KINDS))}
    params.update(
        likert=Kind.LIKERT,
        numerical=Kind.NUMERICAL,
        short_answer=Kind.SHORT_ANSWER,
        matching=Kind.MATCHING,
        free_text=Kind.FREE_TEXT,
        ids=_id_list(ids),
    )
    cursor.execute(sql, params)


def answers_price(*, response_ids: list[int]) -> None:
    """Price every answer of these responses by the instrument's current keys."""
    with connection.cursor() as cursor, _index_joins(cursor):
        _price_answers(cursor, response_ids, only_unpriced=False)


# --- area scores, totals, levels -----------------------------------------------------------


# The level of a score is the band with the highest threshold the score reaches.
_LEVEL_OF = """(
    SELECT b.level_id FROM {band} b JOIN {instrument} i ON i.id = b.instrument_id
    WHERE b.instrument_id = {scored}.instrument_id AND {area_condition}
      AND b.min_score <= CASE WHEN i.threshold_unit = 'points'
                              THEN {scored}.points ELSE {scored}.percent END
    ORDER BY b.min_score DESC
    LIMIT 1)"""

_PERCENT = "ROUND(CAST(100 * {points} / {most} AS NUMERIC), 2)"

# Every area score of the batch in one INSERT. Per (response, area, part) the points earned and
# the maximum come from one GROUP BY over the answers plus one "zero earned" row per question
# group, so unanswered questions count as zero and no large set is ever joined to another (a
# join the planner got the wrong way round once cost 27 s a batch). The "all" rows of each area
# sum its parts and carry the area's level.
_AREA_SCORES_SQL = """
WITH {batch_answers},
batch_responses AS {materialized} (SELECT id, instrument_id FROM {response} WHERE id {in_batch}),
parts AS (
    SELECT response_id, instrument_id, area_id, part,
           SUM(points) AS points, SUM(max_points) AS max_points
    FROM (
        SELECT a.response_id, a.instrument_id, a.area_id, a.part, a.points, 0 AS max_points
        FROM batch_answers a
        WHERE a.part IN (%(self_assessment)s, %(knowledge)s) AND a.kind <> %(free_text)s
        UNION ALL
        SELECT r.id, m.instrument_id, m.area_id, m.part, 0, m.max_points
        FROM batch_responses r JOIN (
            SELECT instrument_id, area_id, part, SUM(weight) AS max_points FROM {question}
            WHERE part IN (%(self_assessment)s, %(knowledge)s) AND kind <> %(free_text)s
              AND weight > 0
            GROUP BY instrument_id, area_id, part
        ) m ON m.instrument_id = r.instrument_id
    ) earned_and_most
    GROUP BY response_id, instrument_id, area_id, part
    HAVING SUM(max_points) > 0
)
INSERT INTO {area_score} (response_id, area_id, part, points, max_points, percent, level_id)
SELECT response_id, area_id, part, points, max_points, {part_percent}, NULL FROM parts
UNION ALL
SELECT response_id, area_id, %(all)s, points, max_points, percent, {area_level}
FROM (
    SELECT response_id, instrument_id, area_id, SUM(points) AS points,
           SUM(max_points) AS max_points, {area_percent} AS percent
    FROM parts GROUP BY response_id, instrument_id, area_id
) area_total
"""

# The totals, percent and level of every response of the batch, and its new status, in one
# UPDATE: a response row is rewritten once, not once per figure.
_RESPONSES_SQL = """
WITH sums AS {materialized} (
    SELECT r.id AS response_id, r.instrument_id,
           COALESCE((SELECT SUM(s.points) FROM {area_score} s
                     WHERE s.response_id = r.id AND s.part = %(all)s), 0) AS points,
           COALESCE((SELECT SUM(s.max_points) FROM {area_score} s
                     WHERE s.response_id = r.id AND s.part = %(all)s), 0) AS max_points
    FROM {response} r WHERE r.id {in_batch}
), totals AS {materialized} (
    SELECT response_id, instrument_id, points, max_points,
           CASE WHEN max_points > 0 THEN {total_percent} ELSE 0 END AS percent
    FROM sums
)
UPDATE {response} SET points = t.points, max_points = t.max_points, percent = t.percent,
       level_id = t.level_id, status = %(scored)s, scored_at = %(now)s
FROM (SELECT response_id, points, max_points, percent, {total_level} AS level_id FROM totals) t
WHERE {response}.id = t.response_id
"""

# Attitude scales: the mean of the answered items (unanswered ones are left out), flagged where
# the scale's own rule says so.
_SCALE_SCORES_SQL = """
WITH {batch_answers}
INSERT INTO {scale_score} (response_id, scale_id, percent, flagged)
SELECT t.response_id, t.scale_id, t.percent,
       CASE WHEN (s.flag_when = %(above)s AND t.percent >= s.flag_percent)
              OR (s.flag_when = %(below)s AND t.percent <= s.flag_percent)
            THEN 1 = 1 ELSE 1 = 0 END
FROM (
    SELECT a.response_id, a.scale_id, {scale_percent} AS percent
    FROM batch_answers a
    WHERE a.part = %(attitude)s AND a.weight > 0
    GROUP BY a.response_id, a.scale_id
    HAVING COUNT(a.points) > 0
) t JOIN {scale} s ON s.id = t.scale_id
"""


def _level_of(scored: str, area_condition: str) -> str:
    return _LEVEL_OF.format(scored=scored, area_condition=area_condition, **_TABLES)


def _score_areas(cursor, ids: list[int]) -> None:
    sql = _sql(
        _AREA_SCORES_SQL,
        part_percent=_PERCENT.format(points="points", most="max_points"),
        area_percent=_PERCENT.format(points="SUM(points)", most="SUM(max_points)"),
        area_level=_level_of("area_total", "b.area_id = area_total.area_id"),
    )
    cursor.execute(
        sql,
        {
            "self_assessment": Part.SELF_ASSESSMENT,
            "knowledge": Part.KNOWLEDGE,
            "free_text": Kind.FREE_TEXT,
            "all": AreaScore.Part.ALL,
            "ids": _id_list(ids),
        },
    )


def _score_attitude_scales(cursor, ids: list[int]) -> None:
    sql = _sql(
        _SCALE_SCORES_SQL,
        scale_percent=_PERCENT.format(
            points="SUM(a.points)", most="SUM(CASE WHEN a.points IS NOT NULL THEN a.weight END)"
        ),
    )
    cursor.execute(
        sql,
        {
            "above": AttitudeScale.FlagWhen.AT_OR_ABOVE,
            "below": AttitudeScale.FlagWhen.AT_OR_BELOW,
            "attitude": Part.ATTITUDE,
            "ids": _id_list(ids),
        },
    )


def _score_responses(cursor, ids: list[int]) -> None:
    sql = _sql(
        _RESPONSES_SQL,
        total_percent=_PERCENT.format(points="points", most="max_points"),
        total_level=_level_of("totals", "b.area_id IS NULL"),
    )
    cursor.execute(
        sql,
        {
            "scored": Response.Status.SCORED,
            "now": timezone.now(),
            "all": AreaScore.Part.ALL,
            "ids": _id_list(ids),
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
    with connection.cursor() as cursor, _index_joins(cursor):
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
