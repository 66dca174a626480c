import os

import pytest

from lms.celery import app as celery_app


@pytest.fixture(autouse=True)
def eager_celery_unless_real_broker(request, settings):
    """Tasks run in-process, unless a test asks for the real worker.

    With a broker configured (as in CI) nothing would consume the tasks an ordinary test sends;
    the tests that prove the real path are marked `real_broker` and start a worker themselves.
    """
    eager = request.node.get_closest_marker("real_broker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager or previous
    yield
    celery_app.conf.task_always_eager = previous


def pytest_sessionfinish(session, exitstatus):
    # CI proves the whole stack: a skipped test there means something was not proven.
    if not os.environ.get("USTAZ_FORBID_SKIPS"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"USTAZ_FORBID_SKIPS is set and {len(skipped)} test(s) were skipped: failing the run.",
            red=True,
        )
        session.exitstatus = 1
