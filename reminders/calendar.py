"""The private calendar feed: birthdays and yearly dates as recurring events, open reminders as
all-day events. Built with the icalendar library so escaping and line folding are right.

``calendar_events`` is the content; the feed wraps it in one VCALENDAR, and the phone calendar
(dav/calendar.py) serves each event on its own, so both always show the same things."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from icalendar import Calendar, Event, vRecur

from contacts.models import ImportantDate
from reminders.models import Reminder

if TYPE_CHECKING:
    from accounts.models import User

# A feed is read by calendar apps every few hours; keep it bounded.
MAX_REMINDERS = 500
PRODID = "-//network-crm//reminders//EN"


def calendar_feed(*, owner: User, now: dt.datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "network-crm")
    for event in calendar_events(owner=owner, now=now):
        cal.add_component(event)
    return cal.to_ical()


def calendar_events(*, owner: User, now: dt.datetime) -> list[Event]:
    """``owner``'s events, each with a UID that stays the same while its source row lives
    (``date-<pk>@host``, ``reminder-<pk>@host``) and ``now`` as DTSTAMP."""
    events: list[Event] = []
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "network-crm"

    dates = ImportantDate.objects.filter(owner=owner, contact__archived=False).select_related(
        "contact"
    )
    for date in dates:
        event = Event()
        event.add("uid", f"date-{date.pk}@{host}")
        event.add("summary", f"{date.title}: {date.contact.name}")
        # A year the calendar can't go on from (only a row stored by hand could have one) is
        # left out, like an unknown one.
        start_year = date.year if date.year and date.year < dt.MAXYEAR else 2000
        start = date.occurrence_in(start_year)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(days=1))
        rule = {"freq": "yearly"}
        if date.month == 2 and date.day == 29:
            # Celebrated on 28 February in common years: the last day of February.
            rule = {"freq": "yearly", "bymonth": 2, "bymonthday": -1}
        event.add("rrule", vRecur(rule))
        event.add("dtstamp", now)
        event.add("transp", "TRANSPARENT")
        events.append(event)

    reminders = (
        Reminder.objects.filter(
            owner=owner,
            state__in=Reminder.LIVE_STATES,
            contact__archived=False,
            contact__paused=False,
        )
        .select_related("contact")
        .order_by("due_on")[:MAX_REMINDERS]
    )
    for reminder in reminders:
        day = reminder.snoozed_until or reminder.due_on
        if day >= dt.date.max:
            # An all-day event ends the next day, and there is none after 31 December 9999.
            continue
        event = Event()
        event.add("uid", f"reminder-{reminder.pk}@{host}")
        event.add("summary", f"{reminder.get_kind_display()}: {reminder.contact.name}")
        if reminder.note:
            event.add("description", reminder.note)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("dtstamp", now)
        event.add("url", settings.SITE_URL + reminder.contact.get_absolute_url())
        events.append(event)
    return events
