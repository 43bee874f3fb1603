"""The read-only phone calendar (CalDAV, RFC 4791): the events of the iCal feed
(``reminders.calendar.calendar_events``: birthdays and yearly dates, planned follow-ups, open
reach-out reminders), one VCALENDAR resource per event as CalDAV requires (RFC 4791 §4.1).

An event keeps its href as long as its source row lives (the href is made from the event's UID,
``date-<pk>`` / ``reminder-<pk>``), and its text changes only when what it says does: the change
log (dav/sync.py, ``calendar_refresh``) diffs these texts, so a DTSTAMP of "now" (the feed's)
would make every event look changed on every sync. DTSTAMP is therefore a fixed moment here;
without a METHOD it only says when the event was last revised (RFC 5545 §3.8.7.2), which clients
do not act on for a calendar they cannot write to."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from icalendar import Calendar

from reminders.calendar import PRODID, calendar_events

if TYPE_CHECKING:
    from accounts.models import User

STABLE_DTSTAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def calendar_event_href(uid: str) -> str:
    """``date-12@crm.example.org`` -> ``date-12.ics`` (the host is the same for every event)."""
    return uid.split("@", 1)[0] + ".ics"


def calendar_items(*, owner: User, now: dt.datetime) -> dict[str, str]:
    """href -> the text of a VCALENDAR holding that one event, for ``owner``."""
    items: dict[str, str] = {}
    for event in calendar_events(owner=owner, now=now):
        event.pop("dtstamp")
        event.add("dtstamp", STABLE_DTSTAMP)
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add_component(event)
        items[calendar_event_href(str(event["uid"]))] = cal.to_ical().decode()
    return items
