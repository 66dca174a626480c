"""A work is served to its author, its reviewers and its assigned peers; 404 to anyone else."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from courses.assignments import services
from courses.assignments.models import PeerReview, SubmissionFile
from tests.courses.assignments.conftest import handed_in, pdf_upload
from tests.lms.factories import TeacherFactory


@pytest.fixture
def work(assignment, teacher):
    submission = handed_in(assignment, teacher, text="Secret plan", with_file=True)
    return submission, submission.files.get()


def _urls(work):
    submission, item = work
    return (
        reverse("assignments:submission", args=[submission.pk]),
        reverse("assignments:file", args=[item.pk]),
    )


def test_author_and_methodist_open_the_work_and_its_file(client, work, teacher, methodist):
    for person in (teacher, methodist):
        client.force_login(person)
        page_url, file_url = _urls(work)
        assert client.get(page_url).status_code == 200
        response = client.get(file_url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_teacher_gets_404_by_id_and_by_file_url(client, work, school):
    client.force_login(TeacherFactory(school=school))
    for url in _urls(work):
        assert client.get(url).status_code == 404


def test_head_and_other_school_head_get_404(client, work, head, other_head):
    for person in (head, other_head):
        client.force_login(person)
        for url in _urls(work):
            assert client.get(url).status_code == 404


def test_stranger_is_sent_to_sign_in(client, work):
    for url in _urls(work):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_assigned_peer_sees_the_work_only_while_peer_feedback_is_on(client, assignment, school):
    from tests.courses.assignments.test_peers import _group_with

    teachers = [TeacherFactory(school=school) for _ in range(3)]
    _group_with(teachers, school)
    works = [
        handed_in(assignment, person, text="Secret plan", with_file=True) for person in teachers
    ]
    submission = works[0]
    page_url, file_url = _urls((submission, submission.files.get()))
    services.peer_feedback_set(assignment=assignment, enabled=True)
    peer = PeerReview.objects.filter(submission=submission).first().reviewer
    client.force_login(peer)
    page = client.get(page_url)
    assert page.status_code == 200 and "Secret plan" in page.content.decode()
    assert submission.author.full_name not in page.content.decode()  # peers read it anonymously
    assert client.get(file_url).status_code == 200
    services.peer_feedback_set(assignment=assignment, enabled=False)
    assert client.get(page_url).status_code == 404
    assert client.get(file_url).status_code == 404


def test_a_drafts_file_is_only_its_authors(client, assignment, teacher, methodist):
    submission = services.submission_get_or_start(assignment=assignment, author=teacher)
    client.force_login(teacher)
    client.post(
        assignment.get_absolute_url(), {"text": "x", "file": pdf_upload(), "action": "draft"}
    )
    item = SubmissionFile.objects.get(submission=submission)
    url = reverse("assignments:file", args=[item.pk])
    assert client.get(url).status_code == 200
    client.force_login(methodist)
    assert client.get(url).status_code == 404
    assert client.get(reverse("assignments:submission", args=[submission.pk])).status_code == 404


def test_files_are_stored_outside_the_public_media_folder(work):
    _submission, item = work
    path = Path(item.file.path).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents
    with pytest.raises(ValueError):
        item.file.url  # noqa: B018 - no URL exists: files are served by the checking view


def test_review_queue_is_for_methodists_only(client, teacher, head):
    for person in (teacher, head):
        client.force_login(person)
        assert client.get(reverse("assignments:queue")).status_code == 302
