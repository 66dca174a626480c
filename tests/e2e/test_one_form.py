"""The one-form flow in Chromium: the areas are steps the script shows, answers are autosaved as
they change, a reload resumes on the same step with nothing lost, one submit gives the result.
Without JavaScript the paged flow still works from start to result (in Kazakh, the default
language: the checks read ids, states and the address, not words)."""

import pytest
from django.urls import reverse

from diagnostics.interchange.instrument_json import instrument_import
from diagnostics.models import Answer, Response
from diagnostics.taking.pages import instrument_pages, instrument_questions
from tests.diagnostics.factories import RoundFactory
from tests.diagnostics.test_taking_query_budget import single_choice_instrument
from tests.e2e.helpers import sign_in
from tests.lms.factories import PASSWORD, SchoolFactory, TeacherFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def diagnosis(transactional_db):
    """A published instrument of 12 single-choice questions on six pages, a round open to a
    teacher's school; returns the teacher, the round and the pages."""
    instrument = instrument_import(single_choice_instrument(12))
    instrument.status = "published"
    instrument.save(update_fields=["status"])
    school = SchoolFactory()
    round_ = RoundFactory(instrument=instrument, schools=[school])
    teacher = TeacherFactory(school=school)
    return teacher, round_, instrument_pages(instrument_questions(instrument))


@pytest.fixture
def no_script_page(browser, live_server):
    """A page of a browser that runs no script, in Kazakh."""
    context = browser.new_context(
        base_url=live_server.url, locale="kk-KZ", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def choose(page, question, label):
    choice = next(c for c in question.choices.all() if c.text_en == label)
    page.locator(f"label[for='c{choice.pk}']").click()
    return choice.pk


def wait_stored(page, teacher, expected, seconds=10):
    """Until the autosave has stored these answers (it sends 800 ms after the last change)."""
    for _ in range(seconds * 10):
        if stored_choices(teacher) == expected:
            break
        page.wait_for_timeout(100)
    assert stored_choices(teacher) == expected
    page.wait_for_selector("#autosave-status[data-state=saved]")


def stored_choices(teacher) -> dict[int, set[int]]:
    chosen: dict[int, set[int]] = {}
    for answer in Answer.objects.filter(response__teacher=teacher).prefetch_related("selections"):
        chosen[answer.question_id] = {s.choice_id for s in answer.selections.all()}
    return chosen


def visible_step(page) -> int:
    return int(page.locator(".take-step:not([hidden])").get_attribute("data-step"))


def test_the_one_form_steps_autosaves_resumes_and_submits(page, diagnosis):
    teacher, round_, pages = diagnosis
    sign_in(page, teacher.email, PASSWORD)
    start = reverse("diagnostics:take", args=[round_.pk])
    # Every page's script (static/js/page-actions.js) has told the server this browser runs
    # scripts since the sign-in page, so the very first "Start" opens the one form.
    page.goto(start)
    response = Response.objects.get(teacher=teacher)
    assert page.url.endswith(reverse("diagnostics:form", args=[response.pk]))

    # One step at a time; the submit only on the last.
    assert visible_step(page) == 1
    assert page.locator(".take-step[hidden]").count() == len(pages) - 1
    assert page.locator("#take-submit").is_hidden()
    chosen = {q.pk: {choose(page, q, "B")} for q in pages[0].questions}
    wait_stored(page, teacher, chosen)  # autosaved, without leaving the step

    page.locator("#step-1 button[data-go=next]").click()
    assert visible_step(page) == 2
    assert page.url.endswith("#step-2")
    chosen |= {q.pk: {choose(page, q, "C")} for q in pages[1].questions}
    wait_stored(page, teacher, chosen)

    # A reload opens the same step, every answer checked as it was.
    page.reload()
    assert visible_step(page) == 2
    for question in pages[1].questions:
        choice = next(c for c in question.choices.all() if c.text_en == "C")
        assert page.locator(f"#c{choice.pk}").is_checked()
    assert stored_choices(teacher) == chosen

    for number in range(2, len(pages) + 1):
        if number > 2:
            chosen |= {q.pk: {choose(page, q, "B")} for q in pages[number - 1].questions}
        if number < len(pages):
            page.locator(f"#step-{number} button[data-go=next]").click()
            assert visible_step(page) == number + 1
    assert page.locator("#take-submit").is_visible()
    page.locator("#take-submit button[type=submit]").click()
    page.wait_for_url(f"**{reverse('diagnostics:result', args=[response.pk])}")
    page.wait_for_selector("#level-heading")
    response.refresh_from_db()
    assert response.status == Response.Status.SCORED
    assert stored_choices(teacher) == chosen


def test_without_javascript_the_paged_flow_takes_the_diagnosis(no_script_page, diagnosis):
    page = no_script_page
    teacher, round_, pages = diagnosis
    sign_in(page, teacher.email, PASSWORD)
    page.goto(reverse("diagnostics:take", args=[round_.pk]))
    for number, area in enumerate(pages, start=1):
        assert page.url.endswith(f"/page/{number}/")
        for question in area.questions:
            choose(page, question, "B")
        with page.expect_navigation():
            page.locator("button[name=go][value=next]").click()
    assert "/submit/" in page.url
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    response = Response.objects.get(teacher=teacher)
    assert page.url.endswith(reverse("diagnostics:result", args=[response.pk]))
    assert response.status in (Response.Status.SUBMITTED, Response.Status.SCORED)
    assert len(stored_choices(teacher)) == sum(len(p.questions) for p in pages)


def test_without_javascript_the_one_form_shows_every_area_and_submits(no_script_page, diagnosis):
    page = no_script_page
    teacher, round_, pages = diagnosis
    sign_in(page, teacher.email, PASSWORD)
    page.goto(reverse("diagnostics:take", args=[round_.pk]))
    response = Response.objects.get(teacher=teacher)
    page.goto(reverse("diagnostics:form", args=[response.pk]))
    assert page.locator(".take-step:visible").count() == len(pages)
    for area in pages:
        for question in area.questions:
            choose(page, question, "A")
    with page.expect_navigation():
        page.locator("#take-submit button[type=submit]").click()
    assert page.url.endswith(reverse("diagnostics:result", args=[response.pk]))
    response.refresh_from_db()
    assert response.status in (Response.Status.SUBMITTED, Response.Status.SCORED)
