"""Ustaz side by side with django-survey-and-report 1.5 on the same 45-question survey, in one run.

    .venv/bin/python bench/load/side_by_side.py [--duration 40] [--teachers 8] [--samples 100]

What it does (PostgreSQL at 127.0.0.1:5432 as postgres, Redis at 127.0.0.1:6379 are needed):
1. installs django-survey-and-report 1.5 (with Django 5.2, as Ustaz) into a throwaway virtualenv
   under /tmp and writes a minimal Django project for it; creates two databases of its own
   (ustaz_takingfast_sbs_ustaz, ustaz_takingfast_sbs_peer: `--db-prefix`) and drops them at the
   end;
2. writes the same survey on both sides (45 single-choice questions, 4 options, 6 areas: Ustaz's
   six pages) and signed-in teachers (sessions made beforehand: sign-in is not measured);
3. serves each with gunicorn, 2 sync workers, DEBUG off; Ustaz with Redis (database
   `--redis-db`) and one Celery worker (concurrency 1) that scores for real;
4. measures, one side at a time:
   - survey page latency, one request at a time: Ustaz's one-form GET and a paged page GET
     against the peer's form GET (p50, p95, wall time at the client), and Ustaz's server time
     (`Server-Timing: app`) of the page GET and of an autosave of one changed answer;
   - complete diagnoses per second with `--teachers` concurrent teachers (threads of a plain
     HTTP client, no think time) for `--duration` seconds: Ustaz's one-form flow (take, form
     GET, submit) counted once every submission is scored (the wait is in the time), also with
     an autosave per area as the browser sends when a teacher answers an area at a time; the
     peer's form GET and POST (stored only, nothing scored);
   - server CPU per answered question: CPU seconds of the gunicorn workers (and, for Ustaz, of
     the Celery worker, apart) from /proc, over the questions answered in the rate run.
5. prints a table with the ratios (above 1: Ustaz ahead).

The machine is shared by everything else that runs on it: run it on a quiet machine for figures
to keep. Nothing here is run by the test suite.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from side_by_side_setup import QUESTIONS, peer_project  # noqa: E402

from bench.load.stack import pg  # noqa: E402

# Both sides' databases live here (created and dropped by the run).
DATABASE_SERVER = "postgres://postgres@127.0.0.1:5432"
PEER_REQUIREMENTS = [
    "django-survey-and-report==1.5",
    "django>=5.2,<5.3",
    "gunicorn",
    "psycopg2-binary",
]
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- processes ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command, **kwargs) -> str:
    done = subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)
    return done.stdout


def start(command, *, log: Path, **kwargs) -> subprocess.Popen:
    # A process group of its own, so that stopping it stops its workers and nothing else.
    return subprocess.Popen(
        command, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True, **kwargs
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_up(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing answers on port {port}")


def process_tree(root_pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def cpu_seconds(root_pid: int) -> float:
    """User and system CPU of a process and its live descendants (and of children it reaped)."""
    total = 0
    for pid in process_tree(root_pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the name.
        total += sum(int(value) for value in fields[11:15])
    return total / CLK_TCK


# --- a plain HTTP client ----------------------------------------------------------------------


class Client:
    """One teacher's browser, reduced to cookies and a keep-alive connection."""

    def __init__(self, port: int, cookies: dict):
        self.port = port
        self.cookies = dict(cookies)
        self.connection = HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, data=None, headers=None):
        body = urlencode(data, doseq=True) if data is not None else None
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        sent.update(headers or {})
        began = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=sent)
                reply = self.connection.getresponse()
                text = reply.read().decode()
                break
            except (ConnectionError, OSError):
                # gunicorn's sync workers close idle keep-alive connections: open a new one.
                self.connection.close()
                self.connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        took = time.perf_counter() - began
        for header in reply.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        timing = re.search(r"app;dur=([\d.]+)", reply.getheader("Server-Timing") or "")
        return reply.status, reply.getheader("Location") or "", text, took, timing


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def radio_options(html: str) -> dict[str, list[str]]:
    """{field name: [values]} of the page's radio buttons, in page order."""
    options: dict[str, list[str]] = {}
    for tag in INPUT.findall(html):
        attributes = dict(ATTRIBUTE.findall(tag))
        if attributes.get("type") == "radio":
            options.setdefault(attributes["name"], []).append(attributes["value"])
    return options


