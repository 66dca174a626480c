"""What a head does to the teachers of their school: re-send an invitation, deactivate, reactivate.

An invitation is the set-password link the roster import sends; a teacher who lost it or let it
expire gets it again from here, or from "forgot password" (SetPasswordLinkForm).
"""

import enum

from django.core.cache import cache
from django.shortcuts import get_object_or_404

from lms.models import User
from lms.permissions import get_school_for_user
from lms.tasks import invitations_queue

# One invitation per teacher per quarter of an hour: enough to fix a typo'd address or a lost
# letter, not enough to flood a mailbox with a repeatedly pressed button.
INVITATION_RESEND_INTERVAL = 15 * 60


def get_teacher_for_user(user, school_id, teacher_id) -> User:
    """A teacher of a school the user manages; 404 for anything else, ids of others unconfirmed."""
    school = get_school_for_user(user, school_id)
    return get_object_or_404(
        User.objects.teachers().of_school(school).select_related("school"), pk=teacher_id
    )


def is_awaiting_first_sign_in(teacher: User) -> bool:
    return teacher.is_active and teacher.last_login is None and not teacher.has_usable_password()


class Resend(enum.Enum):
    SENT = "sent"
    WAITING = "waiting"  # the broker was unreachable: beat's sweeper sends it once it is back
    TOO_SOON = "too soon"  # one went out within the interval: nothing sent


def teacher_invitation_resend(*, teacher: User, base_url: str, language: str) -> Resend:
    """Queue the invitation again, and say what became of it."""
    if not cache.add(f"lms:invitation-resent:{teacher.pk}", 1, INVITATION_RESEND_INTERVAL):
        return Resend.TOO_SOON
    waiting = []
    # Outside a transaction (a view's request) the send happens here, before this returns.
    invitations_queue(
        [teacher.pk], base_url=base_url, language=language, on_waiting=lambda: waiting.append(1)
    )
    return Resend.WAITING if waiting else Resend.SENT


def teacher_set_active(*, teacher: User, active: bool) -> None:
    """Deactivate (the teacher can no longer sign in, and an open session ends at its next
    request, since the auth backend refuses inactive users; results stay in reports) or
    reactivate."""
    teacher.is_active = active
    teacher.save(update_fields=["is_active"])
