"""Benchmark: readiness reports over a region of 100,000 teachers (target: under 1 s).

Builds a region of 1,000 schools in 20 districts with 100 teachers each (100,000 teachers), a
round of the ready instrument for the whole region, a scored response for 90 % of the teachers
with every area score (6 areas x 3 parts = 1.62 million rows) and attitude scores, all with
INSERT ... SELECT over generate_series, commits them and runs VACUUM ANALYZE (what autovacuum
does in production). Then renders, through Django's test client as a methodist, the region page
(the region against every region, one row per district), the top page, a district page (one row
per school), a filtered region page, one school's report and the region's XLSX export, several
times each, and prints the median and the 95th percentile: "cold" with the cache of area means
emptied before every request (as after each newly scored response in an open round), "warm" as
a methodist clicking through a closed round. The bench rows are deleted at the end.

With --index it then creates the partial covering index proposed in docs/reports.md (only for
the run; the migration is the lead's) and measures again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ustaz_reports \\
        .venv/bin/python bench/reports.py [--schools 1000] [--per-school 100] [--repeat 15] \\
        [--index] [--keep]

PostgreSQL only (the data are generated in SQL). Use a database of its own: it writes there.
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
# "Cold" runs empty the cache: only this run's keys, never a shared Redis of someone else's.
os.environ["USTAZ_CACHE_KEY_PREFIX"] = f"ustaz-bench-{os.getpid()}-{time.time_ns()}"

import django  # noqa: E402
from psycopg2 import sql  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.summary import emit  # noqa: E402
from diagnostics.demo import ready_instrument  # noqa: E402
from diagnostics.models import Area, AttitudeScale, Round  # noqa: E402
from lms.cache_scope import clear_own_keys  # noqa: E402
from lms.models import School, User  # noqa: E402
from lms.roles import Role  # noqa: E402

REGION = "Bench region"
BENCH_ROUND = "Bench round"
DISTRICTS = 20
SUBJECTS = ["Mathematics", "Physics", "History", "Informatics", "Biology", "Primary"]


def build(schools: int, per_school: int) -> dict:
    instrument = ready_instrument()
    now = timezone.now()
    round_ = Round.objects.create(
        instrument=instrument,
        title=BENCH_ROUND,
        region=REGION,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=10),
    )
    School.objects.bulk_create(
        School(
            name=f"Bench school {i:04d}",
            region=REGION,
            district=f"District {i % DISTRICTS:02d}",
            code=f"BENCH-R-{i:05d}",
        )
        for i in range(schools)
    )
    areas = list(Area.objects.filter(framework=instrument.framework).values_list("pk", flat=True))
    scales = list(AttitudeScale.objects.filter(instrument=instrument).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO lms_user (password, is_superuser, email, full_name, role, subject,
                                  years_of_teaching, preferred_language, is_active, date_joined,
                                  school_id)
            SELECT '!', false, 'bench-r-' || s.id || '-' || n || '@bench.example',
                   'Bench teacher ' || s.id || '-' || n, %s,
                   (%s::text[])[1 + n %% cardinality(%s::text[])], n %% 35, 'kk', true, now(),
                   s.id
            FROM lms_school s, generate_series(1, %s) AS n
            WHERE s.code LIKE 'BENCH-R-%%'
            """,
            [Role.TEACHER, SUBJECTS, SUBJECTS, per_school],
        )
        # Percent: a teacher's ability (from the id) plus noise; 90 % have taken the round; the
        # level from the instrument's overall bands, as scoring sets it.
        cursor.execute(
            """
            INSERT INTO diagnostics_response (round_id, instrument_id, teacher_id, status,
                language, started_at, submitted_at, scored_at, points, max_points, percent,
                level_id)
            SELECT %s, %s, id, 'scored', 'kk', now(), now(), now(), p, 100, p,
                   (SELECT b.level_id FROM diagnostics_levelband b
                    WHERE b.instrument_id = %s AND b.area_id IS NULL AND b.min_score <= p
                    ORDER BY b.min_score DESC LIMIT 1)
            FROM (
                SELECT u.id, round((20 + (u.id * 7919 %% 60) + random() * 15)::numeric, 2) AS p
                FROM lms_user u
                WHERE u.email LIKE 'bench-r-%%' AND u.id %% 10 <> 0
            ) t
            """,
            [round_.pk, instrument.pk, instrument.pk],
        )
        cursor.execute(
            """
            INSERT INTO diagnostics_areascore (response_id, area_id, part, points, max_points,
                                               percent, level_id)
            SELECT r.id, a.area_id, part.name, pc, 100, pc, NULL
            FROM diagnostics_response r
            CROSS JOIN unnest(%s::bigint[]) AS a(area_id)
            CROSS JOIN (VALUES ('all'), ('self_assessment'), ('knowledge')) AS part(name)
            CROSS JOIN LATERAL (
                SELECT LEAST(100, GREATEST(0, round((r.percent + random() * 30 - 15)::numeric, 2)))
                    AS pc
            ) x
            WHERE r.round_id = %s
            """,
            [areas, round_.pk],
        )
        cursor.execute(
            """
            INSERT INTO diagnostics_scalescore (response_id, scale_id, percent, flagged)
            SELECT r.id, s.scale_id, v, v >= 60
            FROM diagnostics_response r
            CROSS JOIN unnest(%s::bigint[]) AS s(scale_id)
            CROSS JOIN LATERAL (SELECT round((random() * 100)::numeric, 2) AS v) x
            WHERE r.round_id = %s
            """,
            [scales, round_.pk],
        )
        # Autovacuum would have analysed these tables in production; ANALYZE sees this
        # transaction's own rows.
        cursor.execute(
            "ANALYZE lms_school, lms_user, diagnostics_response, diagnostics_areascore, "
            "diagnostics_scalescore"
        )
    methodist = User.objects.create(
        email="bench-methodist@bench.example", full_name="Bench methodist", role=Role.METHODIST
    )
    return {
        "round": round_,
        "methodist": methodist,
        "school": School.objects.filter(code__startswith="BENCH-R-").order_by("pk").first(),
        "teachers": User.objects.filter(email__startswith="bench-r-").count(),
        "responses": round_.responses.count(),
    }


