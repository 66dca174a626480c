"""A teacher hands work in, a methodist returns it, the teacher resubmits, the work is accepted."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.assignments.models import Review, Submission, SubmissionVersion
from courses.assignments.queries import accepted_works_for_portfolio
from courses.models import CompletionEvent, Enrolment, Evidence, LessonProgress
from lms.notifications.models import Notification
from tests.courses.assignments.conftest import full_marks, handed_in, pdf_upload
from tests.courses.assignments.factories import RubricRowFactory


def _review(client, submission, decision, points, comment=""):
    data = {f"row_{pk}": value for pk, value in points.items()}
    data.update({"decision": decision, "comment": comment})
    return client.post(reverse("assignments:submission", args=[submission.pk]), data)


def test_full_review_cycle_with_resubmission(client, teacher, methodist, assignment):
    url = assignment.get_absolute_url()
    client.force_login(teacher)
    response = client.post(url, {"text": "First plan", "link": "", "action": "submit"})
    assert response.status_code == 302
    submission = Submission.objects.get(author=teacher)
    assert submission.status == Submission.Status.SUBMITTED

    client.force_login(methodist)
    queue = client.get(reverse("assignments:queue")).content.decode()
    assert submission.get_absolute_url() in queue
    low = dict.fromkeys(full_marks(assignment), 1)
    assert _review(client, submission, "returned", low, "Add the timing.").status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED
    returned = Notification.objects.get(recipient=teacher)
    assert returned.kind == "courses.work_returned" and returned.link == url

    client.force_login(teacher)
    page = client.get(url).content.decode()
    assert "Add the timing." in page and "First plan" in page
    client.post(url, {"text": "Second plan, with timing", "action": "submit"})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED and submission.versions_count == 2
    assert not CompletionEvent.objects.filter(user=teacher).exists()

    client.force_login(methodist)
    assert (
        _review(client, submission, "accepted", full_marks(assignment), "Good").status_code == 302
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    event = CompletionEvent.objects.get(user=teacher, lesson=assignment.lesson)
    assert event.evidence == Evidence.WORK_ACCEPTED and event.score == 100
    progress = LessonProgress.objects.get(enrolment__user=teacher, lesson=assignment.lesson)
    assert progress.completed_at is not None
    assert Enrolment.objects.get(user=teacher).lessons_done == 1
    assert Notification.objects.filter(recipient=teacher, kind="courses.work_accepted").exists()

    # The whole history is kept: both versions, each with its own review.
    versions = SubmissionVersion.objects.filter(submission=submission).order_by("number")
    assert [v.text for v in versions] == ["First plan", "Second plan, with timing"]
    assert [v.reviews.get().decision for v in versions] == ["returned", "accepted"]
    client.force_login(teacher)
    page = client.get(url).content.decode()
    assert "First plan" in page and "Second plan, with timing" in page
    lesson_page = client.get(assignment.lesson.get_absolute_url()).content.decode()
    assert "Accepted" in lesson_page and "bi-check-circle-fill" in lesson_page


def test_a_returned_work_needs_a_comment(client, teacher, methodist, assignment):
    submission = handed_in(assignment, teacher)
    client.force_login(methodist)
    response = _review(client, submission, "returned", full_marks(assignment), "")
    assert response.status_code == 400
    assert "needs a comment" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_points_above_a_rows_maximum_are_refused(client, teacher, methodist, assignment):
    submission = handed_in(assignment, teacher)
    client.force_login(methodist)
    too_many = dict.fromkeys(full_marks(assignment), 99)
    assert _review(client, submission, "accepted", too_many, "ok").status_code == 400
    assert not Review.objects.exists()


def test_rubric_rows_from_level_statements(client, teacher, methodist, areas, levels):
    levels[1].description_en = "Builds a lesson around a shared online document."
    levels[1].save()
    row = RubricRowFactory(criterion="", area=areas[0], level=levels[1], max_points=4)
    assignment = row.assignment
    RubricRowFactory(assignment=assignment, criterion="", area=areas[1], level=levels[2])
    client.force_login(teacher)
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert "Builds a lesson around a shared online document." in page
    assert "Documents · Intermediate" in page

    submission = handed_in(assignment, teacher)
    client.force_login(methodist)
    scores = {str(row.pk): 4}
    scores.update({str(r.pk): 0 for r in assignment.rubric_rows.exclude(pk=row.pk)})
    _review(client, submission, "accepted", scores, "Well done")
    (work,) = accepted_works_for_portfolio(teacher)
    # Full marks on the Intermediate row, none on the Advanced one: evidence of one level only.
    assert work.levels_evidenced == [(areas[0], levels[1])]
    assert work.review.total_points == 4 and work.lesson == assignment.lesson


def test_bad_file_keeps_the_typed_text_and_says_why(client, teacher, assignment):
    client.force_login(teacher)
    fake = SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(
        assignment.get_absolute_url(),
        {"text": "Three hours of typing", "file": fake, "action": "submit"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a type this assignment accepts" in page
    assert "Three hours of typing" in page
    submission = Submission.objects.get(author=teacher)
    assert submission.draft_text == "Three hours of typing"
    assert submission.status == Submission.Status.DRAFT and not submission.files.exists()


def test_a_file_of_a_type_not_allowed_or_too_large_is_refused(client, teacher, assignment):
    assignment.file_types = "docx"
    assignment.max_file_mb = 1
    assignment.save()
    client.force_login(teacher)
    url = assignment.get_absolute_url()
    response = client.post(url, {"text": "kept", "file": pdf_upload(), "action": "draft"})
    assert response.status_code == 400 and "accepts DOCX" in response.content.decode()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = client.post(url, {"text": "kept", "file": big, "action": "draft"})
    assert response.status_code == 400 and "accepts files up to" in response.content.decode()
    assert Submission.objects.get(author=teacher).draft_text == "kept"


def test_draft_is_autosaved_and_a_handed_in_work_cannot_change(client, teacher, assignment):
    client.force_login(teacher)
    autosave = reverse("assignments:autosave", args=[assignment.pk])
    response = client.post(autosave, {"text": "typed so far", "link": "https://exa"})
    assert response.status_code == 200 and response.json()["saved"]
    submission = Submission.objects.get(author=teacher)
    assert submission.draft_text == "typed so far"
    client.post(assignment.get_absolute_url(), {"text": "typed so far", "action": "submit"})
    assert client.post(autosave, {"text": "changed"}).status_code == 409
    submission.refresh_from_db()
    assert submission.draft_text == "typed so far"


def test_nothing_to_hand_in_is_a_clear_error(client, teacher, assignment):
    client.force_login(teacher)
    response = client.post(assignment.get_absolute_url(), {"text": "  ", "action": "submit"})
    assert response.status_code == 400
    assert "nothing to hand in" in response.content.decode()


def test_files_go_with_their_version(client, teacher, assignment):
    client.force_login(teacher)
    url = assignment.get_absolute_url()
    client.post(url, {"text": "with a file", "file": pdf_upload(), "action": "draft"})
    client.post(url, {"text": "with a file", "action": "submit"})
    version = SubmissionVersion.objects.get(submission__author=teacher)
    (item,) = version.files.all()
    assert item.original_name == "plan.pdf" and item.extension == "pdf"
