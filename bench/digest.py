"""Benchmark: the daily digest for 10,000 teachers (issue: "the digest under 60 s with one SMTP
connection per batch").

Runs against whatever database the environment configures (SQLite by default; set DATABASE_URL
for PostgreSQL). Each run builds its data inside a transaction that is rolled back, so the
database is left as it was:

  - 10,000 teachers (Kazakh, Russian and Kyrgyz) who chose the daily digest for two kinds;
  - a general forum with a topic of three posts and one deleted post;
  - notifications written by `notify()`, as the apps write them: a diagnosis round opened, and
    a new post for each of the four posts (five rows a teacher; the deleted post's row must be
    left out of every letter by the forums' visibility check).

Then it calls the Celery task `send_notification_digests` in-process, as the worker runs it,
with Django's SMTP backend pointed at a real SMTP server started by this script (aiosmtpd on
127.0.0.1, in a process of its own): the connections and letters counted are the server's.

    .venv/bin/python bench/digest.py [--teachers 10000] [--batch 200] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ustaz_digest .venv/bin/python bench/digest.py
"""

import argparse
import logging
import math
import multiprocessing
import os
import platform
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import SMTP  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402

from bench.summary import emit  # noqa: E402
from forums.models import Forum, Post, Topic  # noqa: E402
from lms.models import School, User  # noqa: E402
from lms.notifications import mail as notification_mail  # noqa: E402
from lms.notifications.models import Notification, NotificationPreference  # noqa: E402
from lms.notifications.registry import Delivery  # noqa: E402
from lms.notifications.services import notify  # noqa: E402
from lms.notifications.tasks import send_notification_digests  # noqa: E402
from lms.roles import Role  # noqa: E402

ROUND = "lms.round_opened"
NEW_POST = "forums.new_post"
LANGUAGES = ("kk", "ru", "ky")


class Rollback(Exception):
    pass


class Sink:
    """What the SMTP server saw: connections opened and letters accepted, in counters shared
    with this process (the server runs in a process of its own, as a real one would: in a
    thread here it would compete for this process's interpreter lock and slow the digest)."""

    def __init__(self):
        context = multiprocessing.get_context("fork")
        self.connections = context.Value("i", 0)
        self.letters = context.Value("i", 0)
        self.cpu = context.Value("d", 0.0)  # the server's CPU seconds since the last reset
        self.stop = context.Event()
        self.ready = context.Event()
        self.port = free_port()
        self.process = context.Process(target=self._serve, daemon=True)

    def start(self):
        self.process.start()
        if not self.ready.wait(10):
            sys.exit("The SMTP sink did not start.")

    def close(self):
        self.stop.set()
        self.process.join(10)

    def reset(self):
        self.connections.value = self.letters.value = 0
        self.cpu.value = 0.0

    def _serve(self):
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        controller = CountingController(self, hostname="127.0.0.1", port=self.port)
        controller.start()  # it opens one connection of its own to check it listens
        self.ready.set()
        self.stop.wait()
        controller.stop()

    async def handle_DATA(self, server, session, envelope):
        with self.letters.get_lock():
            self.letters.value += 1
        self._cpu_since_reset()
        return "250 OK"

    def _cpu_since_reset(self):
        # Called in the server's process: its CPU time, less what it had at the last reset.
        now = time.process_time()
        if self.cpu.value == 0.0 or self.letters.value == 1:
            self._cpu_start = now
        self.cpu.value = max(now - self._cpu_start, 1e-9)