def steps_of(html: str) -> list[list[str]]:
    """The one form's steps, each the field names of its questions."""
    return [list(radio_options(part)) for part in html.split('<section class="take-step')[1:]]


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.diagnoses = 0
        self.errors: list[str] = []
        self.latencies: dict[str, list[float]] = {}

    def note(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)


# --- one diagnosis on each side ----------------------------------------------------------------


def ustaz_diagnosis(client: Client, round_id: int, counters: Counters, *, autosave: bool):
    status, location, _, took, _ = client.request("GET", f"/diagnostics/rounds/{round_id}/take/")
    counters.note("take", took)
    if status != 302 or "/form/" not in location:
        raise RuntimeError(f"take: {status} {location}")
    form = location.replace(f"http://127.0.0.1:{client.port}", "")
    status, _, html, took, _ = client.request("GET", form)
    counters.note("form GET", took)
    if status != 200:
        raise RuntimeError(f"form: {status}")
    token = CSRF.search(html).group(1)
    options = radio_options(html)
    answers = {name: random.choice(values) for name, values in options.items()}
    if autosave:
        for step in steps_of(html):
            data = {"csrfmiddlewaretoken": token, "sent": [n[1:] for n in step]}
            data |= {name: answers[name] for name in step}
            status, _, _, took, _ = client.request(
                "POST", form, data, headers={"HX-Request": "true"}
            )
            counters.note("autosave", took)
            if status != 204:
                raise RuntimeError(f"autosave: {status}")
    data = {"csrfmiddlewaretoken": token, "go": "submit"} | answers
    status, location, _, took, _ = client.request("POST", form, data)
    counters.note("submit", took)
    if status != 302 or "/form/" in location:
        raise RuntimeError(f"submit: {status} {location}")
    return len(answers)


def peer_diagnosis(client: Client, survey_id: int, counters: Counters, *, autosave: bool):
    path = f"/survey/{survey_id}/"
    status, _, html, took, _ = client.request("GET", path)
    counters.note("form GET", took)
    if status != 200:
        raise RuntimeError(f"peer form: {status}")
    token = CSRF.search(html).group(1)
    answers = {name: random.choice(values) for name, values in radio_options(html).items()}
    status, location, _, took, _ = client.request(
        "POST", path, {"csrfmiddlewaretoken": token} | answers
    )
    counters.note("submit", took)
    if status != 302 or "confirm" not in location:
        raise RuntimeError(f"peer submit: {status} {location}")
    return len(answers)


# --- measurements ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latency(client: Client, method, path, samples: int, data=None, headers=None, vary=None):
    """Wall times and server times (ms) of `samples` requests, one at a time, after a warm-up."""
    walls, servers = [], []
    for number in range(samples + 5):
        sent = vary(number) if vary else data
        status, _, _, took, timing = client.request(method, path, sent, headers)
        if status >= 400:
            raise RuntimeError(f"{method} {path}: {status}")
        if number >= 5:
            walls.append(took * 1000)
            if timing:
                servers.append(float(timing.group(1)))
    return walls, servers


