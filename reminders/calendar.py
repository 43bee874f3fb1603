"""The private calendar feed: birthdays and yearly dates as recurring events, open reminders as
all-day events, planned meetings as timed events (UTC, UID = the plan's uid). Built with the icalendar library so escaping and line folding are right.

The content is shared with the phone calendar (dav/calendar.py), so both always show the same
things: ``calendar_sources`` picks the rows, ``calendar_event`` makes one row's event, and
``calendar_source_key`` lists every value that event is made of, so the phone calendar can tell
which events changed without building 10,000 of them (icalendar takes about a millisecond an
event). ``calendar_events`` is the feed's whole list."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch
from icalendar import Calendar, Event, vRecur

from contacts.models import Contact, ImportantDate
from interactions.models import PlannedInteraction
from interactions.plans_selectors import plan_title
from reminders.models import Reminder

if TYPE_CHECKING:
    from accounts.models import User

# A feed is read by calendar apps every few hours; keep it bounded.
MAX_REMINDERS = 500
MAX_PLANS = 200
# A plan without a length shows as an hour.
PLAN_MINUTES = 60
PRODID = "-//network-crm//reminders//EN"

type CalendarSource = ImportantDate | Reminder | PlannedInteraction


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
    """``owner``'s events in the feed's order, with ``now`` as DTSTAMP."""
    return [calendar_event(source, now=now) for source in calendar_sources(owner=owner)]


def calendar_sources(*, owner: User) -> list[CalendarSource]:
    """The rows the events are made of: yearly dates of people not archived, then live
    reminders of active people by due date (at most MAX_REMINDERS)."""
    # Only the columns an event reads: an account can have 10,000 birthdays, and the phone
    # calendar reads these rows on every sync.
    dates = (
        ImportantDate.objects.filter(owner=owner, contact__archived=False)
        .select_related("contact")
        .only("kind", "label", "month", "day", "year", "contact__name")
    )
    reminders = (
        Reminder.objects.filter(
            owner=owner,
            state__in=Reminder.LIVE_STATES,
            contact__archived=False,
            contact__paused=False,
        )
        .select_related("contact")
        .only("kind", "note", "due_on", "snoozed_until", "contact__name")
        .order_by("due_on")[:MAX_REMINDERS]
    )
    # Planned meetings (only those still planned: logged or dismissed ones drop out), latest
    # first so a long-forgotten plan is the one left out, each with its people by name.
    plans = PlannedInteraction.objects.filter(
        owner=owner, state=PlannedInteraction.State.PLANNED
    ).order_by("-starts_at", "-pk")[:MAX_PLANS]
    plans = plans.prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("sort_name", "pk"), to_attr="people")
    )
    # An all-day event ends the next day, and there is none after 31 December 9999.
    return [
        *dates,
        *(r for r in reminders if _reminder_day(r) < dt.date.max),
        *reversed(list(plans)),
    ]


def _host() -> str:  # cheap, and SITE_URL may change under a test
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "network-crm"


def calendar_source_uid(source: CalendarSource) -> str:
    """Stable while the row lives: ``date-<pk>@host`` or ``reminder-<pk>@host``."""
    if isinstance(source, PlannedInteraction):
        return source.uid
    prefix = "date" if isinstance(source, ImportantDate) else "reminder"
    return f"{prefix}-{source.pk}@{_host()}"


def calendar_source_key(source: CalendarSource) -> tuple:
    """Every value ``calendar_event`` reads (but DTSTAMP): equal keys, equal events. Keep the
    two in step when either changes."""
    if isinstance(source, ImportantDate):
        start = _date_start(source)
        return (
            "date",
            calendar_source_uid(source),
            source.title,
            source.contact.name,
            source.month,
            source.day,
            start,
        )
    if isinstance(source, PlannedInteraction):
        return (
            "plan",
            source.uid,
            plan_title(source, source.people),
            source.starts_at,
            _plan_minutes(source),
            source.place,
            source.note,
            _plan_url(source),
        )
    return (
        "reminder",
        calendar_source_uid(source),
        source.get_kind_display(),
        source.contact.name,
        source.note,
        _reminder_day(source),
        _contact_url(source),
    )


def calendar_event(source: CalendarSource, *, now: dt.datetime) -> Event:
    event = Event()
    event.add("uid", calendar_source_uid(source))
    if isinstance(source, ImportantDate):
        date = source
        event.add("summary", f"{date.title}: {date.contact.name}")
        start = _date_start(date)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(days=1))
        rule = {"freq": "yearly"}
        if date.month == 2 and date.day == 29:
            # Celebrated on 28 February in common years: the last day of February.
            rule = {"freq": "yearly", "bymonth": 2, "bymonthday": -1}
        event.add("rrule", vRecur(rule))
        event.add("dtstamp", now)
        event.add("transp", "TRANSPARENT")
        return event
    if isinstance(source, PlannedInteraction):
        plan = source
        event.add("summary", plan_title(plan, plan.people))
        event.add("dtstart", plan.starts_at.astimezone(dt.UTC))
        event.add(
            "dtend", plan.starts_at.astimezone(dt.UTC) + dt.timedelta(minutes=_plan_minutes(plan))
        )
        event.add("dtstamp", now)
        if plan.place:
            event.add("location", plan.place)
        if plan.note:
            event.add("description", f"To talk about: {plan.note}")
        event.add("url", _plan_url(plan))
        return event
    reminder = source
    day = _reminder_day(reminder)
    event.add("summary", f"{reminder.get_kind_display()}: {reminder.contact.name}")
    if reminder.note:
        event.add("description", reminder.note)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("dtstamp", now)
    event.add("url", _contact_url(reminder))
    return event


def _date_start(date: ImportantDate) -> dt.date:
    # A year the calendar can't go on from (only a row stored by hand could have one) is left
    # out, like an unknown one.
    start_year = date.year if date.year and date.year < dt.MAXYEAR else 2000
    return date.occurrence_in(start_year)


def _reminder_day(reminder: Reminder) -> dt.date:
    return reminder.snoozed_until or reminder.due_on


def _contact_url(reminder: Reminder) -> str:
    return settings.SITE_URL + reminder.contact.get_absolute_url()


def _plan_minutes(plan: PlannedInteraction) -> int:
    return plan.duration_minutes or PLAN_MINUTES


def _plan_url(plan: PlannedInteraction) -> str:
    """The first person's page (their brief is one tap from it)."""
    return (
        settings.SITE_URL + plan.people[0].get_absolute_url() if plan.people else settings.SITE_URL
    )
