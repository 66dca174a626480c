"""Following forums and topics, and telling the followers, the mentioned and the quoted."""

from django.db.models import Q

from forums import access, markup
from forums.models import Forum, Post, Subscription, Topic
from lms.notifications.models import Notification
from lms.notifications.services import notify

Mode = Forum.SubscriptionMode


def subscription_follow(*, user, forum: Forum | None = None, topic: Topic | None = None) -> None:
    target = {"forum": forum} if forum is not None else {"topic": topic}
    Subscription.objects.update_or_create(user=user, **target, defaults={"muted": False})


def subscription_stop(*, user, forum: Forum | None = None, topic: Topic | None = None) -> bool:
    """Stop following; in an automatic forum this leaves a muted row. A forced forum refuses."""
    if forum is not None:
        if forum.subscription_mode == Mode.FORCED:
            return False
        if forum.subscription_mode == Mode.AUTOMATIC:
            Subscription.objects.update_or_create(user=user, forum=forum, defaults={"muted": True})
            return True
        Subscription.objects.filter(user=user, forum=forum).delete()
        return True
    Subscription.objects.filter(user=user, topic=topic).delete()
    return True


def follows_forum(user, forum: Forum) -> bool:
    if forum.subscription_mode == Mode.OFF:
        return False
    if forum.subscription_mode == Mode.FORCED:
        return True
    row = Subscription.objects.filter(user=user, forum=forum).first()
    if forum.subscription_mode == Mode.AUTOMATIC:
        return row is None or not row.muted
    return row is not None and not row.muted


def followers_of(post: Post) -> set[int]:
    """Who follows the post's topic or forum, by the forum's subscription mode."""
    topic, forum = post.topic, post.topic.forum
    if forum.subscription_mode == Mode.OFF:
        return set()
    ids = set(
        Subscription.objects.filter(topic=topic, muted=False).values_list("user_id", flat=True)
    )
    if forum.subscription_mode == Mode.OPTIONAL:
        ids |= set(
            Subscription.objects.filter(forum=forum, muted=False).values_list("user_id", flat=True)
        )
    else:
        audience = access.forum_audience(forum)
        if forum.subscription_mode == Mode.AUTOMATIC:
            muted = Subscription.objects.filter(forum=forum, muted=True).values("user_id")
            audience = audience.exclude(pk__in=muted)
        ids |= set(audience.values_list("pk", flat=True))
    return ids


def mentioned_in(post: Post) -> set[int]:
    """People named in the post who may read its forum: nobody outside learns of the post."""
    emails, names = markup.mentioned_emails(post.body), markup.mentioned_names(post.body)
    if not emails and not names:
        return set()
    named = Q(email__in=emails)
    for name in names:
        named |= Q(full_name__iexact=name)
    audience = access.forum_audience(post.topic.forum)
    return set(audience.filter(named).values_list("pk", flat=True)[:20])


def post_announce(*, post: Post) -> None:
    """Notify the mentioned, the person replied to, then the followers, each once."""
    topic = post.topic
    params = {"author": post.author.full_name, "topic": topic.title}
    common = {"params": params, "link": post.get_absolute_url(), "target_id": post.pk}
    mentioned = mentioned_in(post) - {post.author_id}
    notify(recipients=mentioned, kind="forums.mention", actor=post.author, **common)
    replied_to = {topic.author_id}
    if post.quoted_id:
        replied_to.add(post.quoted.author_id)
    replied_to -= mentioned | {post.author_id}
    if not post.is_opening:
        notify(recipients=replied_to, kind="forums.reply", actor=post.author, **common)
    else:
        replied_to = set()
    followers = followers_of(post) - mentioned - replied_to
    notify(recipients=followers, kind="forums.new_post", actor=post.author, **common)


def readable_post_notifications(user, rows: list) -> list:
    """The `visible` check of the post kinds: rows whose post the user may read now."""
    ids = [row.target_id for row in rows]
    readable = set(access.posts_readable_by(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [row for row in rows if row.target_id in readable]


def readable_post_notifications_many(rows: list) -> list:
    """The same check for the rows of many recipients (the digest's batch): two queries for the
    plain cases (a readable post, a deleted one nobody reads), `readable_post_notifications` per
    recipient only for the rows they leave."""
    alive = set(
        Post.objects.filter(
            pk__in={row.target_id for row in rows}, deleted_at__isnull=True
        ).values_list("pk", flat=True)
    )
    rows = [row for row in rows if row.target_id in alive]
    plain = set(
        Notification.objects.filter(pk__in=[row.pk for row in rows])
        .filter(access.plainly_readable_post("target_id", "recipient"))
        .values_list("pk", flat=True)
    )
    kept = [row for row in rows if row.pk in plain]
    rest = {}
    for row in rows:
        if row.pk not in plain:
            rest.setdefault(row.recipient_id, []).append(row)
    for user_rows in rest.values():
        kept.extend(readable_post_notifications(user_rows[0].recipient, user_rows))
    return kept
