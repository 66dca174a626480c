"""The settings module as an operator meets it: run in a fresh process with a chosen environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "LANGUAGE_CODE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def manage(*args, **environment):
    env = {k: v for k, v in os.environ.items() if k not in PROJECT_VARIABLES}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRINT_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, "
    "s.EMAIL_BACKEND.rsplit('.', 1)[-1], bool(s.SECRET_KEY), s.LANGUAGE_CODE)"
)


def test_embedded_default_boots_with_no_environment():
    result = manage("shell", "-v", "0", "-c", PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "True",
        "EmailBackend",
        "True",
        "kk",
    ]
    assert (
        "console"
        in manage(
            "shell",
            "-v",
            "0",
            "-c",
            "from django.conf import settings as s; print(s.EMAIL_BACKEND)",
        ).stdout
    )


def test_database_and_broker_come_from_the_environment():
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'])",
        DATABASE_URL="postgres://someone@127.0.0.1:5432/ustaz_example",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "ustaz_example",
        "False",
        "lms.cache_backends.ForgivingRedisCache",
    ]


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k3J9-vQz_2m8Xr7pL0aT5sW1yB4nC6dE-hF8gH2jK0lM3nP5qR7sT9uV1wX3yZ5",
    "DJANGO_ALLOWED_HOSTS": "ustaz.example.kz",
}


def test_check_deploy_is_clean_under_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("required", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_without_a_required_variable_fails_loudly(required):
    environment = {k: v for k, v in PRODUCTION.items() if k != required}
    result = manage("check", **environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert required in result.stderr.splitlines()[-1]


def test_default_language_follows_language_code():
    result = manage("shell", "-v", "0", "-c", PRINT_SETTINGS, LANGUAGE_CODE="ru")
    assert result.stdout.split()[-1] == "ru"


def test_celery_app_is_configured_for_long_reliable_tasks():
    from lms.celery import app

    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert "lms.tasks.purge_expired_sessions" in {e["task"] for e in conf.beat_schedule.values()}
