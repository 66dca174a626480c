"""Item statistics of a round of diagnosis, kept as JSON in ItemStatisticsReport.

The numbers come from diagnostics/item_stats/compute.py (pure numpy); this module reads the
round's scored answers from the database into a respondents x questions matrix and stores what
comes out.
The knowledge test and the self-assessment survey are analysed apart: their items measure
different things, and an unanswered test question scores 0 while a skipped survey item is missing.

Stored data (``ItemStatisticsReport.data``):

    {
      "version": 1,
      "min_respondents": 2,
      "too_few_respondents": false,
      "clipped_answers": 0,
      "total_histogram": [{"lower_percent": 0.0, "upper_percent": 10.0, "count": 3}, ...],
      "parts": {
        "knowledge": {"thresholds": {...}, "weights": {"q1": 1.0, ...},
                      "statistics": InstrumentStatistics.as_dict()} | null,
        "self_assessment": ... | null,
      },
    }

A part is null when the instrument has no scored question of that part, or when there are too
few respondents to compute anything.
"""

import dataclasses
from dataclasses import dataclass

import numpy as np
from django.db import connections
from django.db.models import FilteredRelation, FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from diagnostics.item_stats.compute import compute_instrument_statistics
from diagnostics.item_stats.definitions import (
    HISTOGRAM_BINS,
    KNOWLEDGE_TEST_THRESHOLDS,
    SURVEY_THRESHOLDS,
    FlagThresholds,
    ItemSpec,
)
from diagnostics.models import ItemStatisticsReport, Question, Response, Round

REPORT_VERSION = 1
# With one respondent there is no variance: no SD, no discrimination, no alpha.
MIN_RESPONDENTS = 2
# Answers fetched per round trip: 20,000 rows of four numbers are a few megabytes of tuples.
FETCH_CHUNK_ROWS = 20_000
# Keeps a percentage a hair below a bin edge (69.99999999999999 for 70) in the bin it belongs to.
_BIN_EDGE_NOISE = 1e-9

# How each part is analysed: (missing answer scores the minimum, flag thresholds).
PART_SETTINGS: dict[str, tuple[bool, FlagThresholds]] = {
    Question.Part.KNOWLEDGE.value: (True, KNOWLEDGE_TEST_THRESHOLDS),
    Question.Part.SELF_ASSESSMENT.value: (False, SURVEY_THRESHOLDS),
}


@dataclass(frozen=True)
class ScoredQuestion:
    pk: int
    code: str
    part: str
    weight: float
    area_code: str


@dataclass(frozen=True)
class ScoreTable:
    """Every scored response of a round against every scored question, NaN where unanswered."""

    questions: tuple[ScoredQuestion, ...]
    points: np.ndarray  # respondents x questions
    total_percents: np.ndarray  # Response.percent per respondent, NaN if unset


def round_statistics_compute(*, round: Round) -> ItemStatisticsReport:
    """Compute the item statistics of a round and store them; running it twice gives one row."""
    questions = scored_questions(round=round)
    table = read_score_table(round=round, questions=questions)
    respondents = table.points.shape[0]
    points, clipped = _clip_to_weights(table.points, questions)
    too_few = respondents < MIN_RESPONDENTS
    data = {
        "version": REPORT_VERSION,
        "min_respondents": MIN_RESPONDENTS,
        "too_few_respondents": too_few,
        "clipped_answers": clipped,
        "total_histogram": percent_histogram(table.total_percents),
        "parts": {
            part: None if too_few else _part_statistics(part, questions, points)
            for part in PART_SETTINGS
        },
    }
    report, _created = ItemStatisticsReport.objects.update_or_create(
        round=round,
        defaults={"computed_at": timezone.now(), "respondents": respondents, "data": data},
    )
    return report


def scored_questions(*, round: Round) -> tuple[ScoredQuestion, ...]:
    """The questions that earn points, in the instrument's order.

    A question of weight 0 can earn nothing (its facility would divide by a zero range), free
    text is never scored, and attitude items are reported as scale flags, not statistics.
    """
    rows = (
        Question.objects.filter(
            instrument_id=round.instrument_id, part__in=list(PART_SETTINGS), weight__gt=0
        )
        .exclude(kind=Question.Kind.FREE_TEXT)
        .order_by("position", "pk")
        .values_list("pk", "code", "part", "weight", "area__code")
    )
    return tuple(
        ScoredQuestion(pk=pk, code=code, part=part, weight=float(weight), area_code=area_code)
        for pk, code, part, weight, area_code in rows
    )


