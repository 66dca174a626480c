"""Who may see a handed-in work: its author, its reviewers, its assigned peers. Nobody else.

Reviewers are methodists and administrators (staff roles); a school head never reads work.
Everyone else gets 404, by the work's id and by any of its files' ids alike, so a work's
existence is not told.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from courses.assignments.models import Assignment, PeerReview, Submission, SubmissionFile


def is_reviewer(user) -> bool:
    return user.is_authenticated and user.is_staff


def submissions_visible_to(user):
    if not user.is_authenticated:
        return Submission.objects.none()
    if is_reviewer(user):
        return Submission.objects.handed_in() | Submission.objects.filter(author=user)
    peer = PeerReview.objects.filter(
        submission=OuterRef("pk"), reviewer=user, submission__assignment__peer_feedback=True
    )
    return Submission.objects.filter(Q(author=user) | (Exists(peer) & ~Q(status="draft")))


def submission_for_user(user, submission_id: int) -> Submission:
    return get_object_or_404(
        submissions_visible_to(user).select_related(
            "author", "assignment__lesson__module__course", "group", "school"
        ),
        pk=submission_id,
    )


def file_for_user(user, file_id: int) -> SubmissionFile:
    """A file of a visible work; a draft's file only to its author."""
    item = get_object_or_404(SubmissionFile.objects.select_related("submission"), pk=file_id)
    if not submissions_visible_to(user).filter(pk=item.submission_id).exists():
        raise Http404
    if item.version_id is None and item.submission.author_id != user.pk:
        raise Http404
    return item


def peer_review_for_user(user, submission: Submission) -> PeerReview | None:
    if not user.is_authenticated or not submission.assignment.peer_feedback:
        return None
    return PeerReview.objects.filter(submission=submission, reviewer=user).first()


def assignment_for_teacher(user, assignment_id: int) -> Assignment:
    """An assignment on a lesson the user may see (whether the lesson is open is the gate's)."""
    from courses.access import lesson_for_user

    assignment = get_object_or_404(
        Assignment.objects.select_related("lesson__module__course"), pk=assignment_id
    )
    lesson_for_user(user, assignment.lesson_id)
    return assignment
