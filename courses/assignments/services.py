"""Writes of assignments: drafts, handing in, reviews, peer feedback.

Each function takes keyword arguments and runs in one transaction; the pages and the admin call
these. Accepting a work records the "work accepted" evidence through `courses.services`, which
completes the lesson and moves the teacher's progress.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.assignments.models import (
    Assignment,
    PeerReview,
    Review,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from courses.assignments.peers import allocation_by_group
from courses.models import Enrolment, Evidence
from courses.services import lesson_complete
from library.uploads import FileKind
from lms.notifications.services import notify

WORK_RETURNED = "courses.work_returned"
WORK_ACCEPTED = "courses.work_accepted"
PEER_WORK_GIVEN = "courses.peer_work_given"


def _study_group_id(user, course_id: int) -> int | None:
    """The group the teacher learns the course with, else their latest study group."""
    from diagnostics.models import GroupMembership

    group_id = (
        Enrolment.objects.filter(user=user, course_id=course_id)
        .values_list("group_id", flat=True)
        .first()
    )
    if group_id:
        return group_id
    return (
        GroupMembership.objects.filter(teacher=user)
        .order_by("-round__opens_at", "-pk")
        .values_list("group_id", flat=True)
        .first()
    )


def submission_get_or_start(*, assignment: Assignment, author) -> Submission:
    """The teacher's work on an assignment (one per teacher), started empty on first visit."""
    with transaction.atomic():
        submission, _created = Submission.objects.get_or_create(
            assignment=assignment,
            author=author,
            defaults={
                "course_id": assignment.lesson.module.course_id,
                "school_id": author.school_id,
            },
        )
    return submission


def _editable(submission: Submission) -> Submission:
    # Row lock: an autosave arriving while the same teacher submits in another tab must not
    # write into a work that is already waiting for review.
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if not locked.is_editable:
        raise ValidationError(
            _("This work is handed in and cannot be changed until it is returned."),
            code="not_editable",
        )
    return locked


def draft_save(*, submission: Submission, text: str | None = None, link: str | None = None):
    """Keep what the teacher typed (autosave, "save draft", and before a refused file)."""
    with transaction.atomic():
        locked = _editable(submission)
        fields = ["draft_saved_at"]
        if text is not None:
            locked.draft_text = text
            fields.append("draft_text")
        if link is not None:
            locked.draft_link = link
            fields.append("draft_link")
        locked.draft_saved_at = timezone.now()
        locked.save(update_fields=fields)
    return locked


def draft_file_add(*, submission: Submission, upload, kind: FileKind) -> SubmissionFile:
    """Attach a file already checked by content (courses.assignments.uploads)."""
    with transaction.atomic():
        locked = _editable(submission)
        if locked.files.filter(version__isnull=True).count() >= locked.assignment.max_files:
            raise ValidationError(
                _("This assignment takes at most %(count)s files; remove one first.")
                % {"count": locked.assignment.max_files},
                code="too_many_files",
            )
        return SubmissionFile.objects.create(
            submission=locked,
            file=upload,
            original_name=upload.name[:255],
            extension=kind.extension,
            content_type=kind.content_type,
            size=upload.size,
        )


def draft_file_remove(*, submission: Submission, file_id: int) -> None:
    with transaction.atomic():
        locked = _editable(submission)
        for item in locked.files.filter(pk=file_id, version__isnull=True):
            item.file.delete(save=False)
            item.delete()


def submission_submit(*, submission: Submission) -> SubmissionVersion:
    """Hand the draft in as a new version; it waits in the methodists' queue."""
    with transaction.atomic():
        locked = _editable(submission)
        draft_files = list(locked.files.filter(version__isnull=True))
        if not (locked.draft_text.strip() or locked.draft_link or draft_files):
            raise ValidationError(
                _("There is nothing to hand in yet: write the text, add a file or a link."),
                code="empty",
            )
        now = timezone.now()
        version = SubmissionVersion.objects.create(
            submission=locked,
            number=locked.versions_count + 1,
            text=locked.draft_text,
            link=locked.draft_link,
            submitted_at=now,
        )
        SubmissionFile.objects.filter(pk__in=[f.pk for f in draft_files]).update(version=version)
        if locked.versions_count == 0:
            locked.group_id = _study_group_id(locked.author, locked.course_id)
        locked.versions_count = version.number
        locked.status = Submission.Status.SUBMITTED
        locked.submitted_at = now
        locked.save(update_fields=["versions_count", "status", "submitted_at", "group"])
        if locked.assignment.peer_feedback and version.number == 1:
            peer_reviews_allocate(assignment=locked.assignment)
    return version


def scores_clean(rows, raw: dict) -> dict[str, int]:
    """{row id: points} for every rubric row, each between 0 and the row's points."""
    scores, errors = {}, []
    for row in rows:
        value = raw.get(str(row.pk), raw.get(row.pk))
        try:
            points = int(value)
        except (TypeError, ValueError):
            errors.append(_("Give points for “%(row)s”.") % {"row": row.text[:60]})
            continue
        if not 0 <= points <= row.max_points:
            errors.append(
                _("Points for “%(row)s” must be between 0 and %(max)s.")
                % {"row": row.text[:60], "max": row.max_points}
            )
            continue
        scores[str(row.pk)] = points
    if errors:
        raise ValidationError(errors, code="scores")
    return scores


