"""Benchmark: exporting a big round's responses (CSV and XLSX) for a statistics package.

What must hold: the number of queries does not grow with the round (a fixed set of streams),
Python's memory stays bounded (one response at a time, XLSX rows written to disk), and a round
of 10,000 responses of the ready instrument exports in well under a minute.

It writes into the configured database (SQLite by default, or DATABASE_URL): a bench school,
teachers, a round of the ready instrument with answered and scored responses; removed at the end.

    .venv/bin/python bench/response_export.py [--responses 10000]
"""

import argparse
import os
import platform
import random
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.summary import emit  # noqa: E402
from diagnostics.demo import _answer_all, ready_instrument  # noqa: E402
from diagnostics.models import Response, Round  # noqa: E402
from diagnostics.response_export import Which, csv_lines, export_plan, xlsx_file  # noqa: E402
from diagnostics.scoring import responses_score  # noqa: E402
from diagnostics.taking.pages import instrument_questions  # noqa: E402
from lms.models import School, User  # noqa: E402
from lms.roles import Role  # noqa: E402

BENCH_CODE = "BENCH-EXPORT"
BATCH = 500


def create_round(count: int) -> Round:
    school = School.objects.create(name="Bench export school", code=BENCH_CODE)
    password = make_password(None)
    User.objects.bulk_create(
        User(
            email=f"bench-export{i}@bench.example",
            full_name=f"Bench {i}",
            role=Role.TEACHER,
            school=school,
            password=password,
        )
        for i in range(count)
    )
    teachers = list(User.objects.filter(school=school).order_by("pk"))
    instrument = ready_instrument()
    questions = instrument_questions(instrument)
    now = timezone.now()
    round_ = Round.objects.create(
        title="Bench export round",
        instrument=instrument,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    rng = random.Random(0)
    for start in range(0, count, BATCH):
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                Response(
                    round=round_,
                    instrument=instrument,
                    teacher=teacher,
                    status=Response.Status.SUBMITTED,
                    submitted_at=now,
                    language="kk",
                )
                for teacher in teachers[start : start + BATCH]
            )
            for response in responses:
                _answer_all(response, questions, rng.uniform(0.1, 0.9), rng)
        responses_score(response_ids=[r.pk for r in responses])
    return round_


def measure(name: str, export) -> dict:
    """Time without tracing, then Python's peak memory with tracemalloc (which slows it down)."""
    reset_queries()  # DEBUG's log of the set-up's queries is full; count from empty
    started, cpu = time.monotonic(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        size = export()
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    tracemalloc.start()
    export()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "file": name,
        "seconds": elapsed,
        "cpu": cpu,
        "queries": len(queries),
        "peak_mib": peak / 2**20,
        "mib": size / 2**20,
    }


def run(round_: Round) -> list[dict]:
    def csv_export() -> int:
        plan = export_plan(round_=round_, include_names=False, which=Which.FINISHED)
        return sum(len(line.encode()) for line in csv_lines(plan))

    def xlsx_export() -> int:
        plan = export_plan(round_=round_, include_names=False, which=Which.FINISHED)
        with xlsx_file(plan) as file:
            return len(file.read())

    return [measure("CSV", csv_export), measure("XLSX", xlsx_export)]


def clean_up():
    rounds = Round.objects.filter(title="Bench export round")
    Response.objects.filter(round__in=rounds).delete()
    rounds.delete()
    school = School.objects.filter(code=BENCH_CODE).first()
    if school is not None:
        User.objects.filter(school=school).delete()
        school.delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10000)
    parser.add_argument("--keep", action="store_true", help="leave the bench round in place")
    parser.add_argument("--reuse", action="store_true", help="export the round left by --keep")
    args = parser.parse_args()
    round_ = Round.objects.filter(title="Bench export round").first() if args.reuse else None
    if round_ is None:
        clean_up()
    try:
        if round_ is None:
            started = time.monotonic()
            round_ = create_round(args.responses)
            took = time.monotonic() - started
            print(f"created and scored {args.responses} responses in {took:.0f} s")
        questions = round_.instrument.questions.count()
        print(f"{round_.responses.count()} responses of {questions} questions")
        print(f"database: {connection.vendor}; Python {platform.python_version()}")
        for row in run(round_):
            print(
                f"{row['file']:5} {row['seconds']:6.1f} s (Python CPU {row['cpu']:5.1f} s)  "
                f"{row['queries']:3d} queries  "
                f"peak Python memory {row['peak_mib']:6.1f} MiB  file {row['mib']:6.1f} MiB"
            )
            name = f"response export {row['file']}"
            emit(name, f"{args.responses:,} responses: s", row["seconds"])
            emit(name, "queries", row["queries"])
            emit(name, "peak Python memory MiB", row["peak_mib"])
    finally:
        if not args.keep:
            clean_up()


if __name__ == "__main__":
    main()
