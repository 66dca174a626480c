"""The load benchmark's district, written into the database the environment configures.

    DATABASE_URL=... python -m bench.load.seed --teachers 300 --plan /tmp/plan.json

On top of the demo region (`seed_demo`: its courses, library, forums and scored rounds) it adds
one district: schools of 30 teachers with a head each, two methodists, an instrument of 45
single-choice questions on 6 pages (one per area: the issue's measured shape) and an open round
of it for the district's schools. Every teacher, head and methodist gets a session as if they
had signed in within the last 14 days (the spike measures teachers who already have one, not
PBKDF2); teachers share one password hashed once with Django's default hasher, for the sign-in
scenario. What the Locust users need (session keys, ids of the round, schools, courses, lessons,
forums, topics, library words) goes into a JSON plan, so the client never touches the database.
"""

import argparse
import copy
import json
import os
import re
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import Course, Lesson  # noqa: E402
from diagnostics.demo import READY_INSTRUMENT  # noqa: E402
from diagnostics.interchange.instrument_json import instrument_import  # noqa: E402
from diagnostics.models import Instrument, Round  # noqa: E402
from forums.access import OPEN_KINDS  # noqa: E402
from forums.models import Topic  # noqa: E402
from library.models import Resource  # noqa: E402
from lms.models import School, User  # noqa: E402
from lms.roles import Role  # noqa: E402

SCHOOL_CODE = "LOAD-"
LOAD_INSTRUMENT_CODE = "load-45-single"
LOAD_ROUND_TITLE = "Load: the diagnosis morning"
TEACHERS_PER_SCHOOL = 30
# Teachers whose requests warm every gunicorn process up before the measured run starts.
WARMUP_TEACHERS = 4
QUESTIONS_PER_AREA = (8, 8, 8, 7, 7, 7)  # 45 questions, one page per area
# Shared by every seeded teacher, hashed once here; the sign-in scenario types it.
TEACHER_PASSWORD = "load-bench-2026"  # noqa: S105


def load_instrument_json() -> dict:
    """The ready instrument's framework and level bands with 45 single-choice questions, 4
    options each (one correct), on its 6 areas, and no attitude page."""
    data = json.loads(READY_INSTRUMENT.read_text(encoding="utf-8"))
    spec = data["instrument"]
    template = next(q for q in spec["questions"] if q["kind"] == "single")
    areas = [a["code"] for a in data["framework"]["areas"]]
    questions = []
    for area, count in zip(areas, QUESTIONS_PER_AREA, strict=True):
        for k in range(count):
            n = len(questions) + 1
            question = copy.deepcopy(template)
            question.update(code=f"load-{n:02d}", area=area, part="knowledge", required=True)
            question["text"] = {lang: f"{text} ({n})" for lang, text in template["text"].items()}
            for i, choice in enumerate(question["choices"]):
                choice["correct"] = i == (n + k) % len(question["choices"])
            questions.append(question)
    spec.update(
        code=LOAD_INSTRUMENT_CODE, kind="knowledge_test", questions=questions, attitude_scales=[]
    )
    return data


