import pytest
from django.utils import translation

from lms.demo import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.e2e


def test_demo_teacher_signs_in_and_switches_to_russian(page, transactional_db):
    seed_demo()
    page.goto("/")
    # Not signed in: sent to the sign-in page, in the browser's language (Kazakh).
    assert page.locator("html").get_attribute("lang") == "kk"
    page.fill("input[name=username]", "teacher1.01@demo.ustaz.kz")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    # The demo teacher's preferred language is Kazakh.
    with translation.override("kk"):
        assert page.get_by_role("heading", name=translation.gettext("Your profile")).is_visible()

    with page.expect_navigation():
        page.select_option("#language-select", "ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    with translation.override("ru"):
        assert page.get_by_role("heading", name=translation.gettext("Your profile")).is_visible()
        assert page.get_by_role("button", name=translation.gettext("Sign out")).is_visible()
    page.screenshot(path="test-results/dashboard-ru.png", full_page=True)
