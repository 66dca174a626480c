"""Benchmark: grouping 100,000 scored teachers of 1,000 schools on PostgreSQL.

Issue target: the run finishes in under 10 seconds.

Needs DATABASE_URL (PostgreSQL). It writes into that database: bench schools, teachers, one round
of the ready instrument with scored responses and area scores (made with INSERT ... SELECT over
generate_series, so setting up takes seconds, not minutes), and removes them at the end unless
--keep is given (then a later call with the same sizes reuses them).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ustaz_grouping
    .venv/bin/python bench/grouping.py [--teachers 100000] [--schools 1000] [--repeat 3]
        [--strategy level|weakest_area] [--mentors] [--language] [--scope school|district]

Each repetition times two runs of the `group_teachers` task (called in-process, as a worker
would run it, commit included): a first grouping of a round without groups (every membership is
inserted), then a re-run after 5% of the teachers got new scores (only the rows that change are
rewritten). Both load in one query, plan in Python and write in one transaction.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.summary import emit  # noqa: E402
from diagnostics.demo import ready_instrument  # noqa: E402
from diagnostics.grouping.tasks import group_teachers  # noqa: E402
from diagnostics.models import GroupingRun, GroupMembership, Response, Round  # noqa: E402
from lms.models import School  # noqa: E402

BENCH_PREFIX = "BENCH-GRP-"
ROUND_TITLE = "Bench grouping"
DISTRICTS = 50


def make_data(teachers: int, schools: int) -> Round:
    instrument = ready_instrument()
    framework = instrument.framework
    levels = list(framework.levels.order_by("position").values_list("pk", flat=True))
    areas = list(framework.areas.order_by("position").values_list("pk", flat=True))
    now = timezone.now()
    with transaction.atomic():
        School.objects.bulk_create(
            School(
                name=f"Bench school {i}",
                region="Bench region",
                district=f"Bench district {i % DISTRICTS}",
                code=f"{BENCH_PREFIX}{i:05d}",
            )
            for i in range(schools)
        )
        school_ids = list(
            School.objects.filter(code__startswith=BENCH_PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        round_ = Round.objects.create(
            instrument=instrument,
            title=ROUND_TITLE,
            opens_at=now - timedelta(days=30),
            closes_at=now - timedelta(days=1),
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")
            cursor.execute(
                """
                INSERT INTO lms_user (password, is_superuser, email, full_name, role, school_id,
                                      subject, preferred_language, is_active, date_joined)
                SELECT '!', false, 'bench-grp-' || g || '@bench.example', 'Bench teacher ' || g,
                       'teacher', (%(schools)s::int[])[1 + g %% %(count)s], 'Mathematics',
                       CASE WHEN g %% 3 = 0 THEN 'ru' ELSE 'kk' END, true, now()
                FROM generate_series(1, %(teachers)s) AS g
                """,
                {"schools": school_ids, "count": len(school_ids), "teachers": teachers},
            )
            # A skewed spread of readiness, like a real region: few teachers at the top.
            cursor.execute(
                """
                INSERT INTO diagnostics_response (round_id, instrument_id, teacher_id, status,
                    language, started_at, submitted_at, scored_at, percent, level_id)
                SELECT %(round)s, %(instrument)s, u.id, 'scored', '', now(), now(), now(), p,
                       (%(levels)s::bigint[])[LEAST(%(n_levels)s, 1 + floor(p / 25)::int)]
                FROM (SELECT id, round((100 * power(random(), 1.4))::numeric, 2) AS p
                      FROM lms_user WHERE email LIKE 'bench-grp-%%') AS u
                """,
                {
                    "round": round_.pk,
                    "instrument": instrument.pk,
                    "levels": levels,
                    "n_levels": len(levels),
                },
            )
            cursor.execute(
                """
                INSERT INTO diagnostics_areascore (response_id, area_id, part, points, max_points,
                                                   percent)
                SELECT r.id, a.id, 'all', s.p, 100, s.p
                FROM diagnostics_response r
                CROSS JOIN unnest(%(areas)s::bigint[]) AS a(id)
                CROSS JOIN LATERAL (SELECT round((100 * random())::numeric, 2) AS p
                                    WHERE a.id IS NOT NULL) AS s
                WHERE r.round_id = %(round)s
                """,
                {"areas": areas, "round": round_.pk},
            )
    with connection.cursor() as cursor:
        for table in ("lms_user", "lms_school", "diagnostics_response", "diagnostics_areascore"):
            cursor.execute(f"ANALYZE {table}")  # noqa: S608 - fixed table names
    return round_


def clean_up() -> None:
    round_ids = list(Round.objects.filter(title=ROUND_TITLE).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        # Raw deletes: the ORM would load 600,000 rows to cascade.
        for table, column in (
            ("diagnostics_groupmembership", "round_id"),
            ("diagnostics_studygroup", "round_id"),
            ("diagnostics_groupingrun", "round_id"),
        ):
            cursor.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", [round_ids])  # noqa: S608
        cursor.execute(
            "DELETE FROM diagnostics_areascore WHERE response_id IN "
            "(SELECT id FROM diagnostics_response WHERE round_id = ANY(%s))",
            [round_ids],
        )
        cursor.execute("DELETE FROM diagnostics_response WHERE round_id = ANY(%s)", [round_ids])
        cursor.execute("DELETE FROM lms_user WHERE email LIKE 'bench-grp-%%'")
    Round.objects.filter(pk__in=round_ids).delete()
    School.objects.filter(code__startswith=BENCH_PREFIX).delete()


def clear_groups(round_: Round) -> None:
    """Forget the round's groups, so the next run is a first grouping."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM diagnostics_groupmembership WHERE round_id = %s", [round_.pk])
        cursor.execute("DELETE FROM diagnostics_studygroup WHERE round_id = %s", [round_.pk])
        cursor.execute("VACUUM ANALYZE diagnostics_groupmembership")
        cursor.execute("VACUUM ANALYZE diagnostics_studygroup")


