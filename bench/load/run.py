"""The load benchmark in one command: its own database, seeded; gunicorn, a Celery worker and beat
against Redis; Locust headless on the same machine; checks; a summary; everything stopped.

    python -m bench.load.run --scenario spike        # 300 signed-in teachers within 10 s
    python -m bench.load.run --scenario sustained    # 150 requests a second for 5 minutes
    python -m bench.load.run --scenario signin       # sign-ins a second with Django's PBKDF2

Needs PostgreSQL (LOAD_DATABASE_SERVER, default postgres://postgres@127.0.0.1:5432; the run
creates and drops a database `ustaz_load_<scenario>` there) and Redis (CELERY_BROKER_URL,
default redis://127.0.0.1:6379/8; the run's keys and queue carry a prefix of their own). Smaller
runs while developing: `--teachers 30 --users 30 --time 60`. `--profile` adds cProfile around
every request and prints where the server's time goes (figures of that run are slower).
"""

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench import summary
from bench.load.stack import LOGS, ROOT, Stack, Vacuum, pg

SCENARIOS = {
    # users, spawn rate, run-time limit, teachers seeded, requests/s (0: unpaced), think scale,
    # and whether the figures leave out the ramp (the spike IS its ramp; the sustained run starts
    # its 300 users over 60 s, as a morning's teachers arrive, and measures the 5 minutes after)
    "spike": {
        "users": 300, "spawn_rate": 30, "time": 600, "teachers": 300, "rate": 0, "think": 1,
        "measure_after_ramp": False,
    },
    "sustained": {
        "users": 300, "spawn_rate": 5, "time": 360, "teachers": 1500, "rate": 150, "think": 0.5,
        "measure_after_ramp": True,
    },
    "signin": {
        "users": 8, "spawn_rate": 8, "time": 60, "teachers": 300, "rate": 0, "think": 0,
        "measure_after_ramp": False,
    },
}  # fmt: skip
USER_CLASSES = {
    "spike": ["SpikeTeacher"],
    "sustained": ["Teacher", "Head", "Methodist"],
    "signin": ["SignIn"],
}
GOALS = {"spike": 1000, "sustained": 150}  # p95, ms


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    parser.add_argument("--users", type=int)
    parser.add_argument("--spawn-rate", type=float)
    parser.add_argument("--time", type=int, help="seconds Locust runs at most (ramp included)")
    parser.add_argument(
        "--measure-after-ramp",
        action=argparse.BooleanOptionalAction,
        help="leave the ramp out of the figures (Locust --reset-stats); default by scenario",
    )
    parser.add_argument("--teachers", type=int, help="teachers seeded (each takes the round once)")
    parser.add_argument("--rate", type=float, help="requests a second of all users together")
    parser.add_argument("--think", type=float, help="think-time scale (0: none)")
    parser.add_argument(
        "--read-result",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the spike's teacher reads their result 10-30 s before the library (default); "
        "--no-read-result goes on at once, as the runs before 2026-12-05 15:00 did",
    )
    parser.add_argument(
        "--taking",
        default="one_form",
        help="the taking protocol (journeys.py): one_form, as a browser with scripts; paged",
    )
    # 2 cores: 2 processes keep both cores busy with Python (one GIL each). Measured on this
    # machine (docs/benchmarks.md): sync workers (--threads 1, as `make serve` runs) gave the
    # sustained run p95 150 ms where 2 gthread threads gave 510 ms and 4 gave 2.3 s: the
    # threads of a process share its GIL, so under a backlog every request of the process is
    # slowed alike, and gthread's own loop costs CPU a request. The spike's end (300 teachers
    # submitting within seconds) is a queue either way (p95 1.2-1.5 s with 2 or 4 threads,
    # 1.3 s sync, 1.4 s with 3 sync processes).
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn process (1: sync workers)"
    )
    parser.add_argument("--database", help="database name (default ustaz_load_<scenario>)")
    parser.add_argument("--out", type=Path, help="folder for the CSVs (default /tmp/ustaz-load/…)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", action="store_true", help="cProfile every request")
    parser.add_argument(
        "--cpu-by-page", action="store_true", help="the server's CPU time per page (cheap)"
    )
    args = parser.parse_args()
    for key, value in SCENARIOS[args.scenario].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.scenario == "spike":
        args.teachers = max(args.teachers, args.users)
    return args


