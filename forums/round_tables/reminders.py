"""The day-before and hour-before reminders: each claimed by one UPDATE, so sent once."""

from datetime import timedelta

from django.utils import timezone

from forums.models import Registration, RoundTable
from lms.notifications.services import notify

WINDOWS = (("reminded_day_at", timedelta(days=1)), ("reminded_hour_at", timedelta(hours=1)))


def round_tables_remind(now=None) -> int:
    now = now or timezone.now()
    sent = 0
    for field, ahead in WINDOWS:
        due = RoundTable.objects.filter(
            starts_at__gt=now, starts_at__lte=now + ahead, **{f"{field}__isnull": True}
        ).values_list("pk", flat=True)
        for round_table_id in list(due):
            # The guarded update is the claim: a second beat run (or worker) updates 0 rows.
            if not RoundTable.objects.filter(
                pk=round_table_id, **{f"{field}__isnull": True}
            ).update(**{field: now}):
                continue
            round_table = RoundTable.objects.get(pk=round_table_id)
            people = Registration.objects.filter(
                round_table=round_table, status=Registration.Status.REGISTERED
            ).values_list("user_id", flat=True)
            sent += notify(
                recipients=list(people),
                kind="forums.round_table_reminder",
                params={
                    "title": round_table.title,
                    "starts": f"{round_table.starts_at:%Y-%m-%d %H:%M} UTC",
                },
                link=round_table.get_absolute_url(),
                target_id=round_table.pk,
            )
    return sent
