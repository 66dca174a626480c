from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from lms.invitations import send_set_password_links

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


@shared_task
def purge_expired_sessions() -> int:
    """Delete sessions past their expiry date (beat runs this nightly)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
