"""Moderators' actions, each logged with its reason: pin, lock, move, hide, approve, reports."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forums import access
from forums.models import Forum, ModerationAction, Post, Report, Topic
from lms.tasks_enqueue import enqueue_on_commit


def _require(user, forum: Forum) -> None:
    if not access.may_moderate(user, forum):
        raise ValidationError(_("Only this forum's moderators may do this."), code="denied")


def _log(*, forum, actor, action, topic=None, post=None, reason="") -> None:
    ModerationAction.objects.create(
        forum=forum, topic=topic, post=post, actor=actor, action=action, reason=reason[:300]
    )


def topic_moderate(*, topic: Topic, user, action: str, reason: str = "") -> None:
    """pin / unpin / lock / unlock / hide / show a topic."""
    _require(user, topic.forum)
    changes = {
        "pin": {"pinned": True},
        "unpin": {"pinned": False},
        "lock": {"locked": True},
        "unlock": {"locked": False},
        "hide": {"hidden": True, "hidden_reason": reason[:300]},
        "show": {"hidden": False, "hidden_reason": ""},
    }[action]
    if action == "hide" and not reason.strip():
        raise ValidationError(_("Say why the topic is hidden."), code="reason")
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(**changes)
        _log(forum=topic.forum, actor=user, action=action, topic=topic, reason=reason)


def topic_move(*, topic: Topic, to_forum: Forum, user, reason: str = "") -> None:
    """Move a topic to another forum the moderator moderates (and the readers may differ)."""
    _require(user, topic.forum)
    _require(user, to_forum)
    if to_forum.pk == topic.forum_id:
        return
    with transaction.atomic():
        old = topic.forum
        Forum.objects.filter(pk=old.pk).update(
            topic_count=F("topic_count") - 1, post_count=F("post_count") - topic.post_count
        )
        Forum.objects.filter(pk=to_forum.pk).update(
            topic_count=F("topic_count") + 1, post_count=F("post_count") + topic.post_count
        )
        Topic.objects.filter(pk=topic.pk).update(forum=to_forum)
        _log(forum=old, actor=user, action="move", topic=topic, reason=reason)
        _log(forum=to_forum, actor=user, action="move", topic=topic, reason=reason)


def post_moderate(*, post: Post, user, action: str, reason: str = "") -> None:
    """hide / show / approve a post."""
    forum = post.topic.forum
    _require(user, forum)
    if action == "hide" and not reason.strip():
        raise ValidationError(_("Say why the post is hidden."), code="reason")
    with transaction.atomic():
        if action == "hide":
            Post.objects.filter(pk=post.pk).update(hidden=True, hidden_reason=reason[:300])
        elif action == "show":
            Post.objects.filter(pk=post.pk).update(hidden=False, hidden_reason="")
        elif action == "approve":
            if not Post.objects.filter(pk=post.pk, approved=False).update(approved=True):
                return
            from forums.services import _count_published

            post.approved = True
            _count_published(post)
        Report.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=user
        )
        _log(forum=forum, actor=user, action=action, topic=post.topic, post=post, reason=reason)


def report_create(*, post: Post, user, reason: str) -> Report:
    if not reason.strip():
        raise ValidationError(_("Say what is wrong with the post."), code="reason")
    report = Report.objects.create(post=post, reporter=user, reason=reason.strip()[:500])
    from forums.tasks import announce_report

    enqueue_on_commit(announce_report, report.pk)
    return report


def report_dismiss(*, report: Report, user) -> None:
    _require(user, report.post.topic.forum)
    Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=user
    )


def moderation_queue(user):
    """Open reports and posts waiting for approval in the forums this user moderates."""
    forums = access.forums_moderated_by(user).values("pk")
    reports = (
        Report.objects.filter(resolved_at__isnull=True, post__topic__forum__in=forums)
        .select_related("post", "post__topic", "post__author", "reporter")
        .order_by("created_at")[:100]
    )
    waiting = (
        Post.objects.filter(approved=False, deleted_at__isnull=True, topic__forum__in=forums)
        .select_related("topic", "author")
        .order_by("created_at")[:100]
    )
    return list(reports), list(waiting)
