import pytest
from django.utils import translation

from lms.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.helpers import sign_in
from tests.lms.factories import PASSWORD, TeacherFactory

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

    page.select_option("#language-select", "ru")
    with page.expect_navigation():
        page.click("#language-submit")
    assert page.locator("html").get_attribute("lang") == "ru"
    with translation.override("ru"):
        assert page.get_by_role("heading", name=translation.gettext("Your profile")).is_visible()
        assert page.get_by_role("button", name=translation.gettext("Sign out")).is_visible()
    page.screenshot(path="test-results/dashboard-ru.png", full_page=True)


def test_arrow_keys_in_the_language_menu_do_not_change_the_language(page, transactional_db):
    teacher = TeacherFactory(preferred_language="")
    sign_in(page, teacher.email, PASSWORD)
    assert page.locator("html").get_attribute("lang") == "kk"
    start = page.url
    page.focus("#language-select")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(700)  # a submit on change would have navigated by now
    assert page.url == start
    assert page.locator("html").get_attribute("lang") == "kk"
    chosen = page.eval_on_selector("#language-select", "select => select.value")
    assert chosen != "kk"  # the keys did move through the menu
    with page.expect_navigation():
        page.keyboard.press("Tab")  # to the button, as a keyboard user would
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == chosen
