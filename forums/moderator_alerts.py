"""Telling a forum's moderators that something waits for them: a post held for approval (the
trust rule) and a new report. Sent by Celery after commit; the notification's `visible` check
shows it only to someone who still moderates the post's forum."""

from django.db.models import Q
from django.urls import reverse

from diagnostics.models import GroupMembership
from forums import access
from forums.models import Forum, Post, Report
from lms.models import User
from lms.notifications.services import notify
from lms.roles import Role


def moderators_of(forum: Forum):
    """Methodists and administrators; the group's mentors in a study-group forum."""
    staff = Q(role__in=[Role.METHODIST, Role.ADMINISTRATOR]) | Q(is_superuser=True)
    if forum.kind == Forum.Kind.GROUP:
        mentors = GroupMembership.objects.filter(group_id=forum.study_group_id, is_mentor=True)
        staff |= Q(pk__in=mentors.values("teacher_id"))
    return User.objects.filter(staff, is_active=True)


def waiting_post_announce(*, post: Post) -> int:
    forum = post.topic.forum
    return notify(
        recipients=moderators_of(forum).values_list("pk", flat=True),
        kind="forums.awaiting_approval",
        params={"author": post.author.full_name, "topic": post.topic.title},
        link=reverse("forums:queue"),
        target_id=post.pk,
        actor=post.author,
    )


def report_announce(*, report: Report) -> int:
    post = report.post
    return notify(
        recipients=moderators_of(post.topic.forum).values_list("pk", flat=True),
        kind="forums.new_report",
        params={"reporter": report.reporter.full_name, "topic": post.topic.title},
        link=reverse("forums:queue"),
        target_id=post.pk,
        actor=report.reporter,
    )


def moderated_post_notifications(user, rows: list) -> list:
    """The `visible` check: rows about posts in forums the user moderates now."""
    ids = [row.target_id for row in rows]
    moderated = set(
        Post.objects.filter(
            pk__in=ids, topic__forum__in=access.forums_moderated_by(user)
        ).values_list("pk", flat=True)
    )
    return [row for row in rows if row.target_id in moderated]
