"""The statements of set-based scoring, and what every one of them shares.

Each statement works on one batch of responses. The price of an answer is one CASE over the
question kinds, built from each kind's `sql_fraction` (diagnostics/kinds/), so a new kind is
scored in SQL by declaring its expression; kinds that are never priced (free text) are left out
of the prices and of the maxima.
"""

import json
from contextlib import contextmanager

from django.db import connection

from diagnostics.kinds.base import SQL_CLAMP
from diagnostics.kinds.registry import all_kinds
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

TABLES = {
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


def id_list(ids: list[int]):
    return list(ids) if connection.vendor == "postgresql" else json.dumps(list(ids))


def sql(template: str, **extra) -> str:
    materialized = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    batch_answers = _BATCH_ANSWERS.format(materialized=materialized, in_batch=_IN_BATCH, **TABLES)
    return template.format(
        in_batch=_IN_BATCH,
        batch_answers=batch_answers,
        materialized=materialized,
        **TABLES,
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
def index_joins(cursor):
    if connection.vendor != "postgresql":  # SQLite always joins through nested loops
        yield
        return
    # One statement to read, one to set, one to restore (a submit prices one response per
    # request: its statements are counted).
    cursor.execute(
        "SELECT " + ", ".join(f"current_setting('{name}')" for name in _INDEX_JOIN_SETTINGS)
    )
    previous = cursor.fetchone()
    settings_sql = "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in _INDEX_JOIN_SETTINGS)
    cursor.execute(settings_sql, [v for name in _INDEX_JOIN_SETTINGS for v in (name, "off")])
    try:
        yield
    finally:
        cursor.execute(
            settings_sql,
            [v for pair in zip(_INDEX_JOIN_SETTINGS, previous, strict=True) for v in pair],
        )


# --- which kinds are priced ------------------------------------------------------------------


def _kind_test(column: str, codes: list[str], params: dict, prefix: str, *, negate=False) -> str:
    names = []
    for code in codes:
        name = f"{prefix}_{len(params)}"
        params[name] = code
        names.append(f"%({name})s")
    if len(names) == 1:
        return f"{column} {'<>' if negate else '='} {names[0]}"
    return f"{column} {'NOT IN' if negate else 'IN'} ({', '.join(names)})"


def priced_only(column: str, params: dict) -> str:
    """`AND <column> is a priced kind`, or nothing when every kind is priced."""
    unpriced = [kind.code for kind in all_kinds() if not kind.priced]
    if not unpriced:
        return ""
    return "AND " + _kind_test(column, unpriced, params, "unpriced", negate=True)


# --- answer points -------------------------------------------------------------------------
# Answers are priced when the teacher submits (response_submit, in its transaction), so a burst
# of submissions leaves the background task only the sums; scoring prices whatever is still
# unpriced, and re-scoring prices everything again. One UPDATE writes each answer once (a
# rewritten row costs far more than the lookups that price it); the CASE evaluates only its own
# kind's subquery, each an index lookup (the answer's selections, the question's choices).

_ANSWER_POINTS_SQL = """
UPDATE {answer} SET points = ROUND(CAST(q.weight * (CASE
{branches}
    END) AS NUMERIC), 4)
FROM {question} q
WHERE {answer}.response_id {in_batch} AND q.id = {answer}.question_id
  {priced} {only_unpriced}
"""


def answer_points_statement(ids: list[int], *, only_unpriced: bool) -> tuple[str, dict]:
    """The UPDATE that prices the batch's answers, with its parameters."""
    params: dict = {}
    # Kinds that price alike (the choice kinds) share one WHEN.
    by_expression: dict[str, list[str]] = {}
    for kind in all_kinds():
        if kind.priced:
            by_expression.setdefault(kind.sql_fraction, []).append(kind.code)
    branches = "\n".join(
        f"    WHEN {_kind_test('q.kind', codes, params, 'kind')} THEN {expression}"
        for expression, codes in by_expression.items()
    )
    template = _ANSWER_POINTS_SQL.replace("{branches}", branches)
    statement = sql(
        template,
        priced=priced_only("q.kind", params),
        only_unpriced=f"AND {TABLES['answer']}.points IS NULL" if only_unpriced else "",
        clamp_sum=SQL_CLAMP.format(x="SUM(c.credit)"),
        clamp_max=SQL_CLAMP.format(x="MAX(c.credit)"),
    )
    params["ids"] = id_list(ids)
    return statement, params


# --- area scores, totals, levels -----------------------------------------------------------


# The level of a score is the band with the highest threshold the score reaches.
_LEVEL_OF = """(
    SELECT b.level_id FROM {band} b JOIN {instrument} i ON i.id = b.instrument_id
    WHERE b.instrument_id = {scored}.instrument_id AND {area_condition}
      AND b.min_score <= CASE WHEN i.threshold_unit = 'points'
                              THEN {scored}.points ELSE {scored}.percent END
    ORDER BY b.min_score DESC
    LIMIT 1)"""

# A percent to two places, rounded half up, the same on SQLite and PostgreSQL. Points carry at
# most four decimals and maxima (sums of weights) two, so with P = points * 10^4 and
# M = most * 10^2 as integers the percent is exactly P / M, and in hundredths, rounded half up,
# (200 P + M) div (2 M). Integer division truncates alike on both databases (points are never
# negative); dividing the stored values instead truncated on SQLite (20 of 88 gave 22.00, not
# 22.73), and a float ROUND there rounds binary fractions, not decimal ones.
PERCENT = """(CAST((200 * CAST(ROUND({points} * 10000) AS BIGINT)
                    + CAST(ROUND({most} * 100) AS BIGINT))
                   / (2 * CAST(ROUND({most} * 100) AS BIGINT)) AS NUMERIC) / 100.0)"""

# Every area score of the batch in one INSERT. Per (response, area, part) the points earned and
# the maximum come from one GROUP BY over the answers plus one "zero earned" row per question
# group, so unanswered questions count as zero and no large set is ever joined to another (a
# join the planner got the wrong way round once cost 27 s a batch). The "all" rows of each area
# sum its parts and carry the area's level.
AREA_SCORES_SQL = """
WITH {batch_answers},
batch_responses AS {materialized} (SELECT id, instrument_id FROM {response} WHERE id {in_batch}),
parts AS (
    SELECT response_id, instrument_id, area_id, part,
           SUM(points) AS points, SUM(max_points) AS max_points
    FROM (
        SELECT a.response_id, a.instrument_id, a.area_id, a.part, a.points, 0 AS max_points
        FROM batch_answers a
        WHERE a.part IN (%(self_assessment)s, %(knowledge)s) {answer_priced}
        UNION ALL
        SELECT r.id, m.instrument_id, m.area_id, m.part, 0, m.max_points
        FROM batch_responses r JOIN (
            SELECT instrument_id, area_id, part, SUM(weight) AS max_points FROM {question}
            WHERE part IN (%(self_assessment)s, %(knowledge)s) {question_priced}
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
RESPONSES_SQL = """
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
SCALE_SCORES_SQL = """
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


def level_of(scored: str, area_condition: str) -> str:
    return _LEVEL_OF.format(scored=scored, area_condition=area_condition, **TABLES)