def services(server: str, broker: str) -> None:
    """Fail early, and say what is missing, when PostgreSQL or Redis does not answer."""
    from urllib.parse import urlsplit

    url = urlsplit(server)
    ready = subprocess.run(
        ["pg_isready", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)],
        capture_output=True,
    )
    if ready.returncode != 0:
        sys.exit(f"The load benchmark needs PostgreSQL at {server} (LOAD_DATABASE_SERVER).")
    import redis

    try:
        redis.Redis.from_url(broker, socket_connect_timeout=2).ping()
    except redis.RedisError:
        sys.exit(f"The load benchmark needs Redis at {broker} (CELERY_BROKER_URL).")


def reference_loop() -> float:
    """Seconds for 10 million additions in one Python thread: the machine's speed at that
    moment. A virtual machine's host may lend it less CPU at times (seen here, the machine
    otherwise idle: 0.29 s, then 0.45 s a minute later; the same additions at module level took
    0.70 s and 1.2 s), and a run taken then is not comparable with one taken at full speed."""
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.perf_counter() - started


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def warm_up(port: int, plan: dict, rounds: int = 3) -> None:
    """Every page of the journeys a few times, 8 at once, before the clock starts: a server in
    production has loaded its code and templates and filled its caches long before the morning.
    The warm-up teachers only open the diagnosis (a draft), so no measured teacher is used."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import quote

    word = quote(plan["library_words"][0])
    teacher_pages = [
        "/", "/library/", f"/library/search/?q={word}", "/courses/", "/forums/",
        f"/diagnostics/rounds/{plan['round']}/take/",
        *(f"/courses/{slug}/" for slug in plan["courses"]),
        *(f"/courses/lessons/{lesson}/" for lesson in plan["lessons"]),
        *(f"/forums/{forum}/" for forum in plan["forums"]),
        *(f"/forums/topics/{topic}/" for topic in plan["topics"]),
    ]  # fmt: skip
    visits = [(p["session"], page) for p in plan["warmup"] for page in teacher_pages]
    report = "/diagnostics/reports/schools/{}/"
    visits += [(h["session"], report.format(h["school"])) for h in plan["heads"]]
    statistics = f"/diagnostics/rounds/{plan['statistics_round']}/statistics/"
    visits += [(m["session"], statistics) for m in plan["methodists"]]

    def visit(item):
        session, page = item
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{page}",
            headers={
                "Cookie": f"{plan['session_cookie']}={session}",
                "X-Forwarded-Proto": "https",
            },
        )
        with urllib.request.urlopen(request, timeout=60) as reply:  # noqa: S310
            reply.read()

    with ThreadPoolExecutor(8) as pool:
        for _ in range(rounds):
            list(pool.map(visit, visits))


def run_locust(args, stack: Stack, out: Path, plan: Path) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LOAD_PLAN": str(plan),
        "LOAD_SCENARIO": args.scenario,
        "LOAD_USERS": str(args.users),
        "LOAD_RATE": str(args.rate),
        "LOAD_THINK": str(args.think),
        "LOAD_TAKING": args.taking,
        "LOAD_READ_RESULT": "1" if args.read_result else "0",
        "LOAD_OUT": str(out / "counts.json"),
    }
    command = [
        str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench/load/locustfile.py"),
        "--headless", "--only-summary", "--loglevel", "WARNING",
        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.time}s",
        "--stop-timeout", "30", "--host", f"http://127.0.0.1:{stack.port}",
        "--csv", str(out / "locust"), "--exit-code-on-error", "0",
        *(["--reset-stats"] if args.measure_after_ramp else []),
        *USER_CLASSES[args.scenario],
    ]  # fmt: skip
    started = time.monotonic()
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    return time.monotonic() - started


def responses_by_status(database_url: str, round_id: int) -> dict:
    import psycopg2

    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, count(*) FROM diagnostics_response WHERE round_id = %s GROUP BY 1",
            [round_id],
        )
        return dict(cursor.fetchall())


def wait_until_scored(database_url: str, round_id: int, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        counts = responses_by_status(database_url, round_id)
        if not counts.get("submitted") or time.monotonic() > deadline:
            return counts
        time.sleep(2)


def read_stats(out: Path) -> dict[str, dict]:
    with open(out / "locust_stats.csv", newline="") as stats:
        return {
            row["Name"] if row["Type"] in ("GET", "") else f"{row['Name']} ({row['Type']})": row
            for row in csv.DictReader(stats)
        }


def print_table(rows: dict[str, dict]) -> None:
    print(f"{'request':<62} {'count':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}")
    for name, row in sorted(rows.items(), key=lambda item: item[0] == "Aggregated"):
        print(
            f"{name[:62]:<62} {row['Request Count']:>6} {row['Failure Count']:>5} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} "
            f"{float(row['Max Response Time']):>7.0f}"
        )


def report_profile(folder: Path, lines: int = 30) -> None:
    import pstats

    files = sorted(folder.glob("worker-*.prof"))
    if not files:
        print("no profile written")
        return
    stats = pstats.Stats(*map(str, files))
    stats.sort_stats("cumulative").print_stats(r"/work/|lms|diagnostics|library|courses", lines)
    stats.sort_stats("tottime").print_stats(lines)


def read_timeline(out: Path) -> dict:
    """What the locustfile wrote: each window's response times, its width, and when every user
    had started; empty windows when the run wrote none."""
    path = out / "timeline.json"
    if not path.exists():
        return {"windows": {}, "window_seconds": 10, "spawned_at": None}
    return json.loads(path.read_text())


def print_timeline(timeline: dict, measured_after_ramp: bool) -> None:
    """Requests, p50 and p95 by window of the run; with `measured_after_ramp`, the windows
    before every user had started are marked: Locust's figures (--reset-stats) leave them out."""
    windows, spawned_at = timeline["windows"], timeline["spawned_at"]
    width = timeline["window_seconds"]
    if not windows:
        return
    start = min(map(int, windows))
    print(f"\n{'window (s from start)':<24} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7}")
    for window, times in sorted(windows.items(), key=lambda item: int(item[0])):
        times = sorted(times)
        p50, p95 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.95))]
        began = int(window) - start
        ramp = measured_after_ramp and spawned_at and int(window) + width <= spawned_at
        note = "  ramp, not measured" if ramp else ""
        print(f"{began:>5}–{began + width:<18} {len(times):>8} {p50:>7.0f} {p95:>7.0f}{note}")


