"""Every role's main pages, and the admin pages methodists author in, pass axe-core's WCAG 2.1
A and AA rules with no serious or critical violation, in Chromium.

A teacher who reads with a screen reader or only a keyboard, or a head with weak eyes, meets
the same pages as everyone: a name that cannot be read against its background, a table that
scrolls but cannot be reached, an input with no name are failures here, each listed with its
rule, impact, selector and axe's help.

axe-core is vendored (tests/e2e/vendor/axe-core-VERSION, from the npm registry, MPL-2.0) and
injected into the page; nothing is loaded from another host. The data is the demo region (two
schools, a spring and an autumn round of the ready instrument, courses, an assignment with
returned and accepted work, the library, forums), as realistic as a school's.
"""

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.assignments.models import Assignment
from courses.models import Course, Lesson
from courses.ready_course import READY_SLUG
from diagnostics.grouping.services import grouping_run_start
from diagnostics.item_stats.report import round_statistics_compute
from diagnostics.models import Instrument, Response, Round
from forums.models import Topic
from library.models import Resource
from lms.models import User
from tests.diagnostics.factories import InstrumentFactory, LevelBandFactory, QuestionFactory
from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.e2e

AXE_VERSION = "4.14.1"
AXE = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
# Each page is checked as it is laid out on a laptop and on a phone: on a phone wide tables
# overflow into their own scrolling box, which the keyboard must be able to reach.
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}

