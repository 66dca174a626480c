"""Benchmark: item statistics of a round of 10,000 (or 100,000) teachers x 45 questions.

Runs against whatever database the environment configures (SQLite by default; set DATABASE_URL
for PostgreSQL). Everything happens inside a transaction that is rolled back, so the database is
left as it was. Builds a combined instrument (30 knowledge questions, 15 self-assessment items in
5 areas) and --respondents scored responses whose answers follow a simple item response model, so
the statistics have something to find; then measures, best and worst of --repeat runs:
  - reading the matrix: the questions and the one LEFT JOIN query over responses and answers;
  - the whole service, round_statistics_compute (read, numpy, store the report as JSON).

    .venv/bin/python bench/item_stats.py [--respondents 10000] [--repeat 3]
"""

import argparse
import os
import platform
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.summary import emit  # noqa: E402
from diagnostics.item_stats.report import (  # noqa: E402
    read_score_table,
    round_statistics_compute,
    scored_questions,
)
from diagnostics.models import (  # noqa: E402
    Answer,
    Area,
    Framework,
    Instrument,
    Question,
    Response,
    Round,
)
from lms.models import School, User  # noqa: E402
from lms.roles import Role  # noqa: E402

KNOWLEDGE_QUESTIONS = 30
SURVEY_ITEMS = 15
AREAS = 5
SURVEY_WEIGHT = 4  # a 1-5 rating scale earns 0-4 points
SURVEY_SKIPPED = 0.03  # share of survey items a teacher leaves unanswered
RESPONSES_PER_CHUNK = 2000  # keeps at most ~90,000 Answer objects in memory at a time


class Rollback(Exception):
    pass


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def create_instrument() -> tuple[Instrument, list[Question]]:
    framework = Framework.objects.create(code="bench-framework", name="Bench")
    areas = [
        Area.objects.create(framework=framework, code=f"area-{i}", position=i, name=f"Area {i}")
        for i in range(AREAS)
    ]
    instrument = Instrument.objects.create(
        framework=framework, code="bench", kind=Instrument.Kind.COMBINED, title="Bench"
    )
    questions = [
        Question(
            instrument=instrument,
            area=areas[i % AREAS],
            code=f"k{i + 1:02d}",
            position=i,
            part=Question.Part.KNOWLEDGE,
            kind=Question.Kind.SINGLE,
            text=f"Knowledge question {i + 1}",
            weight=Decimal(1 + i % 2),
        )
        for i in range(KNOWLEDGE_QUESTIONS)
    ] + [
        Question(
            instrument=instrument,
            area=areas[i % AREAS],
            code=f"s{i + 1:02d}",
            position=KNOWLEDGE_QUESTIONS + i,
            part=Question.Part.SELF_ASSESSMENT,
            kind=Question.Kind.LIKERT,
            scale_min=1,
            scale_max=5,
            text=f"Self-assessment item {i + 1}",
            weight=Decimal(SURVEY_WEIGHT),
        )
        for i in range(SURVEY_ITEMS)
    ]
    return instrument, Question.objects.bulk_create(questions)


def simulated_points(respondents: int, questions: list[Question], rng) -> np.ndarray:
    """A two-parameter logistic model for the test, a noisy rating of the same ability for the
    survey; NaN for a skipped survey item. The last knowledge question is pure noise, so the
    statistics have a low-discrimination item to flag."""
    ability = rng.normal(size=(respondents, 1))
    weights = np.array([float(q.weight) for q in questions])
    knowledge = slice(0, KNOWLEDGE_QUESTIONS)
    survey = slice(KNOWLEDGE_QUESTIONS, None)
    difficulty = rng.uniform(-2, 2, KNOWLEDGE_QUESTIONS)
    slope = rng.uniform(0.5, 2.0, KNOWLEDGE_QUESTIONS)
    slope[-1] = 0.0
    correct = rng.random((respondents, KNOWLEDGE_QUESTIONS)) < 1 / (
        1 + np.exp(-slope * (ability - difficulty))
    )
    points = np.empty((respondents, len(questions)))
    points[:, knowledge] = correct * weights[knowledge]
    rating = np.rint(2 + 0.8 * ability + rng.normal(0, 0.8, (respondents, SURVEY_ITEMS)))
    points[:, survey] = np.clip(rating, 0, SURVEY_WEIGHT)
    points[:, survey][rng.random((respondents, SURVEY_ITEMS)) < SURVEY_SKIPPED] = np.nan
    return points


