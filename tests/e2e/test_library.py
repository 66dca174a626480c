import pytest
from django.utils import translation

from tests.e2e.helpers import sign_in
from tests.library.factories import ResourceFactory
from tests.lms.factories import PASSWORD, TeacherFactory

pytestmark = pytest.mark.e2e


def test_teacher_searches_in_kazakh_filters_and_opens_a_resource(page, transactional_db):
    teacher = TeacherFactory()
    wanted = ResourceFactory(
        title="Сандық сауаттылық: мұғалімге арналған әдістемелік құрал",
        language="kk",
        kind="methodological",
        description="Оқушылардың ақпараттық қауіпсіздігі туралы сабақтар",
    )
    ResourceFactory(title="Сандық сауаттылық: бейнесабақ", language="kk", kind="video")
    ResourceFactory(title="Spreadsheet basics", language="en")
    sign_in(page, teacher.email, PASSWORD)

    page.goto("/library/")
    page.fill("#library-q", "САНДЫҚ")
    page.locator("#library-search button[type=submit]").click()
    page.wait_for_url("**/library/search/?q=*")
    assert page.locator("#results article").count() == 2

    # The kind facet narrows to the methodological material; the query is kept.
    page.locator('[data-facet="kind"] a[data-value="methodological"]').click()
    page.wait_for_url("**kind=methodological*")
    assert page.locator("#results article").count() == 1
    assert page.input_value("#library-q") == "САНДЫҚ"

    page.get_by_role("link", name=wanted.title).click()
    page.wait_for_url(f"**/library/resources/{wanted.pk}/")
    assert page.locator("#resource-title").inner_text() == wanted.title

    # Put it on the shelf (a plain form post) and find it there.
    with translation.override("kk"):
        add_label = translation.gettext("Add to my shelf")
    with page.expect_navigation():  # a plain form post: wait for the page it leads to
        page.get_by_role("button", name=add_label).click()
    assert page.locator('button[data-shelf="on"]').count() == 1
    page.goto("/library/shelf/")
    assert wanted.title in page.locator("#shelf").inner_text()