def read_score_table(*, round: Round, questions) -> ScoreTable:
    """One query: the round's scored responses LEFT JOIN their answers to these questions.

    A response with no answer to any of them still comes back (once, with NULL question): it
    counts as a respondent, scoring 0 on the knowledge test. Points are read as floats, which
    spares building a Decimal per answer (4.5 million of them for a region).
    """
    question_ids = [question.pk for question in questions]
    # With no question, join no answer: an empty IN () would make Django drop every response.
    joined = Q(answers__question_id__in=question_ids) if question_ids else Q(answers__isnull=True)
    rows = (
        Response.objects.scored()
        .filter(round=round)
        .annotate(scored_answer=FilteredRelation("answers", condition=joined))
        .order_by("pk", "scored_answer__question_id")
        .values_list(
            "pk",
            Cast("percent", FloatField()),
            "scored_answer__question_id",
            Cast("scored_answer__points", FloatField()),
        )
    )
    return _score_table(_fetch_floats(rows, columns=4), questions)


def _fetch_floats(queryset, columns: int) -> np.ndarray:
    """The rows of a values_list of numbers as a float array, NULL as NaN.

    Runs the queryset's own SQL on a plain cursor: Django's per-row converters (float() of a
    float, for every cell) took a third of the time on 4.5 million rows and change nothing here.
    The rows come in chunks through a server-side cursor on PostgreSQL (what .iterator() uses),
    so a region's answers are never held as millions of Python tuples at once.
    """
    sql, params = queryset.query.sql_with_params()
    chunks = [np.empty((0, columns))]
    with connections[queryset.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_CHUNK_ROWS):
            chunks.append(np.array(rows, dtype=float))
    return np.concatenate(chunks)


def _score_table(rows: np.ndarray, questions) -> ScoreTable:
    response_ids, first_row, respondent_of_row = np.unique(
        rows[:, 0], return_index=True, return_inverse=True
    )
    points = np.full((len(response_ids), len(questions)), np.nan)
    question_ids = np.array([question.pk for question in questions], dtype=float)
    order = np.argsort(question_ids)
    answered = ~np.isnan(rows[:, 2])
    columns = order[np.searchsorted(question_ids, rows[answered, 2], sorter=order)]
    points[respondent_of_row[answered], columns] = rows[answered, 3]
    return ScoreTable(questions=tuple(questions), points=points, total_percents=rows[first_row, 1])


def _clip_to_weights(points: np.ndarray, questions) -> tuple[np.ndarray, int]:
    """Points within [0, weight], and how many were not.

    Scoring clamps points at 0 and a choice earns at most the weight, so anything outside is a
    scoring defect; it is counted in the report rather than let one bad cell stop the statistics.
    """
    weights = np.array([question.weight for question in questions], dtype=float)
    clipped = np.clip(points, 0.0, weights)
    changed = ~np.isnan(points) & (clipped != points)
    return clipped, int(np.count_nonzero(changed))


def _part_statistics(part: str, questions, points: np.ndarray) -> dict | None:
    columns = [index for index, question in enumerate(questions) if question.part == part]
    if not columns:
        return None
    missing_as_min, thresholds = PART_SETTINGS[part]
    items = [
        ItemSpec(
            key=questions[column].code,
            min_score=0.0,
            max_score=questions[column].weight,
            area=questions[column].area_code,
        )
        for column in columns
    ]
    statistics = compute_instrument_statistics(
        points[:, columns], items, missing_as_min=missing_as_min, thresholds=thresholds
    )
    return {
        "thresholds": dataclasses.asdict(thresholds),
        "weights": {item.key: item.max_score for item in items},
        "statistics": statistics.as_dict(),
    }


def percent_histogram(percents: np.ndarray, bins: int = HISTOGRAM_BINS) -> list[dict]:
    """Equal-width bins of total percentages; each bin holds its lower edge, the last also 100.

    The same bins as item_stats' part histograms, so the two read alike.
    """
    present = percents[~np.isnan(percents)]
    bin_index = np.floor(present * bins / 100 + _BIN_EDGE_NOISE).astype(int)
    bin_index = np.clip(bin_index, 0, bins - 1)
    counts = np.bincount(bin_index, minlength=bins)
    width = 100 / bins
    return [
        {"lower_percent": index * width, "upper_percent": (index + 1) * width, "count": int(n)}
        for index, n in enumerate(counts)
    ]
