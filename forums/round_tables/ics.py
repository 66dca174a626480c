"""A round table as a calendar file (RFC 5545) a phone's calendar opens."""

import icalendar
from django.conf import settings


def round_table_ics(round_table, *, url: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Ustaz//round tables//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"round-table-{round_table.pk}@{settings.USTAZ_BASE_URL.split('//')[-1]}")
    event.add("summary", round_table.title)
    event.add("dtstart", round_table.starts_at)
    event.add("dtend", round_table.ends_at)
    event.add("dtstamp", round_table.starts_at)
    event.add("description", f"{round_table.agenda}\n\n{url}".strip())
    event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()
