"""Dropping notifications whose subject the recipient may not read (any more, or yet)."""

from collections import defaultdict

from lms.notifications.registry import get_kind


def visible_notifications(user, notifications: list) -> list:
    """The notifications of `user` that each kind's `visible` callback keeps, in order."""
    by_kind = defaultdict(list)
    for notification in notifications:
        by_kind[notification.kind].append(notification)
    kept_ids = set()
    for key, rows in by_kind.items():
        kind = get_kind(key)
        if kind is None or kind.visible is None:
            kept_ids.update(row.pk for row in rows)
        else:
            kept_ids.update(row.pk for row in kind.visible(user, rows))
    return [notification for notification in notifications if notification.pk in kept_ids]


def visible_notifications_many(notifications: list) -> list:
    """The same check for the notifications of many recipients (`recipient` loaded), in order.

    Kinds with `visible_many` are checked once for the whole list; the others once per
    recipient."""
    by_kind = defaultdict(list)
    for notification in notifications:
        by_kind[notification.kind].append(notification)
    kept_ids = set()
    for key, rows in by_kind.items():
        kind = get_kind(key)
        if kind is None or (kind.visible is None and kind.visible_many is None):
            kept_ids.update(row.pk for row in rows)
        elif kind.visible_many is not None:
            kept_ids.update(row.pk for row in kind.visible_many(rows))
        else:
            by_user = defaultdict(list)
            for row in rows:
                by_user[row.recipient_id].append(row)
            for user_rows in by_user.values():
                kept_ids.update(row.pk for row in kind.visible(user_rows[0].recipient, user_rows))
    return [notification for notification in notifications if notification.pk in kept_ids]
