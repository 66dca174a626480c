"""Liveness of the services Ustaz depends on, for /healthz."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from lms.celery import app as celery_app

OK = "ok"
NOT_CONFIGURED = "not configured"


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_cache() -> str:
    cache.set("healthz", "1", timeout=10)
    if cache.get("healthz") != "1":
        raise RuntimeError("the cache did not return what was stored")
    return OK


def check_broker() -> str:
    if not settings.CELERY_BROKER_CONFIGURED:
        return NOT_CONFIGURED
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
        broker.ensure_connection(max_retries=1, timeout=2)
    return OK


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def service_states() -> dict[str, str]:
    states = {}
    for name, check in CHECKS.items():
        try:
            states[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure means the service is down
            states[name] = f"error: {type(error).__name__}"
    return states