def report_cpu_by_page(folder: Path) -> None:
    """Per page: requests, the server thread's mean CPU ms, and its share of all the CPU (the
    warm-up's requests included)."""
    pages: dict[str, list[float]] = {}
    for file in folder.glob("worker-*.json"):
        for page, (count, total) in json.loads(file.read_text()).items():
            pages.setdefault(page, [0, 0.0])
            pages[page][0] += count
            pages[page][1] += total
    everything = sum(total for _, total in pages.values()) or 1
    print(f"\n{'server CPU by page':<62} {'count':>6} {'ms each':>8} {'share':>6}")
    for page, (count, total) in sorted(pages.items(), key=lambda item: -item[1][1]):
        print(f"{page[:62]:<62} {count:>6} {1000 * total / count:>8.2f} {total / everything:>6.1%}")


def main() -> None:
    args = parse()
    server = os.environ.get("LOAD_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    broker = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")
    services(server, broker)
    database = args.database or f"ustaz_load_{args.scenario}"
    out = args.out or LOGS / f"{args.scenario}-{time.strftime('%H%M%S')}"
    out.mkdir(parents=True, exist_ok=True)
    stack = Stack(
        database_url=f"{server.rstrip('/')}/{database}",
        broker_url=broker,
        workers=args.workers,
        threads=args.threads,
        logs=out,
    )
    if args.profile:
        os.environ["LOAD_PROFILE_DIR"] = str(out / "profile")
        stack.gunicorn_config = str(ROOT / "bench/load/gunicorn_profile.py")
    elif args.cpu_by_page:
        os.environ["LOAD_CPU_DIR"] = str(out / "cpu")
        stack.gunicorn_config = str(ROOT / "bench/load/gunicorn_cpu.py")
    pg("dropdb", database, server)
    pg("createdb", database, server)
    vacuum = Vacuum(stack.database_url)
    try:
        started = time.monotonic()
        stack.manage("migrate", "--noinput", "-v0")
        stack.manage("collectstatic", "--noinput", "-v0")
        plan_path = out / "plan.json"
        subprocess.run(
            [sys.executable, "-m", "bench.load.seed", "--teachers", str(args.teachers),
             "--plan", str(plan_path)],
            cwd=ROOT, env=stack.env, check=True,
        )  # fmt: skip
        vacuum.analyse()
        print(f"database {database} ready in {time.monotonic() - started:.0f} s")
        plan = json.loads(plan_path.read_text())
        if vacuum.start():
            print(f"the server's autovacuum is off: VACUUM (ANALYZE) every {vacuum.every:.0f} s")
        stack.start()
        warm_up(stack.port, plan)
        server_pids = stack.pids("gunicorn") + stack.pids("worker")
        speed_before = reference_loop()
        cpu_before = cpu_seconds(server_pids)
        seconds = run_locust(args, stack, out, plan_path)
        cpu_server = cpu_seconds(server_pids) - cpu_before
        speed_after = reference_loop()
        statuses = wait_until_scored(stack.database_url, plan["round"])
    finally:
        vacuum.stop()
        stack.stop()
        if not args.keep:
            pg("dropdb", database, server)
    counts = json.loads((out / "counts.json").read_text())
    rows = read_stats(out)
    print(f"\n{platform.node()}: {os.cpu_count()} cores, load average {os.getloadavg()}")
    print(
        f"reference loop (10 million additions, one thread): {speed_before:.2f} s before the "
        f"run, {speed_after:.2f} s after (lower is faster; compare runs at the same speed)"
    )
    print(
        f"scenario {args.scenario}: {args.users} users, spawn {args.spawn_rate}/s, "
        f"gunicorn {args.workers} x {args.threads} threads, Locust ran {seconds:.0f} s, "
        f"Python {platform.python_version()} ({sys.executable})"
        + (", the result read 10-30 s" if args.scenario == "spike" and args.read_result else "")
    )
    print_table(rows)
    timeline = read_timeline(out)
    print_timeline(timeline, args.measure_after_ramp)
    # Every request the server answered, the ramp's too, since its CPU is counted from the start.
    served = sum(len(times) for times in timeline["windows"].values())
    summarise(args, rows, counts, statuses, cpu_server, served)
    if args.profile:
        report_profile(out / "profile")
    if args.cpu_by_page:
        report_cpu_by_page(out / "cpu")
    print(f"CSVs, logs and the plan: {out}")