def session_for(user: User) -> str:
    """A session as `login()` leaves it, written by the session engine the server uses."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(settings.SESSION_COOKIE_AGE)
    store.create()
    return store.session_key


def _people(schools: list[School], teachers: int, password: str) -> None:
    users = []
    for s, school in enumerate(schools):
        users.append(
            User(
                email=f"head.{s:03d}@load.example",
                full_name=f"Head {s}",
                role=Role.SCHOOL_HEAD,
                school=school,
                password=password,
            )
        )
    for t in range(teachers):
        school = schools[t // TEACHERS_PER_SCHOOL]
        users.append(
            User(
                email=f"teacher.{t:05d}@load.example",
                full_name=f"Мұғалім {t}",
                role=Role.TEACHER,
                school=school,
                subject="Информатика",
                preferred_language=("kk", "ru")[t % 2],
                password=password,
            )
        )
    for w in range(WARMUP_TEACHERS):
        users.append(
            User(
                email=f"warmup.{w}@load.example",
                full_name=f"Warm-up {w}",
                role=Role.TEACHER,
                school=schools[0],
                password=password,
            )
        )
    for m in range(2):
        users.append(
            User(
                email=f"methodist.{m}@load.example",
                full_name=f"Methodist {m}",
                role=Role.METHODIST,
                password=password,
            )
        )
    User.objects.bulk_create(users, batch_size=1000)


def _library_words(limit: int = 12) -> list[str]:
    words = []
    for title in Resource.objects.values_list("title", flat=True):
        for word in re.findall(r"\w{5,}", title):
            if word.lower() not in words:
                words.append(word.lower())
    return words[:limit] or ["цифрлық"]


def _browsing() -> dict:
    """Courses, first lessons and open forums' topics every teacher may read."""
    courses = list(Course.objects.filter(published=True).order_by("pk").values("pk", "slug"))
    lessons = []
    for course in courses:
        first = (
            Lesson.objects.filter(module__course_id=course["pk"])
            .order_by("module__position", "module__pk", "position", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if first:
            lessons.append(first)
    topics = list(
        Topic.objects.filter(forum__kind__in=OPEN_KINDS, hidden=False)
        .order_by("pk")
        .values_list("pk", "forum_id")
    )
    return {
        "courses": [c["slug"] for c in courses],
        "lessons": lessons,
        "forums": sorted({forum for _, forum in topics}),
        "topics": [topic for topic, _ in topics],
    }


def _item_statistics_round() -> int:
    """A demo round with scored responses, its statistics computed once (the page reads them)."""
    from diagnostics.item_stats.report import round_statistics_compute

    round_ = Round.objects.filter(responses__status="scored").distinct().order_by("pk").first()
    round_statistics_compute(round=round_)
    return round_.pk


@transaction.atomic
def seed_district(teachers: int) -> dict:
    school_count = -(-teachers // TEACHERS_PER_SCHOOL)
    School.objects.bulk_create(
        School(
            name=f"Load school {s}",
            region="Load region",
            district="Load district",
            code=f"{SCHOOL_CODE}{s:03d}",
        )
        for s in range(school_count)
    )
    schools = list(School.objects.filter(code__startswith=SCHOOL_CODE).order_by("code"))
    _people(schools, teachers, make_password(TEACHER_PASSWORD))
    instrument = instrument_import(load_instrument_json())
    instrument.status = Instrument.Status.PUBLISHED
    instrument.save(update_fields=["status"])
    now = timezone.now()
    round_ = Round.objects.create(
        instrument=instrument,
        title=LOAD_ROUND_TITLE,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=14),
    )
    round_.schools.set(schools)
    people = User.objects.filter(email__endswith="@load.example").order_by("email")
    plan = {"round": round_.pk, "teachers": [], "heads": [], "methodists": [], "warmup": []}
    for user in people:
        if user.email.startswith("warmup."):
            plan["warmup"].append({"session": session_for(user)})
        elif user.role == Role.TEACHER:
            plan["teachers"].append({"email": user.email, "session": session_for(user)})
        elif user.role == Role.SCHOOL_HEAD:
            plan["heads"].append({"school": user.school_id, "session": session_for(user)})
        else:
            plan["methodists"].append({"session": session_for(user)})
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=300)
    parser.add_argument("--plan", type=Path, required=True, help="where to write the JSON plan")
    args = parser.parse_args()
    started = time.perf_counter()
    if not School.objects.filter(code__startswith="DEMO-").exists():
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if User.objects.filter(email__endswith="@load.example").exists():
        sys.exit("This database already holds a load district: give the benchmark a fresh one.")
    plan = seed_district(args.teachers)
    plan["statistics_round"] = _item_statistics_round()
    plan["library_words"] = _library_words()
    plan["password"] = TEACHER_PASSWORD
    plan["session_cookie"] = settings.SESSION_COOKIE_NAME
    plan.update(_browsing())
    args.plan.write_text(json.dumps(plan))
    print(
        f"seeded {len(plan['teachers'])} teachers, {len(plan['heads'])} heads, "
        f"{Session.objects.count()} sessions, round {plan['round']}, "
        f"{len(plan['courses'])} courses, {len(plan['topics'])} topics "
        f"in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
