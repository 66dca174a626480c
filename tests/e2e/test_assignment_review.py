"""A teacher hands in work, a methodist returns it, the teacher resubmits, it is accepted, the
course is completed and the teacher downloads the certificate from the browser."""

import pypdf
import pytest

from courses.assignments.models import Submission
from courses.services import enrolment_create
from tests.courses.assignments.factories import AssignmentFactory, RubricRowFactory
from tests.e2e.helpers import sign_in
from tests.lms.factories import PASSWORD, MethodistFactory, TeacherFactory

pytestmark = pytest.mark.e2e


def _review(page, submission, decision, points, comment):
    page.goto(submission.get_absolute_url())
    for row_input in page.locator("#review-form input[type=number]").all():
        row_input.fill(str(points))
    page.fill("#review-form textarea[name=comment]", comment)
    page.locator(f"#review-form button[value={decision}]").click()
    page.wait_for_url("**/assignments/review/")


def test_work_is_returned_resubmitted_and_accepted(page, transactional_db):
    teacher = TeacherFactory(full_name="Әсел Құрманғалиқызы", preferred_language="kk")
    methodist = MethodistFactory()
    title = "Цифрлық сабақ жоспары"
    assignment = AssignmentFactory(
        instructions="Жоспар жасаңыз.",
        lesson__module__course__language="kk",
        lesson__module__course__title_kk=title,
        lesson__module__course__title_en=title,
    )
    course = assignment.lesson.module.course
    RubricRowFactory(assignment=assignment, criterion="Кезеңдер", max_points=3)
    enrolment_create(user=teacher, course=assignment.lesson.module.course)

    sign_in(page, teacher.email, PASSWORD)
    page.goto(assignment.lesson.get_absolute_url())
    page.locator("#assignment-panel a").click()
    page.fill("#work-form textarea[name=text]", "Бірінші жоспар")
    # The draft is autosaved a few seconds after typing stops.
    # Its own timeout: on a loaded machine 15 s was not always enough for the first save.
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.trim().length > 0",
        timeout=60_000,
    )
    assert Submission.objects.get(author=teacher).draft_text == "Бірінші жоспар"
    page.locator("#work-form button[value=submit]").click()
    page.wait_for_selector(".alert-info")
    submission = Submission.objects.get(author=teacher)

    page.context.clear_cookies()
    sign_in(page, methodist.email, PASSWORD)
    _review(page, submission, "returned", 1, "Уақытты көрсетіңіз")

    page.context.clear_cookies()
    sign_in(page, teacher.email, PASSWORD)
    page.goto(assignment.get_absolute_url())
    assert "Уақытты көрсетіңіз" in page.locator(".review-comment").inner_text()
    page.fill("#work-form textarea[name=text]", "Екінші жоспар, уақытымен")
    page.locator("#work-form button[value=submit]").click()
    page.wait_for_selector(".alert-info")

    page.context.clear_cookies()
    sign_in(page, methodist.email, PASSWORD)
    _review(page, submission, "accepted", 3, "Жарайсыз")

    page.context.clear_cookies()
    sign_in(page, teacher.email, PASSWORD)
    page.goto(assignment.get_absolute_url())
    assert page.locator("#work-accepted").is_visible()
    assert page.locator("article.version").count() == 2
    page.goto(assignment.lesson.get_absolute_url())
    assert page.locator(".bi-check-circle-fill").count() == 1
    page.screenshot(path="test-results/assignment-accepted-kk.png", full_page=True)

    # The only lesson is done, so the course is completed and its certificate issued: the bell
    # says so, and its notification leads to the teacher's certificates.
    page.goto(course.get_absolute_url())
    assert page.locator(".bi-award").is_visible()
    page.locator("#notification-bell").click()
    page.locator("#notification-list a", has_text=title).click()
    with page.expect_download() as download_info:
        page.locator("a[href$='/pdf/']").click()
    download = download_info.value
    assert download.suggested_filename.startswith("certificate-")
    reader = pypdf.PdfReader(download.path())
    text = " ".join(" ".join(pdf_page.extract_text() for pdf_page in reader.pages).split())
    assert teacher.full_name in text  # letter for letter: ә, ұ, ғ, қ
    assert title in text


def test_text_typed_before_the_page_script_ran_is_still_autosaved(page, transactional_db):
    """On a slow connection a teacher may type before the autosave script has loaded; that text
    differs from what the server holds and must be saved, not taken for the stored draft."""
    teacher = TeacherFactory()
    assignment = AssignmentFactory()
    enrolment_create(user=teacher, course=assignment.lesson.module.course)
    sign_in(page, teacher.email, PASSWORD)

    def slow_script(route):
        page.wait_for_timeout(1500)  # the teacher types meanwhile
        route.continue_()

    page.route("**/assignment-autosave.js", slow_script)
    page.goto(assignment.get_absolute_url(), wait_until="commit")
    page.fill("#work-form textarea[name=text]", "Typed before the script")
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.trim().length > 0",
        timeout=30_000,
    )
    submission = Submission.objects.get(assignment=assignment, author=teacher)
    assert submission.draft_text == "Typed before the script"
