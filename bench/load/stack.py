"""The server stack of the load benchmark: its own PostgreSQL database, gunicorn, a Celery
worker and beat against Redis, all on 127.0.0.1, started and stopped by bench/load/run.py."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOGS = Path(tempfile.gettempdir()) / "ustaz-load"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg(command: str, database: str, server: str) -> None:
    """createdb / dropdb on the server of DATABASE_URL (postgres://user@host:port/...)."""
    from urllib.parse import urlsplit

    url = urlsplit(server)
    args = [command, "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    args += ["-U", url.username or "postgres"]
    if command == "dropdb":
        args.append("--if-exists")
    subprocess.run([*args, database], check=True)


@dataclass
class Stack:
    """gunicorn (workers x threads), one Celery worker and beat; `env` is what they all see."""

    database_url: str
    broker_url: str
    workers: int
    threads: int
    worker_concurrency: int = 1
    port: int = field(default_factory=free_port)
    logs: Path = LOGS
    gunicorn_config: str = ""  # a gunicorn -c file (run.py --profile: the cProfile hooks)
    processes: dict = field(default_factory=dict)

    def __post_init__(self):
        # One key for every process of the run (sessions are signed with it).
        os.environ.setdefault("LOAD_SECRET_KEY", secrets.token_urlsafe(50))

    @property
    def env(self) -> dict:
        tag = f"load-{os.getpid()}"
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            # Production settings: no DEBUG (no query log, hashed static files).
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": os.environ["LOAD_SECRET_KEY"],
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_LOG_LEVEL": "WARNING",
            # Keys and queue of this run only: the Redis database may be shared.
            "USTAZ_CACHE_KEY_PREFIX": tag,
            "CELERY_TASK_DEFAULT_QUEUE": tag,
            "PYTHONPATH": str(ROOT),
        }

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True)

    def _start(self, name: str, args: list[str]) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        self.processes[name] = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def start(self) -> None:
        tag = self.env["CELERY_TASK_DEFAULT_QUEUE"]
        self._start(
            "gunicorn",
            [
                str(BIN / "gunicorn"), "lms.wsgi", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers), "--threads", str(self.threads),
                "--worker-class", "gthread" if self.threads > 1 else "sync",
                # Idle connections kept longer than a teacher thinks (as the proxy in front
                # would): a shorter keep-alive closes sockets the client is about to reuse.
                "--backlog", "2048", "--keep-alive", "75",
                *(["-c", self.gunicorn_config] if self.gunicorn_config else []),
            ],
        )  # fmt: skip
        self._start(
            "worker",
            [
                str(BIN / "celery"), "-A", "lms", "worker", "--loglevel=warning",
                f"--concurrency={self.worker_concurrency}", "-n", f"{tag}@localhost",
                "--without-gossip", "--without-mingle",
            ],
        )  # fmt: skip
        self._start(
            "beat",
            [
                str(BIN / "celery"), "-A", "lms", "beat", "--loglevel=warning",
                f"--schedule={self.logs / 'celerybeat-schedule'}",
            ],
        )  # fmt: skip
        self.wait_until_serving()

    def wait_until_serving(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise SystemExit(f"{name} stopped at start: see {self.logs / name}.log")
            try:
                with urllib.request.urlopen(url, timeout=2) as reply:  # noqa: S310
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer {url} within {timeout:.0f} s")

    def pids(self, name: str) -> list[int]:
        """The process and its children (gunicorn's workers)."""
        root = self.processes[name].pid
        children = subprocess.run(
            ["pgrep", "-P", str(root)], capture_output=True, text=True
        ).stdout.split()
        return [root, *map(int, children)]

    def forget(self) -> None:
        """Delete this run's keys from Redis (cache entries, its Celery queue and bindings):
        the database number may be shared, so nothing else is touched."""
        import redis

        tag = self.env["CELERY_TASK_DEFAULT_QUEUE"]
        client = redis.Redis.from_url(self.broker_url)
        for pattern in (tag, f"{tag}:*", f"{tag}\x06*", f"_kombu.binding*.{tag}"):
            for key in client.scan_iter(match=pattern, count=1000):
                client.delete(key)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        self.forget()


class Vacuum:
    """PostgreSQL's upkeep of the run's database. A server in production keeps statistics and
    clears dead rows by itself (autovacuum, on by default, looks every minute). This machine's
    test server runs with `autovacuum = off`: there, without this, the seeded tables have no
    statistics at all and every upsert's dead row stays, and the server's CPU per request grew
    through a 5-minute run (0.3 to 0.75 of a core at the same 150 requests a second). So the
    seeded database is analysed before the clock starts, and when the server's autovacuum is
    off, `VACUUM (ANALYZE)` runs every `every` seconds, as autovacuum would; its cost is the
    server's, on the same cores."""

    def __init__(self, database_url: str, every: float = 60.0):
        import threading

        self.database_url = database_url
        self.every = every
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _run(self, statement: str) -> tuple | None:
        import psycopg2

        connection = psycopg2.connect(self.database_url)
        try:
            connection.autocommit = True  # VACUUM cannot run inside a transaction
            with connection.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchone() if cursor.description else None
        finally:
            connection.close()

    def server_autovacuum(self) -> bool:
        return self._run("SHOW autovacuum")[0] == "on"

    def analyse(self) -> None:
        self._run("VACUUM (ANALYZE)")

    def start(self) -> bool:
        """Stand in for autovacuum if the server's is off; says whether it does."""
        if self.server_autovacuum():
            return False
        self.thread.start()
        return True

    def _loop(self) -> None:
        while not self.stopping.wait(self.every):
            self.analyse()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join()
