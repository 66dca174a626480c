"""Data and the peer's project for bench/load/side_by_side.py (run by it, not by hand).

    python side_by_side_setup.py ustaz TEACHERS   (Ustaz's virtualenv, DATABASE_URL set)
    python side_by_side_setup.py peer TEACHERS    (the peer's virtualenv, in its project)

Each writes the same survey (45 single-choice questions of four options in six areas) and
TEACHERS signed-in teachers (a session each, made here: sign-in is not what is measured), and
prints JSON: the survey's id and the session keys. `peer_project(folder)` writes the minimal
Django project that serves django-survey-and-report.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

QUESTIONS = 45
AREAS = 6
OPTIONS = "ABCD"
RIGHT = "B"


def _text(value: str) -> dict:
    return {"kk": value, "ru": value, "ky": value, "en": value}


def ustaz_instrument() -> dict:
    """The survey in Ustaz's instrument format: question n in area n % 6 (six pages)."""
    return {
        "format": "ustaz.instrument/1",
        "framework": {
            "code": "side-by-side",
            "name": _text("Side by side"),
            "areas": [{"code": f"a{n}", "name": _text(f"Area {n + 1}")} for n in range(AREAS)],
            "levels": [
                {"code": "low", "name": _text("Low")},
                {"code": "high", "name": _text("High")},
            ],
        },
        "instrument": {
            "code": "side-by-side",
            "kind": "knowledge_test",
            "title": _text("Side by side"),
            "bands": [
                {"area": None, "level": "low", "min_percent": 0},
                {"area": None, "level": "high", "min_percent": 50},
            ],
            "questions": [
                {
                    "code": f"q{n}",
                    "part": "knowledge",
                    "area": f"a{n % AREAS}",
                    "kind": "single",
                    "text": _text(f"Question {n + 1}: which of these is right?"),
                    "choices": [
                        {"text": _text(f"Option {label}"), "correct": label == RIGHT}
                        for label in OPTIONS
                    ],
                }
                for n in range(QUESTIONS)
            ],
        },
    }


def _sessions(users, backend: str) -> list[str]:
    """A signed-in session per user, as django.contrib.auth.login leaves it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def setup_ustaz(teachers: int) -> dict:
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from diagnostics.interchange.instrument_json import instrument_import
    from diagnostics.models import Round
    from lms.models import School, User
    from lms.roles import Role

    instrument = instrument_import(ustaz_instrument())
    instrument.status = "published"
    instrument.save(update_fields=["status"])
    school = School.objects.create(
        name="Side by side school", code="SBS-1", region="Bench", district="Bench"
    )
    round_ = Round.objects.create(
        instrument=instrument,
        title="Side by side",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=1),
    )
    round_.schools.set([school])
    password = make_password(None)  # no sign-in with a password: sessions are made below
    users = User.objects.bulk_create(
        User(
            email=f"sbs{n}@bench.example",
            full_name=f"Teacher {n}",
            password=password,
            role=Role.TEACHER,
            school=school,
        )
        for n in range(teachers)
    )
    return {"round": round_.pk, "sessions": _sessions(users, "lms.backends.RoleModelBackend")}


def setup_peer(teachers: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from survey.models import Category, Question, Survey

    survey = Survey.objects.create(
        name="Side by side",
        description="The same 45 questions",
        is_published=True,
        need_logged_user=True,
        editable_answers=True,
        display_method=Survey.ALL_IN_ONE_PAGE,
    )
    areas = [
        Category.objects.create(name=f"Area {n + 1}", survey=survey, order=n) for n in range(AREAS)
    ]
    for n in range(QUESTIONS):
        Question.objects.create(
            text=f"Question {n + 1}: which of these is right?",
            order=n,
            required=True,
            category=areas[n % AREAS],
            survey=survey,
            type=Question.RADIO,
            choices=",".join(f"Option {label}" for label in OPTIONS),
        )
    users = [User(username=f"sbs{n}") for n in range(teachers)]
    for user in users:
        user.set_unusable_password()
    users = User.objects.bulk_create(users)
    return {
        "survey": survey.pk,
        "sessions": _sessions(users, "django.contrib.auth.backends.ModelBackend"),
    }


PEER_SETTINGS = """
import os
BASE_DIR = os.path.dirname(os.path.abspath(__file__))
SECRET_KEY = "side-by-side-bench-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "django.contrib.staticfiles", "survey",
]
# The same middleware as a stock Django project.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "peer_urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.template.context_processors.i18n",
        "django.template.context_processors.static",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
WSGI_APPLICATION = "peer_wsgi.application"
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql", "NAME": os.environ["PEER_DATABASE"],
    "USER": "postgres", "HOST": "127.0.0.1", "PORT": "5432",
}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = os.path.join(BASE_DIR, "static")
LOGIN_URL = "/login/"
"""

PEER_URLS = """
from django.urls import include, path
urlpatterns = [path("survey/", include("survey.urls"))]
"""

PEER_WSGI = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_settings")
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
"""

PEER_MANAGE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
"""


def peer_project(folder: Path) -> None:
    """The minimal Django project that serves the peer (settings, URLs, WSGI, manage.py)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (
        ("peer_settings.py", PEER_SETTINGS),
        ("peer_urls.py", PEER_URLS),
        ("peer_wsgi.py", PEER_WSGI),
        ("manage.py", PEER_MANAGE),
    ):
        (folder / name).write_text(text.lstrip())


if __name__ == "__main__":
    side, count = sys.argv[1], int(sys.argv[2])
    if side == "ustaz":
        print(json.dumps(setup_ustaz(count)))
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_settings")
        sys.path.insert(0, os.getcwd())
        print(json.dumps(setup_peer(count)))