def timed_get(client: Client, url: str, params: dict, repeat: int, *, cold: bool):
    """Seconds per request; cold: the cache of area means is emptied before each one."""
    client.get(url, params)  # warm: templates, translations
    times = []
    for _ in range(repeat):
        if cold:
            clear_own_keys(owner="bench")
        start = time.perf_counter()
        response = client.get(url, params)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    if cold:
        clear_own_keys(owner="bench")
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    return times, len(queries)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


PROPOSED_INDEX = (
    "CREATE INDEX bench_areascore_overall ON diagnostics_areascore (response_id) "
    "INCLUDE (area_id, percent) WHERE part = 'all'"
)


def measure(data: dict, repeat: int) -> None:
    client = Client()
    client.force_login(data["methodist"])
    round_id = data["round"].pk
    region_url = reverse("diagnostics:region-report")
    region = {"round": round_id, "region": REGION}
    pages = [
        ("region: districts of the region", region_url, region),
        ("top: every region", region_url, {"round": round_id}),
        ("district: its 50 schools", region_url, {**region, "district": "District 07"}),
        ("region, filtered by subject", region_url, {**region, "subject": "Physics"}),
        (
            "one school's report (100 teachers)",
            reverse("diagnostics:school-report", args=[data["school"].pk]),
            {"round": round_id},
        ),
        ("region XLSX export", reverse("diagnostics:region-report-export", args=["xlsx"]), region),
    ]
    print(f"runs per page: {repeat}; seconds, median / p95 / worst; queries per page")
    for label, url, params in pages:
        for cold in (True, False):
            times, queries = timed_get(client, url, params, repeat, cold=cold)
            median = statistics.median(times)
            emit("reports", f"{label}, {'cold' if cold else 'warm'}: median s", median, "< 1",
                 median < 1)  # fmt: skip
            print(
                f"  {label:<38} {'cold' if cold else 'warm'} {statistics.median(times):6.3f} / "
                f"{p95(times):6.3f} / {max(times):6.3f}   {queries} queries"
            )


def vacuum_analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE lms_school, lms_user, diagnostics_response, diagnostics_areascore, "
            "diagnostics_scalescore"
        )


def remove_bench_rows() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("diagnostics_scalescore", "diagnostics_areascore"):
            cursor.execute(
                sql.SQL(
                    "DELETE FROM {} x USING diagnostics_response r, diagnostics_round d "
                    "WHERE x.response_id = r.id AND r.round_id = d.id AND d.title = %s"
                ).format(sql.Identifier(table)),
                [BENCH_ROUND],
            )
        cursor.execute(
            "DELETE FROM diagnostics_response r USING diagnostics_round d "
            "WHERE r.round_id = d.id AND d.title = %s",
            [BENCH_ROUND],
        )
        Round.objects.filter(title=BENCH_ROUND).delete()
        User.objects.filter(email__endswith="@bench.example", email__startswith="bench-").delete()
        School.objects.filter(code__startswith="BENCH-R-").delete()
        cursor.execute("DROP INDEX IF EXISTS bench_areascore_overall")


def existing() -> dict | None:
    round_ = Round.objects.filter(title=BENCH_ROUND).first()
    if round_ is None:
        return None
    return {
        "round": round_,
        "methodist": User.objects.get(email="bench-methodist@bench.example"),
        "school": School.objects.filter(code__startswith="BENCH-R-").order_by("pk").first(),
        "teachers": User.objects.filter(email__startswith="bench-r-").count(),
        "responses": round_.responses.count(),
    }


def run(args) -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("bench/reports.py generates its data in PostgreSQL: set DATABASE_URL")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    data = existing() if args.keep else None
    if data is None:
        remove_bench_rows()  # a run killed half-way leaves its rows behind
    try:
        start = time.perf_counter()
        if data is None:
            with transaction.atomic():
                data = build(args.schools, args.per_school)
            vacuum_analyse()
        setup = time.perf_counter() - start
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, {database_description()}"
        )
        print(
            f"data: {data['teachers']} teachers, {data['responses']} scored responses, "
            f"setup {setup:.1f} s (not timed below)"
        )
        measure(data, args.repeat)
        if args.index:
            with connection.cursor() as cursor:
                cursor.execute(PROPOSED_INDEX)
            vacuum_analyse()
            print(
                "with the proposed index on AreaScore (response) INCLUDE (area, percent) "
                "WHERE part = 'all':"
            )
            measure(data, args.repeat)
    finally:
        if not args.keep:
            remove_bench_rows()


def database_description() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--per-school", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--index", action="store_true", help="also measure the proposed index")
    parser.add_argument(
        "--keep", action="store_true", help="keep the bench rows, and reuse them next time"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
