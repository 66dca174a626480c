import os
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

CHROMIUM = Path("/usr/bin/chromium")


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """A thread per connection, as usual (the browser keeps several open), but one request in
    the application at a time. On SQLite the live server's threads share the test's in-memory
    database connection, which cannot run two transactions at once: an autosave arriving while
    the page's POST is saved failed with "cannot start a transaction within a transaction"."""

    _one_at_a_time = threading.Lock()

    def get_app(self):
        app = super().get_app()

        def serialised(environ, start_response):
            with self._one_at_a_time:
                return app(environ, start_response)

        return serialised


if connection.vendor == "sqlite":
    # PostgreSQL gives each server thread a connection of its own, as production does.
    LiveServerThread.server_class = OneRequestAtATimeServer


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Playwright's sync API keeps an event loop running in the test's thread; the Django ORM
    # calls the tests make around it are synchronous and safe. Only while the browser runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="kk-KZ")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
