"""Scheduling round tables, registering people with a capacity and a waiting list."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forums import markup
from forums.models import Post, Registration, RoundTable, Topic
from lms.notifications.services import notify

Status = Registration.Status


def round_table_schedule(*, round_table: RoundTable, author) -> RoundTable:
    """Save a new round table with its own thread in its forum."""
    with transaction.atomic():
        round_table.created_by = author
        round_table.save()
        now = timezone.now()
        topic = Topic.objects.create(
            forum=round_table.forum,
            title=round_table.title,
            author=author,
            created_at=now,
            last_post_at=now,
            post_count=1,
        )
        body = round_table.agenda or round_table.title
        Post.objects.create(
            topic=topic,
            author=author,
            body=body,
            body_html=markup.render(body),
            is_opening=True,
            created_at=now,
            announced=True,
        )
        round_table.topic = topic
        round_table.save(update_fields=["topic"])
    return round_table


def registration_join(*, round_table: RoundTable, user) -> Registration:
    """A place if one is free, else the waiting list.

    The round table's row is locked first: two people taking the last place at once would both
    count one free seat and both be registered, exceeding the capacity."""
    if round_table.is_past():
        raise ValidationError(_("This round table is over."), code="past")
    with transaction.atomic():
        locked = RoundTable.objects.select_for_update().get(pk=round_table.pk)
        existing = Registration.objects.filter(round_table=locked, user=user).first()
        if existing and existing.status != Status.CANCELLED:
            return existing
        taken = Registration.objects.filter(round_table=locked, status=Status.REGISTERED).count()
        status = Status.REGISTERED if taken < locked.capacity else Status.WAITING
        if existing:
            existing.status, existing.created_at = status, timezone.now()
            existing.save(update_fields=["status", "created_at"])
            return existing
        return Registration.objects.create(round_table=locked, user=user, status=status)


def registration_cancel(*, round_table: RoundTable, user) -> None:
    """Give the place up; the first on the waiting list takes it and is told so."""
    with transaction.atomic():
        locked = RoundTable.objects.select_for_update().get(pk=round_table.pk)
        mine = Registration.objects.filter(round_table=locked, user=user).first()
        if mine is None or mine.status == Status.CANCELLED:
            return
        freed = mine.status == Status.REGISTERED
        mine.status = Status.CANCELLED
        mine.save(update_fields=["status"])
        if not freed or locked.is_past():
            return
        first = (
            Registration.objects.filter(round_table=locked, status=Status.WAITING)
            .order_by("created_at", "pk")
            .first()
        )
        if first is not None:
            first.status = Status.REGISTERED
            first.save(update_fields=["status"])
            notify(
                recipients=[first.user_id],
                kind="forums.round_table_seat",
                params={"title": locked.title},
                link=locked.get_absolute_url(),
                target_id=locked.pk,
            )


def attendance_record(*, round_table: RoundTable, attended_user_ids: set[int]) -> None:
    registrations = Registration.objects.filter(round_table=round_table).exclude(
        status=Status.CANCELLED
    )
    with transaction.atomic():
        registrations.filter(user_id__in=attended_user_ids).update(attended=True)
        registrations.exclude(user_id__in=attended_user_ids).update(attended=False)


def outcomes_publish(*, round_table: RoundTable, author, text: str) -> Post:
    """The minutes and outcomes: kept on the round table and posted in its thread."""
    from forums.services import post_create

    with transaction.atomic():
        round_table.outcomes = text
        round_table.save(update_fields=["outcomes"])
        return post_create(
            topic=round_table.topic, author=author, body=text, language="kk", rate_limited=False
        )
