"""The Content-Security-Policy in a real browser: the main pages of every role and the admin's
instrument page load without one violation, and their scripts still work under it (autosave, a
chart, the submit-on-change sort, the print button, htmx polling, the admin's inlines)."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from diagnostics.item_stats.report import round_statistics_compute
from diagnostics.models import Instrument, Response, Round
from lms.models import User
from tests.e2e.helpers import sign_in, wait_for_chart

pytestmark = pytest.mark.e2e

# Every violation the page reports, gathered before any of the page's own scripts run.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.violatedDirective + " " + event.blockedURI + " " + (event.sample || "")
  );
});
"""


@pytest.fixture
def watched(page):
    """The page, with a list of the violations Chromium reported on it (its console's
    "Refused to ..." lines and the pages' securitypolicyviolation events)."""
    refused = []
    page.add_init_script(WATCH_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or message.text.startswith("Refused to")
            else None
        ),
    )

    def check():
        events = page.evaluate("window.__cspViolations || []")
        assert not refused and not events, f"{page.url}: {refused} {events}"

    page.check_csp = check
    return page


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.check_csp()


def test_the_watch_sees_what_the_policy_refuses(watched, transactional_db):
    """The detector itself: markup with an inline handler, added to a page, is refused and
    reported (so "no violation" below means none, not a deaf listener)."""
    page = watched
    page.goto(reverse("login"))
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<img src=\"/x.png\" onerror=\"1\">')"
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert "script-src" in page.evaluate("window.__cspViolations[0]")


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())  # two schools, spring and autumn rounds


def test_teachers_pages_run_their_scripts_without_a_violation(watched, demo):
    page = watched
    teacher = User.objects.get(email="teacher1.01@demo.ustaz.kz")
    sign_in(page, teacher.email)
    page.check_csp()

    # A scored result draws its radar chart.
    scored = Response.objects.filter(teacher=teacher, status=Response.Status.SCORED).first()
    visit(page, reverse("diagnostics:result", args=[scored.pk]))
    wait_for_chart(page, "radar-chart")

    # Taking: the page autosaves an answer.
    open_round = (
        Round.objects.filter(responses__teacher=teacher)
        .exclude(responses__status=Response.Status.SCORED)
        .first()
        or Round.objects.exclude(responses__teacher=teacher).first()
    )
    visit(page, reverse("diagnostics:take", args=[open_round.pk]))
    label = page.locator("fieldset.question label").first
    label.click()
    page.wait_for_function(
        "() => document.getElementById('autosave-status').dataset.state === 'saved'"
    )
    page.check_csp()

    # Submitted and not scored yet (the draft just saved, marked so): htmx asks for its status.
    waiting = Response.objects.get(teacher=teacher, round=open_round)
    Response.objects.filter(pk=waiting.pk).update(status=Response.Status.SUBMITTED)
    status_url = reverse("diagnostics:status", args=[waiting.pk])
    with page.expect_request(lambda request: request.url.endswith(status_url)):
        page.goto(reverse("diagnostics:result", args=[waiting.pk]))
    page.check_csp()

    # The library's order is chosen by a select that sends its form on change.
    visit(page, reverse("library:search") + "?q=цифрлық")
    sort = page.locator("select#sort")
    with page.expect_navigation():
        sort.select_option("popular")
    assert "sort=popular" in page.url
    page.check_csp()

    for url in (reverse("dashboard"), reverse("profile"), reverse("courses:catalogue")):
        visit(page, url)


def test_heads_pages_run_their_scripts_without_a_violation(watched, demo):
    page = watched
    head = User.objects.get(email="head1@demo.ustaz.kz")
    sign_in(page, head.email)
    page.check_csp()
    visit(page, reverse("diagnostics:school-report", args=[head.school_id]))
    wait_for_chart(page, "level-chart")
    wait_for_chart(page, "area-chart")
    page.check_csp()

    # The printable report's button prints (its handler is in a file now, not onclick=).
    visit(page, reverse("diagnostics:school-report-print", args=[head.school_id]))
    page.evaluate("window.print = function () { window.__printed = true; }")
    page.locator("button[data-action=print]").click()
    assert page.evaluate("window.__printed === true")
    page.check_csp()

    for url in (
        reverse("school-teachers", args=[head.school_id]),
        reverse("roster-import", args=[head.school_id]),
        reverse("diagnostics:school-growth", args=[head.school_id]),
    ):
        visit(page, url)


def test_methodists_pages_and_the_admin_instrument_page_without_a_violation(watched, demo):
    page = watched
    sign_in(page, "methodist@demo.ustaz.kz")
    page.check_csp()

    round_ = Round.objects.filter(responses__status=Response.Status.SCORED).distinct().first()
    round_statistics_compute(round=round_)
    visit(page, reverse("diagnostics:statistics", args=[round_.pk]))
    wait_for_chart(page, "total-histogram")
    page.check_csp()

    visit(page, reverse("admin:index"))
    instrument = Instrument.objects.first()
    visit(page, reverse("admin:diagnostics_instrument_change", args=[instrument.pk]))
    # The admin's own scripts ran: jQuery and its widgets are loaded on the form.
    assert page.evaluate("typeof window.django === 'object' && typeof django.jQuery === 'function'")
    page.check_csp()
    visit(page, reverse("admin:diagnostics_question_add"))


def test_administrators_admin_pages_without_a_violation(watched, demo):
    page = watched
    sign_in(page, "admin@demo.ustaz.kz")
    for url in (
        reverse("admin:index"),
        reverse("admin:lms_user_changelist"),
        reverse("admin:lms_user_change", args=[User.objects.get(email="head1@demo.ustaz.kz").pk]),
        reverse("admin:lms_school_changelist"),
        reverse("school-list"),
    ):
        visit(page, url)


def test_the_interactive_lesson_plays_under_the_policy(watched, transactional_db):
    """The H5P player writes one inline script into its frame; the lesson page allows exactly
    that script by its hash (courses/h5p/csp.py), and the content runs."""
    from courses.h5p.services import interactive_package_install
    from courses.models import LessonKind
    from tests.courses.test_h5p_and_video import LIBRARY, h5p_bytes, upload
    from tests.lms.factories import PASSWORD, SchoolFactory
    from tests.security.objects import a_lesson

    script = (
        "H5P.Test = function (params) { this.attach = function ($container) {"
        " $container.get(0).textContent = params.text; }; };"
    )
    library = {**LIBRARY, "patchVersion": 0, "preloadedJs": [{"path": "test.js"}]}
    package = h5p_bytes(
        {"H5P.Test-1.0/library.json": json.dumps(library), "H5P.Test-1.0/test.js": script}
    )
    teacher, _course, lesson = a_lesson(SchoolFactory())
    lesson.kind = LessonKind.INTERACTIVE
    lesson.save(update_fields=["kind"])
    interactive_package_install(lesson=lesson, upload=upload(package))

    page = watched
    sign_in(page, teacher.email, PASSWORD)
    page.goto(reverse("courses:lesson", args=[lesson.pk]))
    frame = page.frame_locator("#h5p-player iframe")
    frame.locator(".h5p-content").get_by_text("Hello").wait_for()
    page.check_csp()
