"""`make bench`: every benchmark of the project, each in a fresh PostgreSQL database of its own,
then one table (benchmark, measure, value, target, met?).

    make bench                                  # quick scale: about 20-30 minutes on 2 cores
    BENCH_SCALE=full make bench                 # the issues' sizes (hours; see docs/benchmarks.md)
    BENCH_ONLY="scoring reports" make bench     # some of them

Needs PostgreSQL (BENCH_DATABASE_SERVER, default postgres://postgres@127.0.0.1:5432: each
benchmark gets a database `<BENCH_DATABASE_PREFIX>_<name>`, default prefix `ustaz_bench`, created
and dropped) and Redis (CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0; scoring, digest and
the load scenarios run real Celery workers, on queues and cache keys of their own). At the quick
scale the targets in the table are still the issues' (stated for the full sizes), so a target
met there is a sign, not the figure of record.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from tempfile import NamedTemporaryFile

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import summary  # noqa: E402
from bench.load.stack import pg  # noqa: E402

# name: (script, quick arguments, full arguments). Every one runs against its own database.
BENCHMARKS = {
    "roster_import": ("bench/roster_import.py", "--rows 5000 --repeat 1", "--rows 5000 --repeat 3"),
    "scoring": (
        "bench/scoring.py",
        "--responses 2000 --latency-samples 20",
        "--responses 10000 --latency-samples 50",
    ),
    "grouping": (
        "bench/grouping.py",
        "--teachers 10000 --schools 100 --repeat 1",
        "--teachers 100000 --schools 1000 --repeat 3",
    ),
    "item_stats": (
        "bench/item_stats.py",
        "--respondents 2000 --repeat 1",
        "--respondents 100000 --repeat 3",
    ),
    "library_search": (
        "bench/library_search.py",
        "--resources 10000 --rounds 3",
        "--resources 100000 --rounds 20",
    ),
    "reports": (
        "bench/reports.py",
        "--schools 100 --per-school 100 --repeat 5",
        "--schools 1000 --per-school 100 --repeat 15",
    ),
    "response_export": ("bench/response_export.py", "--responses 1000", "--responses 10000"),
    "courses": (
        "bench/courses.py",
        "--teachers 2000 --courses 200 --schools 10 --repeat 10 --runs 1",
        "--teachers 10000 --courses 1000 --schools 33 --repeat 25 --runs 3",
    ),
    "digest": ("bench/digest.py", "--teachers 2000 --repeat 1", "--teachers 10000 --repeat 3"),
    "forums": (
        "bench/forums.py",
        "--forums 100 --topics 10000 --posts 200000 --repeat 10",
        "--forums 1000 --topics 100000 --posts 2000000 --repeat 30",
    ),
    "portfolio": ("bench/portfolio.py", "--requests 50", "--requests 200"),
    "review_queue": (
        "bench/review_queue.py",
        "--works 10000 --schools 50 --repeat 10",
        "--works 100000 --schools 500 --repeat 30",
    ),
    "extraction": ("bench/extraction.py", "", ""),  # run if present (library extraction)
    # The load scenarios make their own database (ustaz_load_<scenario>, or the prefix's).
    "load_spike": (
        "-m bench.load.run --scenario spike",
        "--users 100 --spawn-rate 10 --think 0.5",
        "",
    ),
    # Quick: a 20 s ramp (the full run's is 60 s), then 60 s measured.
    "load_sustained": (
        "-m bench.load.run --scenario sustained",
        "--spawn-rate 15 --time 80",
        "",
    ),
    "load_signin": ("-m bench.load.run --scenario signin", "--time 20", ""),
}
TIMEOUT = {"quick": 15 * 60, "full": 3 * 3600}


def fail(message: str) -> None:
    sys.exit(f"make bench: {message}")


def check_services(server: str, broker: str) -> None:
    from urllib.parse import urlsplit

    url = urlsplit(server)
    host, port = url.hostname or "127.0.0.1", str(url.port or 5432)
    if subprocess.run(["pg_isready", "-h", host, "-p", port], capture_output=True).returncode:
        fail(
            f"the benchmarks need PostgreSQL at {host}:{port} (set BENCH_DATABASE_SERVER, "
            "e.g. postgres://postgres@127.0.0.1:5432)."
        )
    if not broker.startswith("redis://"):
        fail(
            "the benchmarks need Redis: set CELERY_BROKER_URL, e.g. "
            "CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make bench"
        )
    import redis

    try:
        redis.Redis.from_url(broker, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        fail(f"Redis at {broker} does not answer ({error}).")


def run_one(name, script, arguments, *, server, prefix, broker, summary_path, scale) -> str:
    """Run one benchmark; returns "ok", "failed (exit n)", "timed out" or "absent"."""
    if not script.startswith("-m") and not (ROOT / script).exists():
        return "absent"
    env = {
        **os.environ,
        "BENCH_SUMMARY": summary_path,
        "CELERY_BROKER_URL": broker,
        "USTAZ_CACHE_KEY_PREFIX": f"bench-{name}-{os.getpid()}",
        "CELERY_TASK_DEFAULT_QUEUE": f"bench-{name}-{os.getpid()}",
        "PYTHONPATH": str(ROOT),
    }
    own_database = not script.startswith("-m bench.load")
    db = f"{prefix}_{name}"
    if own_database:
        pg("dropdb", db, server)
        pg("createdb", db, server)
        env["DATABASE_URL"] = f"{server.rstrip('/')}/{db}"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
    else:
        env["LOAD_DATABASE_SERVER"] = server
        env.pop("DATABASE_URL", None)
        arguments += f" --database {prefix}_{name}"
    command = [sys.executable, *script.split(), *arguments.split()]
    print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, timeout=TIMEOUT[scale])
        outcome = "ok" if done.returncode == 0 else f"failed (exit {done.returncode})"
    except subprocess.TimeoutExpired:
        outcome = "timed out"
    finally:
        if own_database:
            pg("dropdb", db, server)
        forget(broker, env["CELERY_TASK_DEFAULT_QUEUE"])
    return outcome


def forget(broker: str, tag: str) -> None:
    """Delete the benchmark's cache keys, queue and bindings (its tag), nothing else."""
    import redis

    client = redis.Redis.from_url(broker)
    for pattern in (tag, f"{tag}:*", f"{tag}\x06*", f"_kombu.binding*.{tag}"):
        for key in client.scan_iter(match=pattern, count=1000):
            client.delete(key)


