"""The courses benchmark's data: written with INSERT ... SELECT over generate_series, and removed.

Imported by bench/courses.py once Django is set up (see its docstring for the shape of the data).
"""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from diagnostics.demo import ready_instrument
from diagnostics.models import Round
from lms.models import School, User
from lms.roles import Role

PREFIX = "bench-crs-"
SCHOOL_CODE = "BENCH-CRS-"
ROUND_TITLE = "Bench courses"
GROUP_SIZE = 30


def sql(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def build(teachers: int, courses: int, schools: int) -> None:
    instrument = ready_instrument()
    framework = instrument.framework
    levels = list(framework.levels.order_by("position").values_list("pk", flat=True))
    areas = list(framework.areas.order_by("position").values_list("pk", flat=True))
    now = timezone.now()
    School.objects.bulk_create(
        School(
            name=f"Bench school {i}",
            region="Bench",
            district=f"District {i % 5}",
            code=f"{SCHOOL_CODE}{i:04d}",
        )  # fmt: skip
        for i in range(schools)
    )
    school_ids = list(
        School.objects.filter(code__startswith=SCHOOL_CODE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    round_ = Round.objects.create(
        instrument=instrument, title=ROUND_TITLE, opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
    )  # fmt: skip
    p = {
        "schools": school_ids, "n_schools": len(school_ids), "teachers": teachers,
        "courses": courses, "levels": levels, "n_levels": len(levels), "areas": areas,
        "round": round_.pk, "instrument": instrument.pk, "prefix": PREFIX,
    }  # fmt: skip
    sql("SET session_replication_role = replica")  # no FK triggers while bulk-writing
    sql("SELECT setseed(0.42)")
    sql(
        """INSERT INTO lms_user (password, is_superuser, email, full_name, role, school_id,
               subject, preferred_language, is_active, date_joined)
           SELECT '!', false, %(prefix)s || g || '@bench.example', 'Bench teacher ' || g,
               'teacher', (%(schools)s::bigint[])[1 + (g - 1) %% %(n_schools)s], 'Mathematics',
               'kk', true, now()
           FROM generate_series(1, %(teachers)s) g""",
        p,
    )
    sql(
        """INSERT INTO diagnostics_response (round_id, instrument_id, teacher_id, status, language,
               started_at, submitted_at, scored_at, percent, level_id)
           SELECT %(round)s, %(instrument)s, id, 'scored', 'kk', now(), now(), now(), 50,
               (%(levels)s::bigint[])[1 + id %% %(n_levels)s]
           FROM lms_user WHERE email LIKE %(prefix)s || '%%'""",
        p,
    )
    sql(
        """INSERT INTO diagnostics_areascore (response_id, area_id, part, points, max_points,
               percent, level_id)
           SELECT r.id, a.id, 'all', 50, 100, round((100 * random())::numeric, 2), r.level_id
           FROM diagnostics_response r CROSS JOIN unnest(%(areas)s::bigint[]) AS a(id)
           WHERE r.round_id = %(round)s""",
        p,
    )
    sql(
        """INSERT INTO courses_course (title, title_kk, slug, summary, summary_kk, language, cover,
               estimated_hours, published, published_at, created_at, updated_at)
           SELECT 'Bench course ' || c, 'Bench course ' || c, %(prefix)s || c, '', 'Summary', 'kk',
               '', 10, true, now(), now(), now()
           FROM generate_series(1, %(courses)s) c""",
        p,
    )
    sql(
        """CREATE TEMP TABLE bench_course AS
           SELECT id, row_number() OVER (ORDER BY id) AS n FROM courses_course
           WHERE slug LIKE %(prefix)s || '%%'""",
        p,
    )
    sql(
        """INSERT INTO courses_course_areas (course_id, area_id)
           SELECT id, (%(areas)s::bigint[])[1 + n %% 6] FROM bench_course""",
        p,
    )
    sql(
        """INSERT INTO courses_course_levels (course_id, level_id)
           SELECT id, (%(levels)s::bigint[])[1 + n %% %(n_levels)s] FROM bench_course""",
        p,
    )
    sql(
        """INSERT INTO courses_module (course_id, position, title, title_kk, summary)
           SELECT c.id, m, 'Module ' || m, 'Module ' || m, '' FROM bench_course c
           CROSS JOIN generate_series(1, 10) m"""
    )
    sql(
        """INSERT INTO courses_lesson (module_id, position, kind, title, title_kk, summary, body,
               body_kk, information_sources, video, video_url, completion_rule, required,
               area_id)
           SELECT m.id, l, 'lecture', 'Lesson ' || m.position || '.' || l,
               'Lesson ' || m.position || '.' || l, '', '', repeat('Мәтін. ', 300), '', '', '',
               'marked_done', true, (%(areas)s::bigint[])[1 + l %% 6]
           FROM courses_module m JOIN bench_course c ON c.id = m.course_id
           CROSS JOIN generate_series(1, 10) l""",
        p,
    )
    sql(
        """CREATE TEMP TABLE bench_lesson AS
           SELECT m.course_id, l.id AS lesson_id, (m.position - 1) * 10 + l.position AS ord
           FROM courses_lesson l JOIN courses_module m ON m.id = l.module_id
           JOIN bench_course c ON c.id = m.course_id"""
    )
    sql("CREATE INDEX ON bench_lesson (course_id, ord)")
    # Course 1: every teacher; then 9 more distinct courses each (k * 111 mod 999 differ).
    # One draw per enrolment: in a subquery kept apart by OFFSET 0 (a LATERAL draw was memoised
    # per course slot, so every teacher of course 1 drew the same kind of progress).
    sql(
        """CREATE TEMP TABLE bench_enrol AS
           SELECT user_id, course_id,
               CASE WHEN r < 0.30 THEN 0 WHEN r < 0.45 THEN 100
                    ELSE 1 + floor(random() * 99)::int END AS done
           FROM (SELECT u.id AS user_id, c.id AS course_id, random() AS r
                 FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM lms_user
                       WHERE email LIKE %(prefix)s || '%%') u
                 CROSS JOIN generate_series(0, 9) k
                 JOIN bench_course c ON c.n = CASE WHEN k = 0 THEN 1
                      ELSE 2 + (u.n * 7 + (k - 1) * 111) %% (%(courses)s - 1) END
                 OFFSET 0) draws""",
        p,
    )
    sql(
        """INSERT INTO courses_enrolment (user_id, course_id, source, enrolled_at, lessons_total,
               lessons_done, percent, completed_at, last_lesson_id, last_activity_at)
           SELECT e.user_id, e.course_id, 'self', now() - interval '60 days', 100, e.done, e.done,
               CASE WHEN e.done = 100 THEN now() - interval '2 days' END, l.lesson_id,
               CASE WHEN e.done > 0 THEN now() - (e.user_id % 40) * interval '1 day' END
           FROM bench_enrol e LEFT JOIN bench_lesson l
             ON l.course_id = e.course_id AND l.ord = LEAST(e.done + 1, 100) AND e.done > 0"""
    )
    sql(
        """INSERT INTO courses_lessonprogress (enrolment_id, lesson_id, first_opened_at,
               last_opened_at, video_fraction, completed_at, completed_by)
           SELECT e.id, l.lesson_id, now() - (60 - l.ord / 2) * interval '1 day',
               now() - (60 - l.ord / 2) * interval '1 day', 0,
               CASE WHEN l.ord <= e.lessons_done THEN now() - (59 - l.ord / 2) * interval '1 day'
               END,
               CASE WHEN l.ord <= e.lessons_done THEN 'marked_done' ELSE '' END
           FROM courses_enrolment e JOIN bench_course c ON c.id = e.course_id
           JOIN bench_lesson l ON l.course_id = e.course_id
             AND l.ord <= LEAST(e.lessons_done + 1, 100)
           WHERE e.lessons_done > 0"""
    )
    sql(
        """INSERT INTO courses_completionevent (user_id, lesson_id, evidence, source_ref,
               occurred_at)
           SELECT e.user_id, p.lesson_id, 'marked_done', '', p.completed_at
           FROM courses_lessonprogress p JOIN courses_enrolment e ON e.id = p.enrolment_id
           WHERE e.course_id = (SELECT id FROM bench_course WHERE n = 1)
             AND p.completed_at IS NOT NULL"""
    )
    # Each teacher's learning path: their enrolled courses other than course 1, from their
    # scored response (so reading it does not rebuild it).
    sql(
        """INSERT INTO courses_learningpathentry (teacher_id, course_id, rank, reason, area_id,
               level_id, response_id, round_id, built_at)
           SELECT e.user_id, e.course_id,
               row_number() OVER (PARTITION BY e.user_id ORDER BY e.course_id),
               'weakest_area', NULL, r.level_id, r.id, r.round_id, now()
           FROM bench_enrol e JOIN diagnostics_response r
             ON r.teacher_id = e.user_id AND r.round_id = %(round)s
           WHERE e.course_id <> (SELECT id FROM bench_course WHERE n = 1)""",
        p,
    )
    # Study groups of 30 consecutive teachers (all in course 1), the first one the mentor.
    sql(
        """INSERT INTO diagnostics_studygroup (round_id, school_id, region, district, level_id,
               language, number, name, bucket, locked, created_at)
           SELECT %(round)s, NULL, 'Bench', 'District 0', (%(levels)s::bigint[])[1], '', g,
               'Bench group ' || g, 'bench', false, now()
           FROM generate_series(1, %(teachers)s / 30) g""",
        p,
    )
    sql(
        """INSERT INTO diagnostics_groupmembership (round_id, group_id, teacher_id, response_id,
               is_mentor, placed_by_hand)
           SELECT %(round)s, g.id, u.id, r.id, (u.n - 1) %% 30 = 0, false
           FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM lms_user
                 WHERE email LIKE %(prefix)s || '%%') u
           JOIN (SELECT id, number FROM diagnostics_studygroup WHERE round_id = %(round)s) g
             ON g.number = 1 + (u.n - 1) / 30
           JOIN diagnostics_response r ON r.teacher_id = u.id AND r.round_id = %(round)s""",
        p,
    )
    sql("SET session_replication_role = DEFAULT")
    User.objects.create_user(
        email=f"{PREFIX}methodist@bench.example", role=Role.METHODIST, full_name="Bench methodist"
    )
    User.objects.create_user(
        email=f"{PREFIX}head@bench.example", role=Role.SCHOOL_HEAD, school_id=school_ids[0],
        full_name="Bench head",
    )  # fmt: skip


def vacuum_analyse() -> None:
    with connection.cursor() as cursor:
        for table in (
            "lms_user", "lms_school", "diagnostics_response", "diagnostics_areascore",
            "diagnostics_studygroup", "diagnostics_groupmembership", "courses_course",
            "courses_course_areas", "courses_course_levels", "courses_module", "courses_lesson",
            "courses_enrolment", "courses_lessonprogress", "courses_completionevent",
            "courses_learningpathentry",
        ):  # fmt: skip
            cursor.execute(f"VACUUM ANALYZE {table}")


REMOVALS = (
    # What a recompute writes for the teachers it completes: certificates, their notifications,
    # the portfolio stage refreshed after them.
    """DELETE FROM courses_certificate
       WHERE user_id
       IN (SELECT id FROM lms_user
       WHERE email LIKE %(prefix)s)""",
    """DELETE FROM lms_notification
       WHERE recipient_id
       IN (SELECT id FROM lms_user
       WHERE email LIKE %(prefix)s)""",
    """DELETE FROM courses_portfolioprofile
       WHERE user_id
       IN (SELECT id FROM lms_user
       WHERE email LIKE %(prefix)s)""",
    """DELETE FROM courses_lessonprogress
       WHERE enrolment_id
       IN (SELECT id FROM courses_enrolment
       WHERE course_id
       IN (SELECT id FROM courses_course
       WHERE slug LIKE %(prefix)s))""",
    """DELETE FROM courses_enrolment
       WHERE course_id
       IN (SELECT id FROM courses_course
       WHERE slug LIKE %(prefix)s)""",
    """DELETE FROM courses_completionevent
       WHERE user_id
       IN (SELECT id FROM lms_user
       WHERE email LIKE %(prefix)s)""",
    """DELETE FROM courses_learningpathentry
       WHERE teacher_id
       IN (SELECT id FROM lms_user
       WHERE email LIKE %(prefix)s)""",
    """DELETE FROM courses_completionrecompute
       WHERE course_id
       IN (SELECT id FROM courses_course
       WHERE slug LIKE %(prefix)s)""",
    """DELETE FROM courses_lesson
       WHERE module_id
       IN (SELECT id FROM courses_module
       WHERE course_id
       IN (SELECT id FROM courses_course
       WHERE slug LIKE %(prefix)s))""",
    """DELETE FROM courses_module
       WHERE course_id
       IN (SELECT id FROM courses_course
       WHERE slug LIKE %(prefix)s)""",
    """DELETE FROM courses_course_areas
       WHERE course_id
       IN (SELECT id FROM courses_course
       WHERE slug LIKE %(prefix)s)""",
    """DELETE FROM courses_course_levels
       WHERE course_id
       IN (SELECT id FROM courses_course
       WHERE slug LIKE %(prefix)s)""",
    """DELETE FROM courses_course
       WHERE id
       IN (SELECT id FROM courses_course
       WHERE slug LIKE %(prefix)s)""",
    """DELETE FROM diagnostics_groupmembership
       WHERE round_id
       IN (SELECT id FROM diagnostics_round
       WHERE title = %(round)s)""",
    """DELETE FROM diagnostics_studygroup
       WHERE round_id
       IN (SELECT id FROM diagnostics_round
       WHERE title = %(round)s)""",
    """DELETE FROM diagnostics_areascore
       WHERE response_id
       IN (SELECT id FROM diagnostics_response
       WHERE round_id
       IN (SELECT id FROM diagnostics_round
       WHERE title = %(round)s))""",
    """DELETE FROM diagnostics_response
       WHERE round_id
       IN (SELECT id FROM diagnostics_round
       WHERE title = %(round)s)""",
    """DELETE FROM diagnostics_round
       WHERE id
       IN (SELECT id FROM diagnostics_round
       WHERE title = %(round)s)""",
)


def remove_bench_rows() -> None:
    """Raw deletes, children first: the ORM would load millions of rows to cascade."""
    params = {"prefix": PREFIX + "%", "round": ROUND_TITLE}
    for statement in REMOVALS:
        sql(statement, params)
    # Raw too: the ORM's cascade asks every app's tables, installed or not.
    sql("DELETE FROM lms_user WHERE email LIKE %s", [PREFIX + "%"])
    sql("DELETE FROM lms_school WHERE code LIKE %s", [SCHOOL_CODE + "%"])
