import io

import pytest
from django.core.management import call_command
from django.utils import translation

from diagnostics.models import Response
from tests.e2e.helpers import sign_in, wait_for_chart

pytestmark = pytest.mark.e2e


def answer_every_question_on_the_page(page, root=None):
    # The first option of every radio group, the first box of every checkbox group, the
    # first real option of every select; numbers and texts typed.
    for group in (root or page).locator("fieldset.question").all():
        radios = group.locator("input[type=radio]")
        if radios.count():
            # Through its label, as a teacher does: rating-scale inputs are hidden behind
            # buttons, and a forced click on an input lands on whatever covers it.
            radio = radios.first
            group.locator(f"label[for='{radio.get_attribute('id')}']").click()
            assert radio.is_checked()
        boxes = group.locator("input[type=checkbox]")
        if boxes.count():
            boxes.first.check()
        for select in group.locator("select").all():
            select.select_option(index=1)
        for field in group.locator("input[inputmode=decimal]").all():
            field.fill("4")
        for field in group.locator("input[type=text]:not([inputmode])").all():
            field.fill("=SUM(A1:A5)")


def answer_every_page(page):
    """Answer every question until the button that submits is in view: step after step of the
    one form (a browser with scripts), or page after page up to the review (the paged flow)."""
    if "/form/" in page.url:
        while True:
            step = page.locator(".take-step:not([hidden])")
            answer_every_question_on_the_page(page, step)
            following = step.locator("button[data-go=next]")
            if not following.count():
                break
            following.click()
        return
    while "/submit/" not in page.url:
        answer_every_question_on_the_page(page)
        # Wait for the next page itself: answering the old one while it navigates away is a race.
        with page.expect_navigation():
            page.locator("button[name=go][value=next]").click()
        assert page.locator("#problems").count() == 0, page.locator("#problems").inner_text()


def test_teacher_takes_the_seeded_instrument_and_sees_the_radar_chart(page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())  # the region, the ready instrument, rounds
    sign_in(page, "teacher1.01@demo.ustaz.kz")
    with translation.override("kk"):
        start = translation.gettext("Start")
    page.get_by_role("link", name=start).first.click()
    page.wait_for_url("**/form/**")  # a browser with scripts takes the one form

    answer_every_page(page)

    page.locator("#take-submit button[type=submit]").click()
    page.wait_for_url("**/diagnostics/responses/*/")
    wait_for_chart(page, "radar-chart")
    response = Response.objects.filter(teacher__email="teacher1.01@demo.ustaz.kz").latest(
        "submitted_at"
    )
    assert response.status == Response.Status.SCORED
    assert page.locator("#level-heading").inner_text().startswith(response.level.name_kk)
    page.screenshot(path="test-results/result-kk.png", full_page=True)
