"""PostgreSQL restarted during a burst of requests (issue 15, Faults): the requests that meet it
fail cleanly — Ustaz's translated error page, no traceback — and the site recovers by itself,
the same gunicorn workers serving again, with no restart of the app.

The PostgreSQL restarted is a private cluster (initdb in a temporary folder, a free port), never
the shared server other runs use. Ustaz is served by gunicorn with DJANGO_DEBUG=0 as in
production; what keeps it alive is CONN_HEALTH_CHECKS (a persistent connection the restart
killed is found dead before the request uses it, and replaced) and Django closing a connection
that raised, at the end of the request.
"""

import contextlib
import glob
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BURST_THREADS = 6
PATHS = ["/", "/library/", "/library/search/?q=informatics"]
# The error page in the language the browser asks for (Russian here, not the default Kazakh).
LANGUAGE = "ru"
ERROR_PAGE = "Что-то пошло не так"
LEAKS = ("Traceback", "OperationalError", "psycopg", "/work/", 'File "')

# Production settings, except that static files are served by name: the manifest storage would
# want a collectstatic (tens of seconds) that has nothing to do with the database.
SERVER_SETTINGS = """
from lms.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
"""

# A signed-in teacher, written into the private database; prints the session cookie.
SIGNED_IN_TEACHER = """
from django.test import Client
from tests.lms.factories import TeacherFactory

teacher = TeacherFactory(preferred_language="ru")
client = Client()
client.force_login(teacher)
print(client.cookies["sessionid"].value)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl and shutil.which("initdb") else None


@dataclass
class PrivatePostgres:
    binaries: Path
    data: Path
    port: int
    as_postgres: list[str]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/ustaz"

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.as_postgres, str(self.binaries / "pg_ctl"), "-D", str(self.data), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off"
        self.pg_ctl("-o", options, "-l", str(self.data / "log"), "-w", "start")

    def stop(self) -> None:
        # "fast": the connections of every gunicorn worker are cut, as in a real restart.
        self.pg_ctl("-m", "fast", "-w", "stop")


@pytest.fixture
def private_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("runs with the PostgreSQL half of the suite: set DATABASE_URL")
    binaries = _server_binaries()
    if binaries is None:
        pytest.skip(
            "PostgreSQL's server programs (initdb, pg_ctl) are missing: the restart test starts "
            "its own cluster besides DATABASE_URL's (apt-get install postgresql)"
        )
    folder = Path(tempfile.mkdtemp(prefix="ustaz-pg-restart-"))
    # PostgreSQL refuses to run as root: as root (CI), the cluster belongs to postgres.
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    server = PrivatePostgres(binaries, folder / "data", _free_port(), as_postgres)
    subprocess.run(
        [*as_postgres, str(binaries / "initdb"), "-D", str(server.data), "-U", "postgres"]
        + ["--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=120,
    )
    server.start()
    try:
        subprocess.run(
            [str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(server.port)]
            + ["-U", "postgres", "ustaz"],
            check=True,
            timeout=60,
        )
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def ustaz_server(private_postgres, tmp_path):
    """Ustaz migrated onto the private cluster and served by gunicorn (2 sync workers)."""
    (tmp_path / "pg_restart_settings.py").write_text(SERVER_SETTINGS)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CELERY_BROKER_URL", "CACHE_URL")  # the cache and queue stay in-process
    }
    env.update(
        DATABASE_URL=private_postgres.url,
        DJANGO_SETTINGS_MODULE="pg_restart_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="faults-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="CRITICAL",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--no-input"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
        stdout=subprocess.DEVNULL,
    )
    session = subprocess.run(
        [*manage, "shell", "-c", SIGNED_IN_TEACHER],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split()[-1]  # the shell's last line (it may announce its automatic imports first)
    port = _free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lms.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Served(port=port, session=session, process=gunicorn)
    try:
        deadline = time.monotonic() + 60
        while server.get("/")[0] != 200:
            assert gunicorn.poll() is None, "gunicorn stopped"
            assert time.monotonic() < deadline, "Ustaz did not start serving within 60 s"
            time.sleep(0.3)
        yield server
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


@dataclass
class Served:
    port: int
    session: str
    process: subprocess.Popen

    def get(self, path: str) -> tuple[int, str]:
        """(status, body); (0, the error) when no HTTP answer came back at all."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(
                "GET",
                path,
                headers={"Cookie": f"sessionid={self.session}", "Accept-Language": LANGUAGE},
            )
            reply = conn.getresponse()
            return reply.status, reply.read().decode("utf-8", "replace")
        except OSError as error:
            return 0, repr(error)
        finally:
            conn.close()

    def workers(self) -> set[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}


def burst(server: Served, stop: threading.Event, replies: list) -> None:
    n = 0
    while not stop.is_set():
        path = PATHS[n % len(PATHS)]
        n += 1
        status, body = server.get(path)
        replies.append((time.monotonic(), path, status, body))


def all_at_once(server: Served, count: int) -> list[int]:
    """`count` requests sent together, so that both workers take some; their statuses."""
    statuses: list = []
    threads = [
        threading.Thread(target=lambda n=n: statuses.append(server.get(PATHS[n % len(PATHS)])[0]))
        for n in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_requests_fail_cleanly_while_postgresql_restarts_and_the_site_recovers(
    ustaz_server, private_postgres
):
    workers = ustaz_server.workers()
    assert len(workers) == 2
    replies: list = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=burst, args=(ustaz_server, stop, replies))
        for _ in range(BURST_THREADS)
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)  # the burst under way, every worker holding a persistent connection
        private_postgres.stop()
        time.sleep(1.5)  # requests arrive while PostgreSQL is down
        private_postgres.start()
        restarted = time.monotonic()
        time.sleep(3)  # and go on after it is back
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    statuses = [status for _, _, status, _ in replies]
    failed = [(path, status, body) for _, path, status, body in replies if status != 200]
    assert failed, "no request met the restart: the test proved nothing"
    assert statuses.count(200), "nothing was served before or after the restart"
    for path, status, body in failed:
        # An HTTP answer every time (no dropped connection, no crashed worker) ...
        assert status in (500, 503), (path, status, body[:300])
        # ... and it is Ustaz's error page, in the browser's language, with nothing of the
        # exception in it.
        assert ERROR_PAGE in body, (path, status, body[:300])
        for leak in LEAKS:
            assert leak not in body, (path, status, leak)

    # Recovered without a restart: the same two workers answer every page, the first requests
    # after the restart included (a dead persistent connection is replaced, not used).
    after = [status for moment, _, status, _ in replies if moment > restarted + 1]
    assert after and set(after) == {200}, after
    for path in PATHS:
        assert ustaz_server.get(path)[0] == 200

    # A restart between two requests costs no request at all: the workers' persistent
    # connections died with it, and the health check replaces each before it is used.
    assert set(all_at_once(ustaz_server, 12)) == {200}  # both workers hold a connection
    private_postgres.stop()
    private_postgres.start()
    assert set(all_at_once(ustaz_server, 12)) == {200}

    assert ustaz_server.process.poll() is None
    assert ustaz_server.workers() == workers