def change_scores(round_: Round, *, share: float, seed: int) -> None:
    """New scores for a share of the teachers, as a rescoring would leave them."""
    levels = list(
        round_.instrument.framework.levels.order_by("position").values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed / (seed + 1.0)])
        cursor.execute(
            """
            UPDATE diagnostics_response SET percent = p,
                level_id = (%(levels)s::bigint[])[LEAST(%(n)s, 1 + floor(p / 25)::int)]
            FROM (SELECT id, round((100 * random())::numeric, 2) AS p
                  FROM diagnostics_response WHERE round_id = %(round)s AND random() < %(share)s)
                 AS changed
            WHERE diagnostics_response.id = changed.id
            """,
            {"levels": levels, "n": len(levels), "round": round_.pk, "share": share},
        )


def timed_run(round_: Round, options: dict, label: str) -> float:
    run = GroupingRun.objects.create(round=round_, **options)
    started = time.monotonic()
    group_teachers(run.pk)
    seconds = time.monotonic() - started
    run.refresh_from_db()
    print(f"{label}: {seconds:.2f} s  {run.summary}")
    return seconds


def existing_round(teachers: int, schools: int) -> Round | None:
    round_ = Round.objects.filter(title=ROUND_TITLE).first()
    if round_ is None:
        return None
    same = (
        Response.objects.filter(round=round_).count() == teachers
        and School.objects.filter(code__startswith=BENCH_PREFIX).count() == schools
    )
    return round_ if same else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--strategy", choices=["level", "weakest_area"], default="level")
    parser.add_argument("--scope", choices=["school", "district"], default="school")
    parser.add_argument("--mentors", action="store_true")
    parser.add_argument("--language", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the bench data for next time")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("set DATABASE_URL to a PostgreSQL database")

    round_ = existing_round(args.teachers, args.schools)
    if round_ is None:
        clean_up()
        started = time.monotonic()
        round_ = make_data(args.teachers, args.schools)
        print(
            f"data: {args.teachers} scored teachers, {args.schools} schools "
            f"in {time.monotonic() - started:.1f} s"
        )
    options = {
        "scope": args.scope,
        "strategy": args.strategy,
        "mentors": args.mentors,
        "keep_language_together": args.language,
    }
    timings = {"first": [], "rerun": []}
    try:
        for repetition in range(args.repeat):
            clear_groups(round_)
            timings["first"].append(timed_run(round_, options, "first grouping"))
            change_scores(round_, share=0.05, seed=repetition)
            timings["rerun"].append(timed_run(round_, options, "re-run, 5% rescored"))
        placed = GroupMembership.objects.filter(round=round_).count()
        assert placed == args.teachers, (placed, args.teachers)
    finally:
        if not args.keep:
            clean_up()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"\n{args.teachers} teachers, {args.schools} schools, strategy={args.strategy}, "
        f"scope={args.scope}, mentors={args.mentors}, language={args.language}"
    )
    for name, values in timings.items():
        print(
            f"{name}: best {min(values):.2f} s, median {statistics.median(values):.2f} s, "
            f"worst {max(values):.2f} s over {len(values)} runs"
        )
    print(f"PostgreSQL {server}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    for name, values in timings.items():
        label = f"{args.teachers:,} teachers: {name} grouping, best s"
        emit("grouping", label, min(values), "< 10", min(values) < 10)


if __name__ == "__main__":
    main()
