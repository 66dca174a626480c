from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lms.models import User, WaitingInvitation

WAITING_BATCH = 500


def set_password_url(user: User, *, base_url: str) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def send_set_password_links(user_ids: list[int], *, base_url: str, language: str) -> int:
    """Send the invitation letters of these users over one mail connection."""
    users = User.objects.filter(pk__in=user_ids, is_active=True).select_related("school")
    messages = []
    for user in users:
        with translation.override(user.preferred_language or language):
            context = {"user": user, "url": set_password_url(user, base_url=base_url)}
            subject = render_to_string("lms/email/invitation_subject.txt", context).strip()
            body = render_to_string("lms/email/invitation_body.txt", context)
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return get_connection().send_messages(messages) or 0


def invitations_wait(user_ids: list[int], *, base_url: str, language: str) -> None:
    """Keep these letters for beat's sweeper: the broker could not take them."""
    WaitingInvitation.objects.bulk_create(
        (WaitingInvitation(user_id=pk, base_url=base_url, language=language) for pk in user_ids),
        ignore_conflicts=True,  # already waiting: one letter is enough
    )


def waiting_invitations_send() -> int:
    """Send the waiting letters, a batch per transaction; returns how many were sent.

    A batch is claimed with row locks (two sweepers never send one letter twice) and deleted in
    the transaction that sends it: if the mail server fails mid-batch the rows stay for the next
    sweep, and the letters of that batch already handed over may go out twice.
    """
    sent = 0
    while True:
        with transaction.atomic():
            claimed = WaitingInvitation.objects.order_by("pk")
            if connection.features.has_select_for_update_skip_locked:
                claimed = claimed.select_for_update(skip_locked=True)
            batch = list(claimed[:WAITING_BATCH])
            if not batch:
                return sent
            by_sender: dict[tuple[str, str], list[int]] = {}
            for waiting in batch:
                by_sender.setdefault((waiting.base_url, waiting.language), []).append(
                    waiting.user_id
                )
            for (base_url, language), user_ids in by_sender.items():
                sent += send_set_password_links(user_ids, base_url=base_url, language=language)
            WaitingInvitation.objects.filter(pk__in=[waiting.pk for waiting in batch]).delete()
