from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from lms.invitations import invitations_wait, send_set_password_links, waiting_invitations_send
from lms.tasks_enqueue import enqueue_on_commit

INVITATION_BATCH = 500


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_invitations(user_ids: list[int], *, base_url: str, language: str) -> int:
    """E-mail each new account a link to set its password; returns how many were sent."""
    sent = 0
    for start in range(0, len(user_ids), INVITATION_BATCH):
        sent += send_set_password_links(
            user_ids[start : start + INVITATION_BATCH], base_url=base_url, language=language
        )
    return sent


def invitations_queue(user_ids: list[int], *, base_url: str, language: str, on_waiting=None):
    """Send the invitation letters once the transaction commits. If the broker cannot take
    them they wait in the database for beat's sweeper, and `on_waiting()` is called (the page
    then says the letters will follow)."""

    def wait():
        invitations_wait(user_ids, base_url=base_url, language=language)
        if on_waiting is not None:
            on_waiting()

    enqueue_on_commit(
        send_invitations, user_ids, base_url=base_url, language=language, on_failure=wait
    )


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_waiting_invitations() -> int:
    """Beat runs this every minute: the letters the broker could not take when asked for."""
    return waiting_invitations_send()


@shared_task
def purge_expired_sessions() -> int:
    """Delete sessions past their expiry date (beat runs this nightly)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