def main() -> None:
    scale = os.environ.get("BENCH_SCALE", "quick")
    if scale not in TIMEOUT:
        fail(f"BENCH_SCALE is {scale!r}: use quick (the default) or full.")
    server = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    prefix = os.environ.get("BENCH_DATABASE_PREFIX", "ustaz_bench")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    check_services(server, broker)
    only = os.environ.get("BENCH_ONLY", "").split()
    unknown = set(only) - set(BENCHMARKS)
    if unknown:
        fail(f"BENCH_ONLY names no benchmark: {', '.join(sorted(unknown))}.")
    with NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        summary_path = handle.name
    outcomes, started = {}, time.monotonic()
    for name, (script, quick, full) in BENCHMARKS.items():
        if only and name not in only:
            continue
        began = time.monotonic()
        outcomes[name] = run_one(
            name, script, quick if scale == "quick" else full, server=server, prefix=prefix,
            broker=broker, summary_path=summary_path, scale=scale,
        )  # fmt: skip
        outcomes[name] += f", {time.monotonic() - began:.0f} s"
    lines = summary.read(summary_path)
    os.unlink(summary_path)
    print(f"\n\nEvery benchmark ({scale} scale, {time.monotonic() - started:.0f} s in all):\n")
    print(summary.table(lines))
    print("\nruns: " + "; ".join(f"{name} {outcome}" for name, outcome in outcomes.items()))
    if any(not outcome.startswith(("ok", "absent")) for outcome in outcomes.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