def summarise(args, rows, counts, statuses, cpu_server, served) -> None:
    total = rows["Aggregated"]
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    p95 = float(total["95%"])
    rate = float(total["Requests/s"])
    unscored = statuses.get("submitted", 0)
    figures = [
        ("requests", requests, "", None),
        # The average includes the ramp-up (users start at --spawn-rate), so the pacer's
        # target is met when the average is within 5 % of it; the label says so.
        ("requests per second", rate, f"≥ {0.95 * args.rate:g} (95 % of {args.rate:g})"
         if args.rate else "", rate >= 0.95 * args.rate if args.rate else None),
        ("failed requests", failures, "0", failures == 0),
        ("p50 ms, all requests", float(total["50%"]), "", None),
    ]  # fmt: skip
    goal = GOALS.get(args.scenario)
    figures.append(("p95 ms, all requests", p95, f"< {goal}" if goal else "",
                    p95 < goal if goal else None))  # fmt: skip
    if args.scenario != "signin":
        autosaves = sum(
            int(row.get("Request Count") or 0) for name, row in rows.items() if "(autosave)" in name
        )
        figures += [
            ("diagnoses completed (scored, seen by the teacher)", counts["diagnoses"], "", None),
            ("failed journeys", counts["failed_journeys"], "0", counts["failed_journeys"] == 0),
            ("autosave requests", autosaves, "", None),
            ("responses submitted, not scored after the run", unscored, "0", unscored == 0),
        ]
        if args.scenario == "spike":
            done = counts["diagnoses"]
            figures.append(("teachers done / started", f"{done} / {args.users}",
                            f"{args.users}", done == args.users))  # fmt: skip
    else:
        sign_ins = rows.get("/accounts/login/ (POST)", {})
        per_second = float(sign_ins.get("Requests/s") or 0)
        figures += [
            ("sign-ins per second", per_second, "", None),
            ("sign-in POST p95 ms", float(sign_ins.get("95%") or 0), "", None),
        ]
        logins = int(sign_ins.get("Request Count") or 0)
        if logins:
            # The ceiling of this server with every core its own: what a quiet machine gives.
            cpu_per_sign_in = cpu_server / logins
            figures += [
                ("server CPU per sign-in (form, POST, dashboard), ms", 1000 * cpu_per_sign_in,
                 "", None),
                ("sign-ins per second, all cores busy (cores / CPU)",
                 (os.cpu_count() or 1) / cpu_per_sign_in, "", None),
            ]  # fmt: skip
        for teachers in (300, 1000, 5000):
            if per_second:
                at_once = f"{teachers:,} teachers signing in at once, s"
                figures.append((at_once, teachers / per_second, "", None))
    served = served or requests
    if served:
        figures.append(("server CPU ms per request (gunicorn + worker)",
                        1000 * cpu_server / served, "", None))  # fmt: skip
    print()
    for measure, value, target, met in figures:
        shown = f"{value:.1f}" if isinstance(value, float) else str(value)
        verdict = "" if met is None else ("  met" if met else "  NOT MET")
        print(f"  {measure:<55} {shown:>10}  {target}{verdict}")
        summary.emit(f"load {args.scenario}", measure, value, target, met)


if __name__ == "__main__":
    main()
