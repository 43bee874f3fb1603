"""The read-only calendar's events, one VCALENDAR per event.

placeholder: the calendar helper (E) writes the real module from the iCal feed's events."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from icalendar import Calendar

from reminders.calendar import calendar_feed

if TYPE_CHECKING:
    from accounts.models import User


def calendar_items(*, owner: User, now: dt.datetime) -> dict[str, str]:  # placeholder
    feed = Calendar.from_ical(calendar_feed(owner=owner, now=now))
    items = {}
    for event in feed.walk("VEVENT"):
        one = Calendar()
        one.add("prodid", "-//network-crm//dav//EN")
        one.add("version", "2.0")
        one.add_component(event)
        uid = str(event["uid"]).split("@", 1)[0]
        items[f"{uid}.ics"] = one.to_ical().decode()
    return items
