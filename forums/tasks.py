from celery import shared_task

from forums.models import Post


@shared_task
def announce_post(post_id: int) -> None:
    """Tell the mentioned, the replied-to and the followers of a newly published post."""
    from forums.subscriptions import post_announce

    post = (
        Post.objects.select_related("topic", "topic__forum", "author", "quoted")
        .filter(pk=post_id, approved=True, deleted_at__isnull=True)
        .first()
    )
    if post is not None and Post.objects.filter(pk=post_id, announced=False).update(announced=True):
        post_announce(post=post)


@shared_task
def announce_waiting_post(post_id: int) -> None:
    """Tell the forum's moderators that a post waits for their approval."""
    from forums.moderator_alerts import waiting_post_announce

    post = (
        Post.objects.select_related("topic", "topic__forum", "author")
        .filter(pk=post_id, approved=False, deleted_at__isnull=True)
        .first()
    )
    if post is not None:
        waiting_post_announce(post=post)


@shared_task
def announce_report(report_id: int) -> None:
    """Tell the moderators of the reported post's forum that a report waits in their queue."""
    from forums.models import Report
    from forums.moderator_alerts import report_announce

    report = (
        Report.objects.select_related("post__topic__forum", "reporter")
        .filter(pk=report_id, resolved_at__isnull=True)
        .first()
    )
    if report is not None:
        report_announce(report=report)


@shared_task
def send_round_table_reminders() -> int:
    """Beat runs this every few minutes: the day-before and hour-before reminders, once each."""
    from forums.round_tables.reminders import round_tables_remind

    return round_tables_remind()
