"""The forums' kinds of notification, registered with the platform's service."""

from django.utils.translation import gettext_lazy as _

from lms.notifications.registry import Delivery, NotificationKind, register_kind


def _readable_posts(user, rows):
    from forums.subscriptions import readable_post_notifications

    return readable_post_notifications(user, rows)


def _readable_posts_many(rows):
    from forums.subscriptions import readable_post_notifications_many

    return readable_post_notifications_many(rows)


def _visible_round_tables(user, rows):
    from forums.access import forums_visible_to
    from forums.models import RoundTable

    ids = RoundTable.objects.filter(
        pk__in=[row.target_id for row in rows], forum__in=forums_visible_to(user)
    ).values_list("pk", flat=True)
    visible = set(ids)
    return [row for row in rows if row.target_id in visible]


def _moderated_posts(user, rows):
    from forums.moderator_alerts import moderated_post_notifications

    return moderated_post_notifications(user, rows)


def register_kinds() -> None:
    register_kind(
        NotificationKind(
            "forums.new_post",
            _("New posts in forums and topics I follow"),
            _("%(author)s posted in “%(topic)s”"),
            Delivery.DIGEST,
            _readable_posts,
            order=40,
            visible_many=_readable_posts_many,
        )
    )
    register_kind(
        NotificationKind(
            "forums.reply",
            _("Replies to my topics and posts"),
            _("%(author)s replied in “%(topic)s”"),
            Delivery.IMMEDIATE,
            _readable_posts,
            order=41,
            visible_many=_readable_posts_many,
        )
    )
    register_kind(
        NotificationKind(
            "forums.mention",
            _("Mentions of me in forums"),
            _("%(author)s mentioned you in “%(topic)s”"),
            Delivery.IMMEDIATE,
            _readable_posts,
            order=42,
            visible_many=_readable_posts_many,
        )
    )
    register_kind(
        NotificationKind(
            "forums.round_table_reminder",
            _("Round-table reminders"),
            _("Reminder: the round table “%(title)s” starts at %(starts)s"),
            Delivery.IMMEDIATE,
            _visible_round_tables,
            order=50,
        )
    )
    register_kind(
        NotificationKind(
            "forums.round_table_seat",
            _("A place freed up at a round table"),
            _("A place freed up: you are registered for the round table “%(title)s”"),
            Delivery.IMMEDIATE,
            _visible_round_tables,
            order=51,
        )
    )
    register_kind(
        NotificationKind(
            "forums.awaiting_approval",
            _("Forum posts waiting for my approval"),
            _("A post by %(author)s in “%(topic)s” waits for approval"),
            Delivery.IMMEDIATE,
            _moderated_posts,
            order=45,
        )
    )
    register_kind(
        NotificationKind(
            "forums.new_report",
            _("Reported forum posts"),
            _("%(reporter)s reported a post in “%(topic)s”"),
            Delivery.IMMEDIATE,
            _moderated_posts,
            order=46,
        )
    )
