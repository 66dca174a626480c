"""Benchmark: the portfolio page of a teacher with 5 years of history, on PostgreSQL.

Issue target: the page reads a fixed number of queries and answers in under 50 ms (p95, server
time) on PostgreSQL.

Needs DATABASE_URL (PostgreSQL). It writes bench rows into that database: a school of teachers
(--teachers), each with --years of history — two scored rounds of the ready instrument a year
with area scores, --courses-per-year completed courses with certificates, reflections — and
removes them at the end unless --keep is given.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ustaz_portfolio
    .venv/bin/python bench/portfolio.py [--teachers 200] [--years 5] [--courses-per-year 6]
        [--requests 200]

The page is requested through Django's test client in-process (middleware, session, templates,
all the queries), so the time is the server's: no network, no browser.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_PREFIX = "BENCH-PF-"


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()


def make_data(*, teachers: int, years: int, courses_per_year: int):
    from datetime import timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from courses.certificates.codes import new_code
    from courses.models import Certificate, Course, Enrolment, Lesson, Module, Reflection
    from diagnostics.demo import ready_instrument
    from diagnostics.models import AreaScore, Response, Round
    from lms.models import School, User

    instrument = ready_instrument()
    areas = list(instrument.framework.areas.order_by("position"))
    levels = list(instrument.framework.levels.order_by("position"))
    now = timezone.now()
    start = now - timedelta(days=365 * years)
    with transaction.atomic():
        school = School.objects.create(
            name=f"{BENCH_PREFIX}school", region="Bench", district="Bench", code=f"{BENCH_PREFIX}1"
        )
        people = User.objects.bulk_create(
            User(
                email=f"{BENCH_PREFIX.lower()}{i}@bench.ustaz.kz",
                full_name=f"Бench Мұғалім {i}",
                school=school,
                role="teacher",
                preferred_language="kk",
            )
            for i in range(teachers)
        )
        rounds = [
            Round.objects.create(
                instrument=instrument,
                title=f"{BENCH_PREFIX}round {n}",
                opens_at=start + timedelta(days=182 * n),
                closes_at=start + timedelta(days=182 * n + 30),
            )
            for n in range(2 * years)
        ]
        total_courses = courses_per_year * years
        courses = [
            Course.objects.create(
                title_kk=f"{BENCH_PREFIX}курс {n}",
                slug=f"{BENCH_PREFIX.lower()}{n}",
                language="kk",
                published=True,
                estimated_hours=12,
            )
            for n in range(total_courses)
        ]
        for course in courses:
            module = Module.objects.create(course=course, position=1, title_kk="Модуль")
            Lesson.objects.bulk_create(
                Lesson(module=module, position=i, title_kk=f"Сабақ {i}") for i in range(5)
            )
        for person in people:
            responses = Response.objects.bulk_create(
                Response(
                    round=round_,
                    instrument=instrument,
                    teacher=person,
                    status=Response.Status.SCORED,
                    submitted_at=round_.opens_at,
                    scored_at=round_.opens_at + timedelta(days=1),
                    percent=Decimal(30 + 5 * n),
                    level=levels[min(n // 3, len(levels) - 1)],
                )
                for n, round_ in enumerate(rounds)
            )
            AreaScore.objects.bulk_create(
                AreaScore(
                    response=response,
                    area=area,
                    part=AreaScore.Part.ALL,
                    points=Decimal(1),
                    max_points=Decimal(2),
                    percent=Decimal(30 + 5 * n),
                    level=response.level,
                )
                for n, response in enumerate(responses)
                for area in areas
            )
            done = [
                start + timedelta(days=int(365 * years * (i + 1) / (total_courses + 1)))
                for i in range(total_courses)
            ]
            Enrolment.objects.bulk_create(
                Enrolment(
                    user=person,
                    course=course,
                    lessons_total=5,
                    lessons_done=5,
                    percent=100,
                    completed_at=when,
                )
                for course, when in zip(courses, done, strict=True)
            )
            Certificate.objects.bulk_create(
                Certificate(
                    user=person,
                    course=course,
                    code=new_code(),
                    language="kk",
                    holder_name=person.full_name,
                    course_title=course.title_kk,
                    hours=12,
                    areas=[str(a.name) for a in areas[:2]],
                    issued_on=when.date(),
                )
                for course, when in zip(courses, done, strict=True)
            )
            Reflection.objects.bulk_create(
                Reflection(user=person, text="Сабағымда не өзгерді... " * 20, created_at=when)
                for when in done
            )
    return people[0]


def remove_data():
    from django.db import transaction

    from courses.models import Course
    from diagnostics.models import Response, Round
    from lms.models import School, User

    with transaction.atomic():
        Response.objects.filter(round__title__startswith=BENCH_PREFIX).delete()
        Round.objects.filter(title__startswith=BENCH_PREFIX).delete()
        User.objects.filter(email__startswith=BENCH_PREFIX.lower()).delete()
        Course.objects.filter(slug__startswith=BENCH_PREFIX.lower()).delete()
        School.objects.filter(code__startswith=BENCH_PREFIX).delete()


def measure(teacher, requests: int) -> tuple[list[float], int]:
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(teacher)
    url = reverse("portfolio:mine")
    assert client.get(url).status_code == 200  # warm up caches and the template loader
    # The request closes its connection when it finishes: count through DEBUG's query log,
    # which outlives it, and time with DEBUG off.
    settings.DEBUG = True
    reset_queries()
    client.get(url)
    queries = list(connection.queries)
    settings.DEBUG = False
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return times, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--courses-per-year", type=int, default=6)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    remove_data()
    began = time.perf_counter()
    teacher = make_data(
        teachers=args.teachers, years=args.years, courses_per_year=args.courses_per_year
    )
    setup_s = time.perf_counter() - began
    try:
        times, queries = measure(teacher, args.requests)
    finally:
        if not args.keep:
            remove_data()
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpus; python {platform.python_version()}"
    )
    print(
        f"history: {args.years} years, {2 * args.years} rounds, "
        f"{args.years * args.courses_per_year} courses and certificates, "
        f"reflections as many; {args.teachers} such teachers (setup {setup_s:.1f} s)"
    )
    print(f"portfolio page: {queries} queries")
    print(
        f"server time over {len(times)} requests: p50 {statistics.median(times):.1f} ms, "
        f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms"
    )
    from bench.summary import emit

    emit("portfolio", f"{args.years}-year history: page p95 ms", p95, "< 50", p95 < 50)
    emit("portfolio", "queries", queries)


if __name__ == "__main__":
    main()
