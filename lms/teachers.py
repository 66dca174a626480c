"""What a head does to the teachers of their school: re-send an invitation, deactivate, reactivate.

An invitation is the set-password link the roster import sends; a teacher who lost it or let it
expire gets it again from here, or from "forgot password" (SetPasswordLinkForm).
"""

from django.core.cache import cache
from django.db import transaction
from django.shortcuts import get_object_or_404

from lms.models import User
from lms.permissions import get_school_for_user
from lms.tasks import send_invitations

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


def teacher_invitation_resend(*, teacher: User, base_url: str, language: str) -> bool:
    """Queue the invitation again; False if one went out within the interval (nothing sent)."""
    if not cache.add(f"lms:invitation-resent:{teacher.pk}", 1, INVITATION_RESEND_INTERVAL):
        return False
    transaction.on_commit(
        lambda: send_invitations.delay([teacher.pk], base_url=base_url, language=language)
    )
    return True


def teacher_set_active(*, teacher: User, active: bool) -> None:
    """Deactivate (the teacher can no longer sign in, and an open session ends at its next
    request, since the auth backend refuses inactive users; results stay in reports) or
    reactivate."""
    teacher.is_active = active
    teacher.save(update_fields=["is_active"])
