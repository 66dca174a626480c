"""Dropping notifications whose subject the recipient may not read (any more, or yet)."""

from collections import defaultdict

from lms.notifications.registry import get_kind


def _grouped(rows: list, attribute: str) -> dict[object, list]:
    groups = defaultdict(list)
    for row in rows:
        groups[getattr(row, attribute)].append(row)
    return groups


def visible_notifications(user, notifications: list) -> list:
    """The notifications of `user` that each kind's `visible` callback keeps, in order."""
    kept_ids = set()
    for key, rows in _grouped(notifications, "kind").items():
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
    kept_ids = set()
    for key, rows in _grouped(notifications, "kind").items():
        kind = get_kind(key)
        if kind is None or (kind.visible is None and kind.visible_many is None):
            kept_ids.update(row.pk for row in rows)
        elif kind.visible_many is not None:
            kept_ids.update(row.pk for row in kind.visible_many(rows))
        else:
            for user_rows in _grouped(rows, "recipient_id").values():
                kept_ids.update(row.pk for row in kind.visible(user_rows[0].recipient, user_rows))
    return [notification for notification in notifications if notification.pk in kept_ids]