TEACHER = "teacher1.01@demo.ustaz.kz"  # took the spring round; the autumn one is open to them
HEAD = "head1@demo.ustaz.kz"
METHODIST = "methodist@demo.ustaz.kz"

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                           resultTypes: ['violations']});
  return results.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({impact: n.impact, target: n.target.join(' '),
                                summary: n.failureSummary}))}));
}"""


@dataclass(frozen=True)
class Demo:
    """The objects the pages are opened on, found once the demo region is seeded."""

    teacher: User
    head: User
    spring: Round
    autumn: Round
    course: Course
    lesson: Lesson
    assignment: Assignment
    resource: Resource
    topic: Topic
    grouping_run_id: int
    draft_instrument: Instrument


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    teacher = User.objects.get(email=TEACHER)
    spring, autumn = Round.objects.order_by("opens_at")
    # Item statistics are computed on request ("recompute"); a methodist reads them afterwards.
    round_statistics_compute(round=spring)
    # A grouping run waiting for the methodist's confirmation: the preview page.
    run = grouping_run_start(round=autumn, started_by=User.objects.get(email=METHODIST), min_size=5)
    course = Course.objects.get(slug=READY_SLUG)
    draft = _draft_instrument(spring.instrument)
    return Demo(
        teacher=teacher,
        head=User.objects.get(email=HEAD),
        spring=spring,
        autumn=autumn,
        course=course,
        lesson=Lesson.objects.filter(module__course=course).order_by(
            "module__position", "position"
        )[0],
        assignment=Assignment.objects.get(),
        resource=Resource.objects.order_by("pk")[0],
        # The topic with the most replies, as a teacher would open one.
        topic=max(Topic.objects.all(), key=lambda topic: topic.posts.count()),
        grouping_run_id=run.pk,
        draft_instrument=draft,
    )


def _draft_instrument(ready: Instrument) -> Instrument:
    """A new instrument a methodist is writing on the ready one's framework: nobody has
    answered it, so every field of its question and threshold rows is an input."""
    draft = InstrumentFactory(
        framework=ready.framework,
        status=Instrument.Status.DRAFT,
        title_kk="Цифрлық сауаттылық: жаңа сауалнама",
    )
    for position, area in enumerate(ready.framework.areas.order_by("position")[:3], start=1):
        QuestionFactory(
            instrument=draft,
            area=area,
            position=position,
            text_kk=f"{area.name_kk}: сабақта қалай қолданасыз?",
            text_ru=f"{area.name_ru}: как вы используете это на уроке?",
        )
    LevelBandFactory(instrument=draft, level=ready.framework.levels.order_by("position")[0])
    return draft


def _result(demo: Demo) -> str:
    response = Response.objects.get(teacher=demo.teacher, round=demo.spring)
    return reverse("diagnostics:result", args=[response.pk])


def _statistics(demo: Demo) -> str:
    return reverse("diagnostics:statistics", args=[demo.spring.pk])


# page name -> (who opens it, None for nobody signed in; its address on the demo data)
PAGES = {
    "sign-in": (None, lambda d: reverse("login")),
    # a teacher
    "teacher-dashboard": (TEACHER, lambda d: reverse("dashboard")),
    # Opening the round starts a draft and leads to its first page.
    "diagnosis-taking": (TEACHER, lambda d: reverse("diagnostics:take", args=[d.autumn.pk])),
    "diagnosis-result": (TEACHER, _result),
    "course": (TEACHER, lambda d: d.course.get_absolute_url()),
    "lesson": (TEACHER, lambda d: d.lesson.get_absolute_url()),
    "assignment": (TEACHER, lambda d: d.assignment.get_absolute_url()),
    "portfolio": (TEACHER, lambda d: reverse("portfolio:mine")),
    "library": (TEACHER, lambda d: reverse("library:home")),
    "library-search": (
        TEACHER,
        lambda d: reverse("library:search") + "?q=%D1%81%D0%B0%D0%B1%D0%B0%D2%9B",
    ),
    "library-resource": (TEACHER, lambda d: d.resource.get_absolute_url()),
    "forums": (TEACHER, lambda d: reverse("forums:index")),
    "forum-topic": (TEACHER, lambda d: d.topic.get_absolute_url()),
    # a head of school
    "head-dashboard": (HEAD, lambda d: reverse("dashboard")),
    "readiness-report": (
        HEAD,
        lambda d: reverse("diagnostics:school-report", args=[d.head.school_id]),
    ),
    "growth": (HEAD, lambda d: reverse("diagnostics:school-growth", args=[d.head.school_id])),
    "teachers": (HEAD, lambda d: reverse("school-teachers", args=[d.head.school_id])),
    # a methodist
    "methodist-dashboard": (METHODIST, lambda d: reverse("dashboard")),
    "item-statistics": (METHODIST, _statistics),
    "grouping-run": (
        METHODIST,
        lambda d: reverse("admin:diagnostics_groupingrun_add") + f"?round={d.autumn.pk}",
    ),
    "grouping-preview": (
        METHODIST,
        lambda d: reverse("admin:diagnostics_groupingrun_preview", args=[d.grouping_run_id]),
    ),
    "review-queue": (METHODIST, lambda d: reverse("assignments:queue")),
    "course-overview": (METHODIST, lambda d: reverse("courses:overview")),
    "course-overview-course": (
        METHODIST,
        lambda d: reverse("courses:overview-course", args=[d.course.slug]),
    ),
    # the admin pages methodists author in
    "admin-index": (METHODIST, lambda d: reverse("admin:index")),
    "admin-instrument": (
        METHODIST,
        lambda d: reverse("admin:diagnostics_instrument_change", args=[d.spring.instrument_id]),
    ),
    "admin-instrument-draft": (
        METHODIST,
        lambda d: reverse("admin:diagnostics_instrument_change", args=[d.draft_instrument.pk]),
    ),
    "admin-library-resource": (
        METHODIST,
        lambda d: reverse("admin:library_resource_change", args=[d.resource.pk]),
    ),
}


# What a page must show for its audit to mean anything (its data, not an empty state or the
# sign-in page it was sent to).
SHOWS = {
    "sign-in": "input[name=password]",
    "diagnosis-taking": "main form input[type=radio]",
    "diagnosis-result": "#radar-chart",
    "library-search": "#results article",
    "forum-topic": ".post-body",
    "readiness-report": "#teacher-table",
    "growth": "#teacher-change-table",
    "item-statistics": "#questions-knowledge",
    "grouping-run": "input[name=min_size]",
    "grouping-preview": "#preview-groups",
    "admin-instrument": "#id_questions-0-position",
    "admin-instrument-draft": "#id_questions-0-code",
    "admin-library-resource": "#id_published_at_0",
}


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it stands."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(_RUN_AXE, WCAG_TAGS)


def serious_nodes(violations: list[dict], viewport: str) -> list[str]:
    """One line per serious or critical node: rule, impact, viewport, selector, help."""
    return [
        f"{violation['id']} ({node['impact']}, {viewport}) {node['target']}: {violation['help']}"
        for violation in violations
        for node in violation["nodes"]
        if node["impact"] in FAILING_IMPACTS
    ]


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violation(name, demo, browser, live_server):
    who, address = PAGES[name]
    # axe is injected as an inline script, which the site's Content-Security-Policy (scripts
    # from Ustaz only) rightly refuses; the audit's own script is let through, nothing else.
    context = browser.new_context(
        base_url=live_server.url, locale="kk-KZ", viewport=VIEWPORTS["laptop"], bypass_csp=True
    )
    violations = {}
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        if who is not None:
            sign_in(page, who)
        reply = page.goto(address(demo))
        assert reply.ok, f"{name}: {reply.status} at {page.url}"
        page.wait_for_load_state("networkidle")
        assert who is None or "/login/" not in page.url, f"{name}: sent to {page.url}"
        if name in SHOWS:
            assert page.locator(SHOWS[name]).count(), f"{name}: nothing matches {SHOWS[name]}"
        url = page.url
        for viewport, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            page.wait_for_timeout(100)  # the layout and any chart follow the new width
            violations[viewport] = axe_violations(page)
    finally:
        context.close()
    # Every violation, minor ones too, for the record (bench/accessibility.py counts them).
    results = Path("test-results")
    results.mkdir(exist_ok=True)
    (results / f"axe-{name}.json").write_text(
        json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    problems = [
        line for viewport, found in violations.items() for line in serious_nodes(found, viewport)
    ]
    assert not problems, f"{name} ({url}): {len(problems)} serious or critical\n" + "\n".join(
        problems
    )
