"""Writing topics and posts: sanitise, hold or publish, count, and queue who hears of it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forums import access, markup
from forums.models import Attachment, Forum, Post, PostRevision, Reaction, ReadMarker, Topic
from forums.ratelimit import check_posting_rate
from library.uploads import detect_document
from lms.tasks_enqueue import enqueue_on_commit


def attachment_check(upload) -> str:
    """The extension of an acceptable attachment, judged by its content as library uploads are."""
    if upload.size > settings.FORUMS_MAX_ATTACHMENT_MB * 1024 * 1024:
        raise ValidationError(
            _("An attachment may be at most %(limit)d MB.")
            % {"limit": settings.FORUMS_MAX_ATTACHMENT_MB},
            code="too_large",
        )
    return detect_document(upload).extension


def _held_for_approval(*, forum: Forum, author, body: str, files) -> bool:
    """A new account's first posts with links or files wait for a moderator (the trust rule)."""
    if not forum.hold_first_posts or access.may_moderate(author, forum):
        return False
    if not (files or markup.has_links(body)):
        return False
    published = Post.objects.filter(author=author, approved=True, deleted_at__isnull=True)
    return published.count() < settings.FORUMS_TRUSTED_AFTER_POSTS


def _write_post(*, topic, author, body, language, quoted, files, is_opening, now) -> Post:
    approved = not _held_for_approval(forum=topic.forum, author=author, body=body, files=files)
    post = Post.objects.create(
        topic=topic,
        author=author,
        body=body,
        body_html=markup.render(body),
        language=language,
        quoted=quoted,
        is_opening=is_opening,
        approved=approved,
        created_at=now,
    )
    for upload in files:
        Attachment.objects.create(
            post=post,
            file=upload,
            name=upload.name[:255],
            extension=attachment_check(upload),
            size=upload.size,
        )
    if approved:
        _count_published(post)
    else:
        from forums.tasks import announce_waiting_post

        enqueue_on_commit(announce_waiting_post, post.pk)
    ReadMarker.objects.update_or_create(user=author, topic=topic, defaults={"read_until": now})
    return post


def _count_published(post: Post) -> None:
    topic = post.topic
    Topic.objects.filter(pk=topic.pk).update(
        post_count=F("post_count") + 1, last_post_at=post.created_at
    )
    Forum.objects.filter(pk=topic.forum_id).update(
        post_count=F("post_count") + 1,
        topic_count=F("topic_count") + (1 if post.is_opening else 0),
        last_post_at=post.created_at,
    )
    from forums.tasks import announce_post

    enqueue_on_commit(announce_post, post.pk)


def topic_create(
    *, forum: Forum, author, title: str, body: str, language: str, files=(), rate_limited=True
) -> Topic:
    if rate_limited:  # the limit is for people; demo data and minutes skip it
        check_posting_rate(author)
    now = timezone.now()
    with transaction.atomic():
        topic = Topic.objects.create(
            forum=forum, title=title, author=author, created_at=now, last_post_at=now
        )
        _write_post(
            topic=topic,
            author=author,
            body=body,
            language=language,
            quoted=None,
            files=list(files),
            is_opening=True,
            now=now,
        )
        from forums.subscriptions import subscription_follow

        subscription_follow(user=author, topic=topic)
    return topic


def post_create(
    *,
    topic: Topic,
    author,
    body: str,
    language: str,
    quoted: Post | None = None,
    files=(),
    rate_limited=True,
) -> Post:
    if not access.may_post(author, topic):
        raise ValidationError(_("This topic is locked: new posts are closed."), code="locked")
    if rate_limited:
        check_posting_rate(author)
    with transaction.atomic():
        post = _write_post(
            topic=topic,
            author=author,
            body=body,
            language=language,
            quoted=quoted if quoted and quoted.topic_id == topic.pk else None,
            files=list(files),
            is_opening=False,
            now=timezone.now(),
        )
    return post


def post_edit(*, post: Post, editor, body: str, language: str | None = None) -> Post:
    if not access.may_edit(editor, post):
        raise ValidationError(
            _("A post can be edited for 30 minutes after it is written."), code="too_late"
        )
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, edited_by=editor)
        post.body = body
        post.body_html = markup.render(body)
        post.language = language or post.language
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "body_html", "language", "edited_at"])
    return post


def post_delete(*, post: Post, user) -> None:
    """Soft delete of one's own post: its place in the thread says it was deleted."""
    if post.author_id != user.pk and not access.may_moderate(user, post.topic.forum):
        raise ValidationError(_("Only the author can delete this post."), code="not_author")
    if post.is_opening:
        raise ValidationError(
            _("The opening post of a topic cannot be deleted; ask a moderator to hide the topic."),
            code="opening",
        )
    with transaction.atomic():
        updated = Post.objects.filter(pk=post.pk, deleted_at__isnull=True).update(
            deleted_at=timezone.now()
        )
        if updated and post.approved:
            Topic.objects.filter(pk=post.topic_id).update(post_count=F("post_count") - 1)
            Forum.objects.filter(pk=post.topic.forum_id).update(post_count=F("post_count") - 1)
        Topic.objects.filter(pk=post.topic_id, accepted_post=post).update(accepted_post=None)


def post_toggle_helpful(*, post: Post, user) -> bool:
    """Mark or unmark a post as helpful; returns whether it is marked now."""
    if post.author_id == user.pk:
        raise ValidationError(_("You cannot mark your own post as helpful."), code="own")
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(post=post, user=user).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, user=user)
        except IntegrityError:  # a double click raced the first
            return True
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
        return True


def topic_accept_answer(*, topic: Topic, post: Post | None, user) -> None:
    if not access.may_accept(user, topic):
        raise ValidationError(_("Only the asker or a moderator marks the answer."), code="denied")
    if post is not None and (post.topic_id != topic.pk or post.is_opening):
        raise ValidationError(_("Choose an answer in this topic."), code="other_topic")
    topic.accepted_post = post
    topic.save(update_fields=["accepted_post"])


def topic_mark_read(*, user, topic: Topic, until) -> None:
    """Remember how far the person has read; never moves backwards (an older page re-opened)."""
    marker, created = ReadMarker.objects.get_or_create(
        user=user, topic=topic, defaults={"read_until": until}
    )
    if not created and marker.read_until < until:
        ReadMarker.objects.filter(pk=marker.pk, read_until__lt=until).update(read_until=until)
