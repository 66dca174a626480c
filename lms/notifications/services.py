"""Writing notifications and deciding how each recipient hears of them."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from lms.notifications.models import Notification, NotificationPreference
from lms.notifications.registry import Delivery, get_kind
from lms.notifications.tokens import unsubscribe_read, unsubscribe_token  # noqa: F401 - re-exported
from lms.tasks_enqueue import enqueue_on_commit

MAIL_FOR_DELIVERY = {
    Delivery.IMMEDIATE: Notification.Mail.PENDING,
    Delivery.DIGEST: Notification.Mail.DIGEST,
    Delivery.IN_APP: Notification.Mail.NONE,
}


def deliveries_for(*, user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each user's delivery for a kind: their choice, else the kind's default (one query)."""
    registered = get_kind(kind)
    default = registered.default_delivery if registered else Delivery.IN_APP
    user_ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def notify(
    *,
    recipients: Iterable,
    kind: str,
    params: dict | None = None,
    link: str = "",
    target_id: int | None = None,
    actor=None,
) -> int:
    """Tell these people (users or ids) something of a registered kind; returns rows written.

    The in-app rows are written in one statement; letters for those who want them at once are
    queued when the surrounding transaction commits, so a rolled-back action sends nothing.
    The actor never notifies themselves.
    """
    if get_kind(kind) is None:
        raise ValueError(f"Unknown notification kind {kind!r}: register it in an AppConfig.")
    actor_id = getattr(actor, "pk", actor)
    user_ids = {getattr(person, "pk", person) for person in recipients} - {actor_id, None}
    if not user_ids:
        return 0
    deliveries = deliveries_for(user_ids=user_ids, kind=kind)
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            params=params or {},
            link=link,
            target_id=target_id,
            created_at=now,
            mail=MAIL_FOR_DELIVERY[deliveries[user_id]],
        )
        for user_id in sorted(user_ids)
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows, batch_size=1000)
    if any(row.mail == Notification.Mail.PENDING for row in rows):
        from lms.notifications.tasks import send_pending_notifications

        # With the broker down the letters stay pending: beat's send-pending-notifications
        # (every minute) takes every pending one once the broker is back.
        enqueue_on_commit(send_pending_notifications)
    return len(rows)


def preference_set(*, user, kind: str, delivery: str) -> None:
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.for_recipient(user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
