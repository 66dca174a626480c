from celery import shared_task

from lms.notifications import mail


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_pending_notifications() -> int:
    """Send every letter waiting to go at once (several notify() calls share one run)."""
    total = 0
    while True:
        handled, sent = mail.send_pending()
        total += sent
        if not handled:
            return total


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=3)
def send_notification_digests() -> int:
    """Beat runs this daily: each person's digest rows in one letter."""
    return mail.send_digests()
