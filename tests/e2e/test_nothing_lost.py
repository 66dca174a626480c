"""A teacher's answers survive a bad value, and autosave says what happened (in Kazakh, the
default language: the checks read ids and states, not words)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from diagnostics.interchange.instrument_json import instrument_import
from diagnostics.models import Answer, Response
from diagnostics.taking.pages import instrument_questions
from tests.diagnostics.conftest import SMALL_INSTRUMENT
from tests.diagnostics.factories import RoundFactory
from tests.e2e.helpers import sign_in
from tests.lms.factories import PASSWORD, SchoolFactory, TeacherFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def second_page(page, transactional_db):
    """A teacher signed in, on page 2 of the small instrument (rating scales, a number)."""
    instrument = instrument_import(SMALL_INSTRUMENT)
    instrument.status = "published"
    instrument.save(update_fields=["status"])
    school = SchoolFactory()
    round_ = RoundFactory(instrument=instrument, schools=[school])
    teacher = TeacherFactory(school=school)
    sign_in(page, teacher.email, PASSWORD)
    page.goto(reverse("diagnostics:take", args=[round_.pk]))
    response = Response.objects.get(teacher=teacher)
    page.goto(reverse("diagnostics:page", args=[response.pk, 2]))
    questions = {q.code: q for q in instrument_questions(instrument)}
    return response, questions


def test_a_word_in_a_number_keeps_the_other_answers(page, second_page):
    response, questions = second_page
    likert, num = questions["likert"], questions["num"]
    page.locator(f"label[for='l{likert.pk}-4']").click()
    page.locator(f"#n{num.pk}").fill("төрт")
    with page.expect_navigation():
        page.locator("button[name=go][value=next]").click()
    assert page.locator(f"#l{likert.pk}-4").is_checked()
    field = page.locator(f"#n{num.pk}")
    assert field.input_value() == "төрт"
    assert "is-invalid" in field.get_attribute("class")
    link = page.locator(f"#problems a[href='#question-{num.pk}']")
    assert link.count() == 1
    assert "4" in link.inner_text() and num.code not in link.inner_text()
    link.click()
    assert page.url.endswith(f"#question-{num.pk}")
    assert Answer.objects.filter(response=response, question=likert).exists()


def test_autosave_says_saved_and_points_to_the_question_it_could_not_save(page, second_page):
    _response, questions = second_page
    num = questions["num"]
    status = page.locator("#autosave-status")
    page.locator(f"#n{num.pk}").fill("төрт")
    page.locator(f"#n{num.pk}").press("Tab")
    page.wait_for_function("() => document.getElementById('autosave-status').dataset.state")
    assert status.get_attribute("data-state") == "failed"
    assert status.locator(f"a[href='#question-{num.pk}']").count() == 1
    assert page.locator(f"#question-{num.pk}.question-invalid").count() == 1

    page.locator(f"#n{num.pk}").fill("4,5")
    page.locator(f"#n{num.pk}").press("Tab")
    page.wait_for_function(
        "() => document.getElementById('autosave-status').dataset.state === 'saved'"
    )
    assert page.locator(".question-invalid").count() == 0


def test_autosave_sends_only_the_question_that_changed(page, second_page):
    response, questions = second_page
    likert, num = questions["likert"], questions["num"]
    page.locator(f"#n{num.pk}").fill("4,5")
    page.locator(f"#n{num.pk}").press("Tab")
    page.wait_for_function(
        "() => document.getElementById('autosave-status').dataset.state === 'saved'"
    )
    with page.expect_response(lambda r: r.request.method == "POST") as reply:
        page.locator(f"label[for='l{likert.pk}-4']").click()
    assert reply.value.status == 204
    body = reply.value.request.post_data
    assert f'name="sent"\r\n\r\n{likert.pk}' in body
    assert f'name="q{num.pk}"' not in body  # saved before, unchanged: not sent again
    stored = {a.question_id: a.number for a in Answer.objects.filter(response=response)}
    assert stored == {likert.pk: 4, num.pk: Decimal("4.5")}