class CountingController(Controller):
    def factory(self):
        sink = self.handler

        class CountingSMTP(SMTP):
            def connection_made(self, transport):
                with sink.connections.get_lock():
                    sink.connections.value += 1
                super().connection_made(transport)

        return CountingSMTP(self.handler, **self.SMTP_kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_data(teachers: int, run: int) -> int:
    school = School.objects.create(
        name="Bench digest school", region="R", district="D", code=f"BENCH-DIGEST-{run}"
    )
    author = User.objects.create(
        email=f"bench-digest-{run}-author@bench.ustaz.kz",
        full_name="Bench methodist",
        role=Role.METHODIST,
    )
    User.objects.bulk_create(
        [
            User(
                email=f"bench-digest-{run}-{n}@bench.ustaz.kz",
                full_name=f"Мұғалім {n} Тестов",
                password=make_password(None),
                role=Role.TEACHER,
                school=school,
                preferred_language=LANGUAGES[n % len(LANGUAGES)],
            )
            for n in range(teachers)
        ],
        batch_size=2000,
    )
    ids = list(User.objects.filter(school=school).values_list("pk", flat=True))
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user_id=user_id, kind=kind, delivery=Delivery.DIGEST)
            for user_id in ids
            for kind in (ROUND, NEW_POST)
        ],
        batch_size=5000,
    )
    forum = Forum.objects.create(title="Bench digest forum", kind=Forum.Kind.GENERAL)
    topic = Topic.objects.create(forum=forum, title="Цифрлық сабақ", author=author)
    posts = [
        Post.objects.create(topic=topic, author=author, body=f"Post {n}", is_opening=n == 0)
        for n in range(4)
    ]
    Post.objects.filter(pk=posts[-1].pk).update(deleted_at=django.utils.timezone.now())
    written = notify(recipients=ids, kind=ROUND, params={"title": "Күз 2026"}, link="/")
    for post in posts:
        written += notify(
            recipients=ids,
            kind=NEW_POST,
            params={"author": author.full_name, "topic": topic.title},
            link="/",
            target_id=post.pk,
            actor=author,
        )
    return written


def run_once(teachers: int, batch: int, run: int, sink: Sink) -> dict:
    result = {}
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    try:
        with transaction.atomic():
            started = time.perf_counter()
            result["rows"] = make_data(teachers, run)
            result["setup"] = time.perf_counter() - started
            sink.reset()
            notification_mail.BATCH = batch
            started, cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(count):
                result["letters"] = send_notification_digests()
            result["digest"] = time.perf_counter() - started
            result["cpu"] = time.process_time() - cpu
            result["sink_cpu"] = sink.cpu.value
            result["queries"] = len(executed)
            result["connections"] = sink.connections.value
            result["received"] = sink.letters.value
            result["left"] = Notification.objects.filter(mail=Notification.Mail.DIGEST).count()
            raise Rollback
    except Rollback:
        pass
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--teachers", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=notification_mail.BATCH)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sink = Sink()
    sink.start()
    port = sink.port
    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(
        f"{platform.node()} · {database} · {args.teachers:,} teachers · "
        f"batch {args.batch} · {args.repeat} runs · SMTP sink on 127.0.0.1:{port}"
    )
    results = []
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        ):
            for run in range(args.repeat):
                result = run_once(args.teachers, args.batch, run, sink)
                results.append(result)
                print(
                    f"  run {run + 1}: set-up {result['setup']:.1f} s, digest "
                    f"{result['digest']:.1f} s (CPU {result['cpu']:.1f} s; SMTP server CPU "
                    f"{result['sink_cpu']:.1f} s), {result['received']:,} letters over "
                    f"{result['connections']} SMTP connections, {result['queries']} queries"
                )
    finally:
        sink.close()
    expected_connections = math.ceil(args.teachers / args.batch)
    digest = sorted(result["digest"] for result in results)
    print()
    print("| measure | best | worst |")
    print("|---|---|---|")
    print(f"| digest for {args.teachers:,} teachers, s | {digest[0]:.1f} | {digest[-1]:.1f} |")
    cpu = sorted(result["cpu"] for result in results)
    print(f"| of which CPU of the digest's process, s | {cpu[0]:.1f} | {cpu[-1]:.1f} |")
    print(
        f"| per letter, ms | {digest[0] * 1000 / args.teachers:.2f} | "
        f"{digest[-1] * 1000 / args.teachers:.2f} |"
    )
    print(
        f"letters {results[0]['received']:,} (expected {args.teachers:,}); SMTP connections "
        f"{results[0]['connections']} (expected {expected_connections}: one per batch of "
        f"{args.batch}); queries {results[0]['queries']}; rows left waiting {results[0]['left']}"
    )
    assert settings.EMAIL_BACKEND  # the override ended; the letters went to the sink only
    emit("digest", f"{args.teachers:,} teachers, best s", digest[0], "< 60", digest[0] < 60)
    one_per_batch = results[0]["connections"] == expected_connections
    emit("digest", "SMTP connections", results[0]["connections"],
         f"{expected_connections} (one per batch)", one_per_batch)  # fmt: skip
    for result in results:
        if result["received"] != args.teachers or result["letters"] != args.teachers:
            sys.exit("Not every teacher got exactly one letter.")
        if result["connections"] != expected_connections:
            sys.exit("Not one SMTP connection per batch.")
        if result["left"]:
            sys.exit("Digest rows were left waiting.")


if __name__ == "__main__":
    main()
