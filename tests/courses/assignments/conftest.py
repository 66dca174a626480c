import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.assignments import services
from courses.assignments.models import Submission
from library.uploads import PDF
from tests.courses.assignments.factories import PDF_BYTES, AssignmentFactory, RubricRowFactory
from tests.lms.factories import MethodistFactory


@pytest.fixture
def methodist(db):
    return MethodistFactory(preferred_language="en")


@pytest.fixture
def assignment(db):
    assignment = AssignmentFactory()
    RubricRowFactory(assignment=assignment, criterion="Plan has stages", max_points=3)
    RubricRowFactory(assignment=assignment, criterion="Timing is given", max_points=2)
    return assignment


def pdf_upload(name="plan.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def handed_in(assignment, author, text="My plan", with_file=False) -> Submission:
    submission = services.submission_get_or_start(assignment=assignment, author=author)
    services.draft_save(submission=submission, text=text)
    if with_file:
        services.draft_file_add(submission=submission, upload=pdf_upload(), kind=PDF)
    services.submission_submit(submission=submission)
    submission.refresh_from_db()
    return submission


def full_marks(assignment) -> dict:
    return {str(row.pk): row.max_points for row in assignment.rubric_rows.all()}
