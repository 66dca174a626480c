"""Letters: one per notification sent at once, one per person for the daily digest.

Each letter is rendered in its recipient's language and carries a one-click unsubscribe link for
its kind (and the List-Unsubscribe headers mail clients show as a button). A batch of letters goes
over one SMTP connection.
"""

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from lms.notifications.models import Notification
from lms.notifications.registry import get_kind
from lms.notifications.tokens import unsubscribe_token
from lms.notifications.visibility import visible_notifications, visible_notifications_many

BATCH = 200


def absolute(path: str) -> str:
    return settings.USTAZ_BASE_URL.rstrip("/") + path if path.startswith("/") else path


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user_id, kind=kind)])
    )


def _letter(user, subject_template, body_template, context, unsubscribe) -> EmailMessage:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {**context, "user": user, "unsubscribe_url": unsubscribe}
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
    headers = {"List-Unsubscribe": f"<{unsubscribe}>"}
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], headers=headers)


def _claim(mail_state: str, limit: int) -> list[Notification]:
    """Rows waiting in this mail state, locked so a second worker skips them (PostgreSQL)."""
    rows = Notification.objects.filter(mail=mail_state, recipient__is_active=True)
    if db_connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    return list(rows.select_related("recipient").order_by("recipient_id", "pk")[:limit])


def send_pending(limit: int = BATCH) -> tuple[int, int]:
    """Send the letters of notifications marked 'at once'; returns (rows handled, letters sent).

    Rows are claimed, sent and marked in one transaction: a worker dying before the commit leaves
    them pending for the next run rather than lost."""
    with transaction.atomic():
        rows = _claim(Notification.Mail.PENDING, limit)
        if not rows:
            return 0, 0
        letters, sent_ids, skipped_ids = [], [], []
        by_user = defaultdict(list)
        for row in rows:
            by_user[row.recipient_id].append(row)
        for user_rows in by_user.values():
            user = user_rows[0].recipient
            kept = {row.pk for row in visible_notifications(user, user_rows)}
            for row in user_rows:
                if row.pk not in kept:
                    skipped_ids.append(row.pk)
                    continue
                letters.append(
                    _letter(
                        user,
                        "lms/notifications/email_subject.txt",
                        "lms/notifications/email_body.txt",
                        {"notification": row, "url": absolute(row.get_absolute_url())},
                        unsubscribe_url(user.pk, row.kind),
                    )
                )
                sent_ids.append(row.pk)
        sent = (get_connection().send_messages(letters) or 0) if letters else 0
        Notification.objects.filter(pk__in=sent_ids).update(mail=Notification.Mail.SENT)
        Notification.objects.filter(pk__in=skipped_ids).update(mail=Notification.Mail.SKIPPED)
    return len(rows), sent


class _DigestLinks:
    """The digest's links, reversed once per batch and filled in per row: a digest for 10,000
    teachers would otherwise spend seconds in `reverse()` alone."""

    MARK = "987654321"

    def __init__(self):
        # (before, after) the marked argument: its last occurrence, whatever the base URL holds.
        opened = absolute(reverse("notifications:open", args=[int(self.MARK)]))
        self.open = opened.rpartition(self.MARK)[::2]
        unsubscribe = absolute(reverse("notifications:unsubscribe", args=[self.MARK]))
        self.unsubscribe = unsubscribe.rpartition(self.MARK)[::2]

    def open_url(self, notification_id: int) -> str:
        return f"{self.open[0]}{notification_id}{self.open[1]}"

    def unsubscribe_url(self, user_id: int, kind: str) -> str:
        token = unsubscribe_token(user_id=user_id, kind=kind)
        return f"{self.unsubscribe[0]}{token}{self.unsubscribe[1]}"


def digest_entries(user, rows: list[Notification], links: _DigestLinks | None = None) -> list[dict]:
    """What one person's digest lists: their rows (already checked as visible), grouped by kind."""
    links = links or _DigestLinks()
    groups = defaultdict(list)
    for row in rows:
        groups[row.kind].append(row)
    entries = []
    for key, kind_rows in groups.items():
        kind = get_kind(key)
        entries.append(
            {
                "kind": key,
                "label": kind.label if kind else key,
                "items": [{"text": row.text, "url": links.open_url(row.pk)} for row in kind_rows],
                "unsubscribe_url": links.unsubscribe_url(user.pk, key),
            }
        )
    return entries


def send_digests(recipients_per_batch: int | None = None) -> int:
    """One letter per person holding digest rows, batch by batch over one connection each.

    A batch reads in a fixed number of queries whatever its size: the recipients, their rows
    with their accounts, one visibility check per kind (`visible_many`), one update."""
    per_batch = recipients_per_batch or BATCH
    sent = 0
    while True:
        with transaction.atomic():
            user_ids = list(
                Notification.objects.filter(
                    mail=Notification.Mail.DIGEST, recipient__is_active=True
                )
                .values_list("recipient_id", flat=True)
                .distinct()
                .order_by("recipient_id")[:per_batch]
            )
            if not user_ids:
                return sent
            rows = Notification.objects.filter(
                mail=Notification.Mail.DIGEST, recipient_id__in=user_ids
            )
            if db_connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True, of=("self",))
            rows = list(
                rows.select_related("recipient").order_by("recipient_id", "kind", "created_at")
            )
            links = _DigestLinks()
            by_user = defaultdict(list)
            for row in visible_notifications_many(rows):
                by_user[row.recipient_id].append(row)
            letters = []
            for user_rows in by_user.values():
                user = user_rows[0].recipient
                entries = digest_entries(user, user_rows, links)
                letters.append(
                    _letter(
                        user,
                        "lms/notifications/digest_subject.txt",
                        "lms/notifications/digest_body.txt",
                        {"entries": entries},
                        entries[0]["unsubscribe_url"],
                    )
                )
            if letters:
                sent += get_connection().send_messages(letters) or 0
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
                mail=Notification.Mail.SENT
            )
