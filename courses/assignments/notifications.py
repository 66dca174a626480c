"""The notification kinds of assignments, registered from CoursesConfig.ready."""

from django.utils.translation import gettext_lazy as _


def _own_works(user, rows):
    # A teacher is told about their own work only; a deleted work's notification is dropped.
    from courses.assignments.models import Submission

    ids = set(
        Submission.objects.filter(pk__in=[row.target_id for row in rows], author=user).values_list(
            "pk", flat=True
        )
    )
    return [row for row in rows if row.target_id in ids]


def _own_works_many(rows):
    # The same for the digest's batch of recipients: one query, (work, author) pairs.
    from courses.assignments.models import Submission

    pairs = set(
        Submission.objects.filter(pk__in={row.target_id for row in rows}).values_list(
            "pk", "author_id"
        )
    )
    return [row for row in rows if (row.target_id, row.recipient_id) in pairs]


def _given_peer_works(user, rows):
    from courses.assignments.models import PeerReview

    ids = set(
        PeerReview.objects.filter(
            reviewer=user,
            submission__assignment_id__in=[row.target_id for row in rows],
            submission__assignment__peer_feedback=True,
        ).values_list("submission__assignment_id", flat=True)
    )
    return [row for row in rows if row.target_id in ids]


def _given_peer_works_many(rows):
    from courses.assignments.models import PeerReview

    pairs = set(
        PeerReview.objects.filter(
            reviewer_id__in={row.recipient_id for row in rows},
            submission__assignment_id__in={row.target_id for row in rows},
            submission__assignment__peer_feedback=True,
        ).values_list("submission__assignment_id", "reviewer_id")
    )
    return [row for row in rows if (row.target_id, row.recipient_id) in pairs]


def register_assignment_kinds() -> None:
    from courses.assignments.services import PEER_WORK_GIVEN, WORK_ACCEPTED, WORK_RETURNED
    from lms.notifications.registry import Delivery, NotificationKind, register_kind

    register_kind(
        NotificationKind(
            key=WORK_RETURNED,
            label=_("Your work was returned for changes"),
            text=_("Your work “%(lesson)s” was returned for changes: read the comment"),
            default_delivery=Delivery.IMMEDIATE,
            visible=_own_works,
            order=30,
            visible_many=_own_works_many,
        )
    )
    register_kind(
        NotificationKind(
            key=WORK_ACCEPTED,
            label=_("Your work was accepted"),
            text=_("Your work “%(lesson)s” was accepted"),
            default_delivery=Delivery.IMMEDIATE,
            visible=_own_works,
            order=31,
            visible_many=_own_works_many,
        )
    )
    register_kind(
        NotificationKind(
            key=PEER_WORK_GIVEN,
            label=_("A colleague's work to give feedback on"),
            text=_("Colleagues' works in “%(lesson)s” are waiting for your feedback"),
            default_delivery=Delivery.DIGEST,
            visible=_given_peer_works,
            order=32,
            visible_many=_given_peer_works_many,
        )
    )
