"""Benchmark: importing a roster of 5,000 teachers (issue: "imports in under 10 seconds").

Runs against whatever database the environment configures (SQLite by default; set DATABASE_URL
for PostgreSQL). Everything happens inside a transaction that is rolled back, so the database is
left as it was. Measures, best of --repeat runs:
  - parse + validate + create (the service, as the upload view calls it);
  - the whole HTTP upload through Django's test client (form, permission, service, redirect);
  - rendering and sending the 5,000 invitation letters (Celery's job, over Django's locmem
    mail backend so that no SMTP server's speed is measured).

    .venv/bin/python bench/roster_import.py [--rows 5000] [--repeat 3]
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.summary import emit  # noqa: E402
from lms.invitations import send_set_password_links  # noqa: E402
from lms.models import School, User  # noqa: E402
from lms.roles import Role  # noqa: E402
from lms.services import roster_import  # noqa: E402


class Rollback(Exception):
    pass


def roster_csv(rows: int, run: int) -> bytes:
    lines = ["full_name;email;subject;years_of_teaching"]
    subjects = ["Математика", "Қазақ тілі", "Информатика", "Физика", "Тарих"]
    for i in range(rows):
        lines.append(f"Мұғалім {i} Тестов;bench{run}.{i}@school.example;{subjects[i % 5]};{i % 40}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def run_once(rows: int, run: int) -> dict[str, float]:
    data = roster_csv(rows, run)
    results = {}
    try:
        with transaction.atomic():
            school = School.objects.create(
                name="Bench school", region="R", district="D", code=f"BENCH-{run}"
            )
            outcome = {}
            results["service"] = timed(
                lambda: outcome.update(
                    result=roster_import(school=school, data=data, base_url="http://bench/")
                )
            )
            assert outcome["result"].ok and len(outcome["result"].created) == rows
            ids = list(User.objects.filter(school=school).values_list("pk", flat=True))
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                results["invitations"] = timed(
                    lambda: send_set_password_links(ids, base_url="http://bench/", language="kk")
                )
            raise Rollback
    except Rollback:
        pass
    try:
        with transaction.atomic():
            school = School.objects.create(
                name="Bench school", region="R", district="D", code=f"BENCH-HTTP-{run}"
            )
            admin = User.objects.create(
                email=f"bench-admin-{run}@example.org", full_name="Bench", role=Role.ADMINISTRATOR
            )
            client = Client()
            client.force_login(admin)
            upload = SimpleUploadedFile("roster.csv", roster_csv(rows, run + 1000))
            url = reverse("roster-import", args=[school.pk])
            response = {}
            results["http_upload"] = timed(
                lambda: response.update(r=client.post(url, {"file": upload}))
            )
            assert response["r"].status_code == 302, response["r"].status_code
            raise Rollback
    except Rollback:
        pass
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [run_once(args.rows, run) for run in range(args.repeat)]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"database: {connection.vendor}; celery eager: {settings.CELERY_TASK_ALWAYS_EAGER}")
    print(f"rows: {args.rows}, runs: {args.repeat} (best / worst, seconds)")
    for key in ("service", "http_upload", "invitations"):
        values = [run[key] for run in runs]
        print(f"  {key:<12} {min(values):6.2f} / {max(values):6.2f}")
    service = min(run["service"] for run in runs)
    name = f"roster import ({connection.vendor})"
    emit(name, f"{args.rows:,} rows: import, best s", service, "< 10", service < 10)
    emit(name, "the whole HTTP upload, best s", min(run["http_upload"] for run in runs))
    emit(name, "invitation letters, best s", min(run["invitations"] for run in runs))


if __name__ == "__main__":
    main()