def rate(diagnosis, port, target, pool, *, teachers, duration, cpu_roots, autosave):
    """Complete diagnoses by `teachers` threads for `duration` seconds, each by a teacher taken
    from `pool` (an iterator of cookies) who has not taken it yet."""
    counters = Counters()
    pool_lock = threading.Lock()
    stop_at = time.monotonic() + duration
    answered = [0]

    def teacher():
        while time.monotonic() < stop_at:
            with pool_lock:
                cookies = next(pool, None)
            if cookies is None:
                counters.errors.append("ran out of teachers: raise --pool")
                return
            try:
                count = diagnosis(Client(port, cookies), target, counters, autosave=autosave)
            except Exception as error:  # noqa: BLE001 - counted and shown
                with counters.lock:
                    counters.errors.append(str(error))
                continue
            with counters.lock:
                counters.diagnoses += 1
                answered[0] += count

    cpu_before = {name: cpu_seconds(pid) for name, pid in cpu_roots.items()}
    began = time.monotonic()
    threads = [threading.Thread(target=teacher) for _ in range(teachers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counters, began, answered[0], cpu_before


def scored_wait(database: str, round_id: int, submitted: int, seconds: float = 300) -> None:
    """Until every submission of the round is scored (what the teachers' result pages wait for)."""
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=database)
    connection.autocommit = True
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT COUNT(*) FILTER (WHERE status = 'scored'), COUNT(*) FILTER "
                "(WHERE status = 'submitted') FROM diagnostics_response WHERE round_id = %s",
                [round_id],
            )
            scored, waiting = cursor.fetchone()
            if scored >= submitted and not waiting:
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"not scored in {seconds} s: {scored} of {submitted}")
    connection.close()


# --- the run -----------------------------------------------------------------------------------


def peer_virtualenv(folder: Path) -> Path:
    python = folder / "bin" / "python"
    if not (folder / ".installed").exists():
        shutil.rmtree(folder, ignore_errors=True)
        run([sys.executable, "-m", "venv", str(folder)])
        run([str(python), "-m", "pip", "install", "--quiet", *PEER_REQUIREMENTS])
        (folder / ".installed").write_text("\n".join(PEER_REQUIREMENTS))
    return python