def create_responses(round_: Round, questions: list[Question], points: np.ndarray) -> int:
    school = School.objects.create(name="Bench school", region="R", district="D", code="BENCH")
    weights = np.array([float(q.weight) for q in questions])
    percents = 100 * np.nansum(points, axis=1) / weights.sum()
    unusable_password = make_password(None)  # nobody signs in
    answers = 0
    for start in range(0, len(points), RESPONSES_PER_CHUNK):
        rows = range(start, min(start + RESPONSES_PER_CHUNK, len(points)))
        teachers = User.objects.bulk_create(
            User(
                email=f"bench{row}@school.example",
                full_name=f"Teacher {row}",
                role=Role.TEACHER,
                school=school,
                password=unusable_password,
            )
            for row in rows
        )
        responses = Response.objects.bulk_create(
            Response(
                round=round_,
                instrument_id=round_.instrument_id,
                teacher=teacher,
                status=Response.Status.SCORED,
                submitted_at=round_.opens_at,
                scored_at=round_.opens_at,
                percent=Decimal(f"{percents[row]:.2f}"),
            )
            for row, teacher in zip(rows, teachers, strict=True)
        )
        created = Answer.objects.bulk_create(
            (
                Answer(response=response, question=question, points=Decimal(int(value)))
                for row, response in zip(rows, responses, strict=True)
                for question, value in zip(questions, points[row], strict=True)
                if not np.isnan(value)
            ),
            batch_size=5000,
        )
        answers += len(created)
    return answers


def analyse_tables() -> None:
    # In production autovacuum has analysed the tables; freshly filled ones have no statistics
    # and PostgreSQL would plan the join blind. ANALYZE sees this transaction's own rows.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE diagnostics_response, diagnostics_answer")


def run(respondents: int, repeat: int) -> dict:
    results = {"read": [], "service": []}
    try:
        with transaction.atomic():
            start = time.perf_counter()
            instrument, questions = create_instrument()
            now = timezone.now()
            round_ = Round.objects.create(
                instrument=instrument,
                title="Bench round",
                opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=1),
            )
            points = simulated_points(respondents, questions, np.random.default_rng(2026))
            results["answers"] = create_responses(round_, questions, points)
            analyse_tables()
            results["setup"] = time.perf_counter() - start
            for _ in range(repeat):
                results["read"].append(
                    timed(
                        lambda: read_score_table(
                            round=round_, questions=scored_questions(round=round_)
                        )
                    )
                )
                results["service"].append(timed(lambda: round_statistics_compute(round=round_)))
            results["report"] = round_.item_statistics.data
            raise Rollback
    except Rollback:
        pass
    return results


def database_description() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def print_summary(report: dict) -> None:
    knowledge = report["parts"]["knowledge"]["statistics"]
    survey = report["parts"]["self_assessment"]["statistics"]
    flagged = [item["key"] for item in knowledge["items"] if item["flags"]]
    print(
        f"check: knowledge alpha {knowledge['reliability']['alpha']:.3f}, "
        f"survey alpha {survey['reliability']['alpha']:.3f}, flagged {', '.join(flagged) or '-'}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = run(args.respondents, args.repeat)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f", numpy {np.__version__}"
    )
    print(f"database: {database_description()}")
    print(
        f"respondents: {args.respondents}, questions: {KNOWLEDGE_QUESTIONS + SURVEY_ITEMS}, "
        f"answers: {results['answers']}, setup (not timed below): {results['setup']:.0f} s"
    )
    print(f"runs: {args.repeat} (best / worst, seconds)")
    for key in ("read", "service"):
        values = results[key]
        print(f"  {key:<8} {min(values):6.2f} / {max(values):6.2f}")
    print_summary(results["report"])
    name = f"item statistics ({database_description().split()[0]})"
    emit(name, f"{args.respondents:,} respondents: the whole service, best s",
         min(results["service"]))  # fmt: skip
    emit(name, "reading the matrix, best s", min(results["read"]))


if __name__ == "__main__":
    main()
