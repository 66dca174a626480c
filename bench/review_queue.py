"""Benchmark: the methodists' review queue over 100,000 submitted works on PostgreSQL.

Issue target: a fixed number of queries per page and p95 under 50 ms server time.

Needs DATABASE_URL (PostgreSQL). It writes into that database: bench schools, teachers, a course
with assignments and 100,000 works (teachers, works and their versions are made with
INSERT ... SELECT over generate_series, so setting up takes seconds), and removes them at the
end unless --keep is given.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ustaz_bench
    PYTHONPATH=. .venv/bin/python bench/review_queue.py [--works 100000] [--repeat 30]

The queue is requested through Django's test client as a signed-in methodist (middleware,
view, template and every query included): the first page, a deep page, and each filter (course,
school, study group, waiting time). Every variant must read the same number of queries whatever
the page; the script fails if it does not.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import (  # noqa: E402
    close_old_connections,  # noqa: E402
    connection,
    transaction,
)
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.summary import emit  # noqa: E402
from courses.assignments.models import Assignment  # noqa: E402
from courses.models import Course, Lesson, LessonKind, Module  # noqa: E402
from lms.models import School, User  # noqa: E402
from lms.roles import Role  # noqa: E402

PREFIX = "BENCH-WORK-"
COURSE_SLUG = "bench-review-queue"
ASSIGNMENTS = 20


def make_data(works: int, schools: int):
    with transaction.atomic():
        School.objects.bulk_create(
            [
                School(
                    name=f"{PREFIX}{n}", region="Bench", district=f"D{n % 20}", code=f"{PREFIX}{n}"
                )
                for n in range(schools)
            ]
        )
        course = Course.objects.create(slug=COURSE_SLUG, title="Bench review queue", language="kk")
        module = Module.objects.create(course=course, position=1, title="Bench")
        assignments = []
        for n in range(ASSIGNMENTS):
            lesson = Lesson.objects.create(
                module=module, position=n, kind=LessonKind.PRACTICAL_WORK, title=f"Bench work {n}"
            )
            assignments.append(Assignment.objects.create(lesson=lesson, instructions="Bench"))
        first_school = School.objects.filter(code__startswith=PREFIX).order_by("pk").first().pk
        first_assignment = assignments[0].pk
        with connection.cursor() as cursor:
            # One teacher per work; schools and assignments spread round-robin.
            cursor.execute(
                """
                INSERT INTO lms_user (password, is_superuser, email, full_name, role, school_id,
                                      subject, preferred_language, is_active, date_joined)
                SELECT '!', false, %s || g || '@bench.ustaz.kz', 'Bench teacher ' || g,
                       'teacher', %s + (g %% %s), '', 'kk', true, now()
                FROM generate_series(1, %s) AS g
                """,
                [PREFIX.lower(), first_school, schools, works],
            )
            cursor.execute(
                """
                INSERT INTO courses_submission (assignment_id, author_id, status, draft_text,
                    draft_link, course_id, school_id, versions_count, submitted_at, created_at)
                SELECT %s + (u.id %% %s), u.id,
                       CASE WHEN u.id %% 10 < 7 THEN 'submitted'
                            WHEN u.id %% 10 < 9 THEN 'accepted' ELSE 'returned' END,
                       '', '', %s, u.school_id, 1,
                       now() - (u.id %% 43200) * interval '1 minute', now()
                FROM lms_user u WHERE u.email LIKE %s
                """,
                [first_assignment, ASSIGNMENTS, course.pk, PREFIX.lower() + "%"],
            )
            cursor.execute(
                """
                INSERT INTO courses_submissionversion (submission_id, number, text, link,
                                                       submitted_at)
                SELECT s.id, 1, 'Bench work text', '', s.submitted_at
                FROM courses_submission s WHERE s.course_id = %s
                """,
                [course.pk],
            )
            # As autovacuum would after such a load: without the users' statistics PostgreSQL
            # planned the deep pages as a hash join of every user.
            cursor.execute("ANALYZE courses_submission")
            cursor.execute("ANALYZE lms_user")
    return course


def drop_data():
    with transaction.atomic():
        # Set-based deletes: the ORM's cascade would load 100,000 rows to delete them.
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM courses_submissionversion WHERE submission_id IN "
                "(SELECT id FROM courses_submission WHERE course_id IN "
                "(SELECT id FROM courses_course WHERE slug = %s))",
                [COURSE_SLUG],
            )
            cursor.execute(
                "DELETE FROM courses_submission WHERE course_id IN "
                "(SELECT id FROM courses_course WHERE slug = %s)",
                [COURSE_SLUG],
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM courses_assignment WHERE lesson_id IN (SELECT l.id FROM "
                "courses_lesson l JOIN courses_module m ON m.id = l.module_id JOIN "
                "courses_course c ON c.id = m.course_id WHERE c.slug = %s)",
                [COURSE_SLUG],
            )
            cursor.execute(
                "DELETE FROM courses_lesson WHERE module_id IN (SELECT m.id FROM courses_module m "
                "JOIN courses_course c ON c.id = m.course_id WHERE c.slug = %s)",
                [COURSE_SLUG],
            )
            cursor.execute(
                "DELETE FROM courses_module WHERE course_id IN "
                "(SELECT id FROM courses_course WHERE slug = %s)",
                [COURSE_SLUG],
            )
            cursor.execute("DELETE FROM courses_course WHERE slug = %s", [COURSE_SLUG])
            cursor.execute("DELETE FROM lms_user WHERE email LIKE %s", [PREFIX.lower() + "%"])
            cursor.execute("DELETE FROM lms_school WHERE code LIKE %s", [PREFIX + "%"])


def measure(client, url, repeat):
    client.get(url)  # warm the connection, the templates and the plan cache
    times = []
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    return len(executed), statistics.median(times), p95


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.DEBUG = False
    # A served site keeps its database connections (CONN_MAX_AGE, a pool); the test client
    # would otherwise open a new one per request and time the connection, not the page.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    course = Course.objects.filter(slug=COURSE_SLUG).first()
    if course is None:
        started = time.perf_counter()
        course = make_data(args.works, args.schools)
        print(f"set up {args.works:,} works in {time.perf_counter() - started:.1f} s")
    methodist, _created = User.objects.get_or_create(
        email=f"{PREFIX.lower()}methodist@bench.ustaz.kz",
        defaults={"full_name": "Bench methodist", "role": Role.METHODIST},
    )
    client = Client()
    client.force_login(methodist)
    school = School.objects.filter(code__startswith=PREFIX).order_by("pk").first()
    queue = reverse("assignments:queue")
    variants = {
        "first page": f"{queue}",
        "page 500": f"{queue}?page=500",
        "course": f"{queue}?course={course.pk}",
        "school": f"{queue}?school={school.pk}",
        "waiting 14 days": f"{queue}?waiting=14",
        "course+school+7 days": f"{queue}?course={course.pk}&school={school.pk}&waiting=7",
    }
    print(f"{platform.node()} · PostgreSQL · {args.works:,} works · {args.repeat} requests each")
    counts = {}
    worst = 0.0
    for name, url in variants.items():
        queries, median, p95 = measure(client, url, args.repeat)
        counts[name] = queries
        worst = max(worst, p95)
        print(f"  {name:<22} queries {queries:>2}  median {median:6.1f} ms  p95 {p95:6.1f} ms")
    print(f"worst p95 {worst:.1f} ms (target 50 ms); queries per page: {counts}")
    emit("review queue", f"{args.works:,} works: worst p95 ms", worst, "< 50", worst < 50)
    fixed = counts["first page"] == counts["page 500"] and max(counts.values()) <= 7
    emit("review queue", "queries per page", max(counts.values()), "≤ 7, fixed", fixed)
    if not args.keep:
        drop_data()
    # The group list is read once a course or school is chosen, and an empty result skips the
    # page query: 5 to 7 queries, never more, and the same on the first and the 500th page.
    if counts["first page"] != counts["page 500"] or max(counts.values()) > 7:
        sys.exit("The number of queries is not fixed.")


if __name__ == "__main__":
    main()