def sessions_cookies(keys: list[str], extra: dict) -> list[dict]:
    return [{"sessionid": key, **extra} for key in keys]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=40, help="seconds of each rate run")
    parser.add_argument("--teachers", type=int, default=8, help="concurrent teachers")
    parser.add_argument("--samples", type=int, default=100, help="requests per latency figure")
    parser.add_argument(
        "--pool",
        type=int,
        default=5000,
        help="teachers made on each side (each takes the diagnosis once; on a quiet machine "
        "Ustaz's two runs of 40 s take about 2,000)",
    )
    parser.add_argument("--db-prefix", default="ustaz_takingfast_sbs")
    parser.add_argument("--redis-db", type=int, default=7)
    parser.add_argument(
        "--peer-venv", default=str(Path(tempfile.gettempdir()) / "side_by_side_peer_venv")
    )
    arguments = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="side_by_side_"))
    ustaz_db, peer_db = f"{arguments.db_prefix}_ustaz", f"{arguments.db_prefix}_peer"
    ustaz_env = os.environ | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{ustaz_db}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{arguments.redis_db}",
        "USTAZ_CACHE_KEY_PREFIX": f"sbs{os.getpid()}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "side-by-side-bench-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    peer_dir = work / "peer"
    peer_env = os.environ | {"PEER_DATABASE": peer_db, "PYTHONPATH": str(peer_dir)}
    python = str(ROOT / ".venv" / "bin" / "python")
    processes: list[subprocess.Popen] = []
    results = {}
    try:
        print("Installing the peer into a throwaway virtualenv ...", flush=True)
        peer_python = str(peer_virtualenv(Path(arguments.peer_venv)))
        peer_project(peer_dir)
        for name in (ustaz_db, peer_db):
            pg("dropdb", name, DATABASE_SERVER)
            pg("createdb", name, DATABASE_SERVER)
        print("Migrating and writing the survey on both sides ...", flush=True)
        run([python, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=ustaz_env)
        run([python, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=ustaz_env)
        setup = str(HERE / "side_by_side_setup.py")
        ustaz = json.loads(
            run([python, setup, "ustaz", str(arguments.pool)], cwd=ROOT, env=ustaz_env)
        )
        run([peer_python, "manage.py", "migrate", "--noinput"], cwd=peer_dir, env=peer_env)
        peer = json.loads(
            run([peer_python, setup, "peer", str(arguments.pool)], cwd=peer_dir, env=peer_env)
        )

        ustaz_port, peer_port = free_port(), free_port()
        gunicorn = ["--workers", "2", "--worker-class", "sync", "--bind"]
        processes.append(
            start(
                [str(ROOT / ".venv/bin/gunicorn"), *gunicorn, f"127.0.0.1:{ustaz_port}"]
                + ["lms.wsgi"],
                log=work / "ustaz.log",
                cwd=ROOT,
                env=ustaz_env,
            )
        )
        celery = start(
            [str(ROOT / ".venv/bin/celery"), "-A", "lms", "worker", "--concurrency", "1"]
            + ["--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
            log=work / "celery.log",
            cwd=ROOT,
            env=ustaz_env,
        )
        processes.append(celery)
        processes.append(
            start(
                [str(Path(peer_python).parent / "gunicorn"), *gunicorn, f"127.0.0.1:{peer_port}"]
                + ["peer_wsgi"],
                log=work / "peer.log",
                cwd=peer_dir,
                env=peer_env,
            )
        )
        wait_until_up(ustaz_port, "/healthz")
        wait_until_up(peer_port, f"/survey/{peer['survey']}/")
        time.sleep(3)  # the Celery worker connects

        # Sessions: the first few teachers of each side measure latency, the rest the rate.
        ustaz_sessions = sessions_cookies(ustaz["sessions"], {"ustaz_scripts": "1"})
        peer_sessions = sessions_cookies(peer["sessions"], {})
        results["latency"] = measure_latency(
            ustaz_port,
            ustaz["round"],
            ustaz_sessions[0],
            peer_port,
            peer["survey"],
            peer_sessions[0],
            arguments.samples,
        )
        gunicorn_ustaz, gunicorn_peer = processes[0].pid, processes[2].pid
        rates = {}
        ustaz_pool, peer_pool = iter(ustaz_sessions[1:]), iter(peer_sessions[1:])
        runs = [
            ("Ustaz one form", ustaz_diagnosis, ustaz_port, ustaz["round"], ustaz_pool, False),
            (
                "Ustaz one form, autosave per area",
                ustaz_diagnosis,
                ustaz_port,
                ustaz["round"],
                ustaz_pool,
                True,
            ),
            ("peer", peer_diagnosis, peer_port, peer["survey"], peer_pool, False),
        ]
        for name, diagnosis, port, target, pool, autosave in runs:
            side = "peer" if name == "peer" else "Ustaz"
            roots = {"gunicorn": gunicorn_ustaz if side == "Ustaz" else gunicorn_peer}
            if side == "Ustaz":
                roots["celery"] = celery.pid
            print(
                f"Rate: {name}, {arguments.teachers} teachers, {arguments.duration:.0f} s ...",
                flush=True,
            )
            counters, began, answered, cpu_before = rate(
                diagnosis,
                port,
                target,
                pool,
                teachers=arguments.teachers,
                duration=arguments.duration,
                cpu_roots=roots,
                autosave=autosave,
            )
            if side == "Ustaz":
                scored_wait(ustaz_db, target, submitted=scored_total(ustaz_db, target))
            elapsed = time.monotonic() - began
            cpu = {k: cpu_seconds(pid) - cpu_before[k] for k, pid in roots.items()}
            rates[name] = {
                "diagnoses": counters.diagnoses,
                "seconds": elapsed,
                "per_second": counters.diagnoses / elapsed,
                "answered": answered,
                "cpu": cpu,
                "errors": counters.errors[:5],
                "error_count": len(counters.errors),
                "latencies": {
                    kind: (percentile(v, 0.5) * 1000, percentile(v, 0.95) * 1000)
                    for kind, v in counters.latencies.items()
                },
            }
        results["rates"] = rates
    finally:
        for process in reversed(processes):
            stop(process)
        for name in (ustaz_db, peer_db):
            try:
                pg("dropdb", name, DATABASE_SERVER)
            except subprocess.CalledProcessError as error:
                print(f"Could not drop {name}: {error.stderr}", file=sys.stderr)
    report(results, arguments)
    shutil.rmtree(work, ignore_errors=True)


def scored_total(database_name: str, round_id: int) -> int:
    """How many of the round's responses were submitted (scored or waiting)."""
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=database_name)
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM diagnostics_response WHERE round_id = %s "
            "AND status IN ('submitted', 'scored')",
            [round_id],
        )
        total = cursor.fetchone()[0]
    connection.close()
    return total


def measure_latency(
    ustaz_port, round_id, ustaz_cookies, peer_port, survey_id, peer_cookies, samples
):
    ustaz = Client(ustaz_port, ustaz_cookies)
    status, location, *_ = ustaz.request("GET", f"/diagnostics/rounds/{round_id}/take/")
    form = location.replace(f"http://127.0.0.1:{ustaz_port}", "")
    page = form.replace("/form/", "/page/1/")
    figures = {}
    figures["Ustaz one-form GET"] = latency(ustaz, "GET", form, samples)
    figures["Ustaz paged page GET"] = latency(ustaz, "GET", page, samples)
    html = ustaz.request("GET", form)[2]
    token = CSRF.search(html).group(1)
    name, values = next(iter(radio_options(html).items()))

    def changed(number):  # one answer changed each time, as a teacher's click sends it
        return {"csrfmiddlewaretoken": token, name: values[number % 2], "sent": name[1:]}

    figures["Ustaz autosave"] = latency(
        ustaz, "POST", form, samples, headers={"HX-Request": "true"}, vary=changed
    )
    peer = Client(peer_port, peer_cookies)
    figures["peer form GET"] = latency(peer, "GET", f"/survey/{survey_id}/", samples)
    return figures


def report(results: dict, arguments) -> None:
    load = os.getloadavg()
    print()
    print(f"Side by side: {QUESTIONS} single-choice questions, 6 areas; gunicorn 2 sync workers;")
    print(
        f"load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, "
        f"{os.cpu_count()} CPUs (shared: rerun on a quiet machine for figures to keep)."
    )
    latency = results.get("latency", {})
    if latency:
        print()
        print(
            f"{'survey page latency (one at a time)':42} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'server p50':>11}"
        )
        for name, (walls, servers) in latency.items():
            server = f"{statistics.median(servers):.1f}" if servers else "-"
            print(
                f"{name:42} {percentile(walls, 0.5):8.1f} {percentile(walls, 0.95):8.1f} "
                f"{server:>11}"
            )
        peer = percentile(latency["peer form GET"][0], 0.5)
        for name in ("Ustaz one-form GET", "Ustaz paged page GET"):
            print(
                f"  ratio peer form GET / {name}, p50: "
                f"{peer / percentile(latency[name][0], 0.5):.2f}"
            )
    rates = results.get("rates", {})
    if rates:
        print()
        print(
            f"{'diagnoses, ' + str(arguments.teachers) + ' teachers at once':42} "
            f"{'done':>6} {'per s':>7} {'CPU ms/answer':>14} {'worker CPU':>11} {'errors':>7}"
        )
        for name, figures in rates.items():
            answered = max(figures["answered"], 1)
            web = figures["cpu"]["gunicorn"] * 1000 / answered
            worker = figures["cpu"].get("celery")
            worker_text = f"{worker * 1000 / answered:.3f}" if worker is not None else "-"
            print(
                f"{name:42} {figures['diagnoses']:6d} {figures['per_second']:7.2f} "
                f"{web:14.3f} {worker_text:>11} {figures['error_count']:7d}"
            )
            for error in figures["errors"]:
                print(f"    error: {error}")
            for kind, (p50, p95) in figures["latencies"].items():
                print(f"    {kind:20} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
        peer = rates.get("peer")
        if peer:
            for name, figures in rates.items():
                if name == "peer" or not figures["answered"]:
                    continue
                answered = max(figures["answered"], 1)
                ustaz_cpu = figures["cpu"]["gunicorn"] / answered
                total_cpu = (figures["cpu"]["gunicorn"] + figures["cpu"]["celery"]) / answered
                peer_cpu = peer["cpu"]["gunicorn"] / max(peer["answered"], 1)
                print(
                    f"  {name}: diagnoses/s {figures['per_second'] / peer['per_second']:.2f}x "
                    f"the peer's; CPU per answer: peer/Ustaz web {peer_cpu / ustaz_cpu:.2f}, "
                    f"peer/Ustaz web+worker {peer_cpu / total_cpu:.2f}"
                )


if __name__ == "__main__":
    main()