def submission_review(
    *, submission: Submission, reviewer, decision: str, scores: dict, comment: str = ""
) -> Review:
    """Score the latest version, comment, and accept or return it; tell the teacher."""
    decision = Review.Decision(decision)
    with transaction.atomic():
        # Row lock: two methodists deciding the same work at once must not both record a review.
        locked = (
            Submission.objects.select_for_update()
            .select_related("assignment__lesson")
            .get(pk=submission.pk)
        )
        if locked.status != Submission.Status.SUBMITTED:
            raise ValidationError(
                _("This work has already been reviewed; reload the page."), code="reviewed"
            )
        rows = list(locked.assignment.rubric_rows.all())
        scores = scores_clean(rows, scores)
        if decision == Review.Decision.RETURNED and not comment.strip():
            raise ValidationError(
                _("Say what to change: a returned work needs a comment."), code="comment"
            )
        version = locked.versions.order_by("-number").first()
        now = timezone.now()
        review = Review.objects.create(
            version=version,
            reviewer=reviewer,
            decision=decision,
            scores=scores,
            total_points=sum(scores.values()),
            max_points=sum(row.max_points for row in rows),
            comment=comment,
            decided_at=now,
        )
        locked.status = (
            Submission.Status.ACCEPTED
            if decision == Review.Decision.ACCEPTED
            else Submission.Status.RETURNED
        )
        locked.reviewed_at = now
        locked.save(update_fields=["status", "reviewed_at"])
        lesson = locked.assignment.lesson
        if decision == Review.Decision.ACCEPTED:
            lesson_complete(
                user=locked.author,
                lesson=lesson,
                evidence=Evidence.WORK_ACCEPTED,
                score=review.percent,
                source_ref=f"review:{review.pk}",
            )
        notify(
            recipients=[locked.author_id],
            kind=WORK_ACCEPTED if decision == Review.Decision.ACCEPTED else WORK_RETURNED,
            params={"lesson": lesson.title},
            link=locked.assignment.get_absolute_url(),
            target_id=locked.pk,
            actor=reviewer,
        )
    return review


def peer_feedback_set(*, assignment: Assignment, enabled: bool) -> int:
    """Turn peer feedback on or off; turning it on gives the works already handed in out."""
    with transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(peer_feedback=enabled)
        assignment.peer_feedback = enabled
        return peer_reviews_allocate(assignment=assignment) if enabled else 0


def peer_reviews_allocate(*, assignment: Assignment) -> int:
    """Give each handed-in work of each study group to two peers (courses.assignments.peers).

    Run again as works come in, the round-robin moves: pairs it no longer makes are taken back
    unless the peer has written feedback already (so the spread stays even), new pairs are
    added and their peers told. Returns the number of new pairs.
    """
    with transaction.atomic():
        rows = (
            Submission.objects.filter(assignment=assignment, group__isnull=False)
            .handed_in()
            .values_list("group_id", "pk", "author_id")
        )
        pairs = allocation_by_group(rows)
        wanted = set(pairs)
        current = PeerReview.objects.filter(submission__assignment=assignment)
        existing = set()
        stale = []
        for pk, submission_id, reviewer_id, written_at in current.values_list(
            "pk", "submission_id", "reviewer_id", "written_at"
        ):
            if (submission_id, reviewer_id) in wanted or written_at is not None:
                existing.add((submission_id, reviewer_id))
            else:
                stale.append(pk)
        PeerReview.objects.filter(pk__in=stale).delete()
        new = [
            PeerReview(submission_id=submission_id, reviewer_id=reviewer_id)
            for submission_id, reviewer_id in pairs
            if (submission_id, reviewer_id) not in existing
        ]
        PeerReview.objects.bulk_create(new, ignore_conflicts=True)
        if new:
            notify(
                recipients={row.reviewer_id for row in new},
                kind=PEER_WORK_GIVEN,
                params={"lesson": assignment.lesson.title},
                link=assignment.get_absolute_url(),
                target_id=assignment.pk,
            )
    return len(new)


def peer_review_write(*, peer_review: PeerReview, scores: dict, comment: str) -> PeerReview:
    with transaction.atomic():
        locked = PeerReview.objects.select_for_update().get(pk=peer_review.pk)
        submission = locked.submission
        rows = list(submission.assignment.rubric_rows.all())
        locked.scores = scores_clean(rows, scores)
        if not comment.strip():
            raise ValidationError(_("Write a few words of feedback."), code="comment")
        locked.comment = comment
        locked.version = submission.versions.order_by("-number").first()
        locked.written_at = timezone.now()
        locked.save(update_fields=["scores", "comment", "version", "written_at"])
    return locked


def assignment_save(
    *, assignment: Assignment, requested_by=None, peer_was_on: bool = False, on_not_queued=None
):
    """Save an assignment and make its lesson completed by accepted work.

    A lesson that was completed another way gets the "work accepted" rule and a recompute of its
    course's progress (completions already earned stay). Turning peer feedback on gives the works
    already handed in out to peers. `on_not_queued()` is called if the broker cannot take the
    recompute (it waits for beat's sweeper).
    """
    from courses.tasks import completion_recompute_request

    with transaction.atomic():
        assignment.save()
        lesson = assignment.lesson
        if lesson.completion_rule != Evidence.WORK_ACCEPTED:
            lesson.completion_rule = Evidence.WORK_ACCEPTED
            lesson.save(update_fields=["completion_rule"])
            completion_recompute_request(
                course=lesson.module.course,
                requested_by=requested_by,
                on_not_queued=on_not_queued,
            )
        if assignment.peer_feedback and not peer_was_on:
            peer_reviews_allocate(assignment=assignment)
    return assignment
