import os

import pytest
from django.conf import settings
from django.test.signals import setting_changed

from lms.celery import app as celery_app
from tests.cache import TEST_CACHE_PREFIX
from tests.celery_worker import celery_worker_process  # noqa: F401 - a fixture
from tests.lms.factories import (
    AdministratorFactory,
    HeadFactory,
    MethodistFactory,
    SchoolFactory,
    TeacherFactory,
)


def pytest_configure(config):
    """The run's cache keys get a prefix of their own, before any test touches the cache, so
    that tests clear only what they wrote (tests/cache.py). Worker processes a test starts
    inherit it through the environment, so they read and write the same keys."""
    os.environ["USTAZ_CACHE_KEY_PREFIX"] = TEST_CACHE_PREFIX
    for alias in settings.CACHES.values():
        alias["KEY_PREFIX"] = TEST_CACHE_PREFIX
    # Forget any cache connection made with the old prefix, as override_settings would.
    setting_changed.send(sender=None, setting="CACHES", value=settings.CACHES, enter=True)


@pytest.fixture(autouse=True)
def eager_celery_unless_real_broker(request):
    """Tasks run in-process, unless a test asks for the real worker.

    With a broker configured (as in CI) nothing would consume the tasks an ordinary test sends;
    the tests that prove the real path are marked `real_broker` and start a worker themselves.
    """
    eager = request.node.get_closest_marker("real_broker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager or previous
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def uploads_in_a_temporary_folder(settings, tmp_path_factory):
    """Files a test uploads or seeds (library resources, covers) never land in the checkout."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


# What a skip may say when USTAZ_FORBID_SKIPS=services: the test needs a service the run was
# not given (the SQLite run of .ci/run); every such reason names the variable to set.
SERVICE_SKIP_REASONS = ("DATABASE_URL", "CELERY_BROKER_URL")


def _forbidden_skips(skipped: list, mode: str) -> list:
    if mode == "services":
        return [
            report
            for report in skipped
            if not any(name in str(report.longrepr) for name in SERVICE_SKIP_REASONS)
        ]
    return skipped


def pytest_sessionfinish(session, exitstatus):
    """CI proves the whole stack: a skipped test there means something was not proven.

    USTAZ_FORBID_SKIPS=1 fails the run on any skip (PostgreSQL + Redis + worker + Chromium);
    USTAZ_FORBID_SKIPS=services allows only the skips of tests that need PostgreSQL or a broker
    (the SQLite run, which must still run the browser and the translation tests)."""
    mode = os.environ.get("USTAZ_FORBID_SKIPS", "")
    if not mode or mode == "0":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    forbidden = _forbidden_skips(skipped, mode)
    if forbidden:
        reporter.write_line(
            f"USTAZ_FORBID_SKIPS={mode}: {len(forbidden)} test(s) were skipped, failing the run.",
            red=True,
        )
        for report in forbidden:
            reporter.write_line(f"  {report.nodeid}: {report.longrepr}", red=True)
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- people: the owner, a colleague of another school; a stranger is simply anonymous ----


@pytest.fixture
def school(db):
    return SchoolFactory()


@pytest.fixture
def other_school(db):
    return SchoolFactory()


@pytest.fixture
def teacher(school):
    return TeacherFactory(school=school)


@pytest.fixture
def head(school):
    return HeadFactory(school=school)


@pytest.fixture
def other_head(other_school):
    return HeadFactory(school=other_school)


@pytest.fixture
def methodist(db):
    return MethodistFactory()


@pytest.fixture
def administrator(db):
    return AdministratorFactory()
