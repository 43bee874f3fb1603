"""The read-only phone calendar (CalDAV, RFC 4791): the events of the iCal feed
(reminders/calendar.py: birthdays and yearly dates, planned follow-ups, open reach-out
reminders), one VCALENDAR resource per event as CalDAV requires (RFC 4791 §4.1).

An event keeps its href as long as its source row lives (the href is made from the event's UID,
``date-<pk>`` / ``reminder-<pk>``), and its text changes only when what it says does. DTSTAMP is
therefore a fixed moment here, not the feed's "now" (which would make every event look changed on
every sync); without a METHOD it only says when the event was last revised (RFC 5545 §3.8.7.2),
which clients do not act on for a calendar they cannot write to.

The change log (dav/sync.py, ``calendar_refresh``) compares ``calendar_fingerprints``, made from
what each event is built of (``calendar_source_key``) rather than from the built event: an
account with 10,000 birthdays is checked in a few milliseconds a sync instead of ten seconds of
icalendar, and ``calendar_items`` builds only the events a response carries."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from icalendar import Calendar

from reminders.calendar import (
    PRODID,
    calendar_event,
    calendar_source_key,
    calendar_source_uid,
    calendar_sources,
)

if TYPE_CHECKING:
    from accounts.models import User

STABLE_DTSTAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# Part of every fingerprint: bump it when this module changes what it writes around an event,
# so every phone fetches the events again.
FORMAT = "1"


def calendar_event_href(uid: str) -> str:
    """``date-12@crm.example.org`` -> ``date-12.ics`` (the host is the same for every event)."""
    return uid.split("@", 1)[0] + ".ics"


def calendar_fingerprints(*, owner: User) -> dict[str, str]:
    """href -> a fingerprint that changes exactly when the event's text does."""
    return {
        calendar_event_href(calendar_source_uid(source)): hashlib.sha256(
            repr((FORMAT, calendar_source_key(source))).encode()
        ).hexdigest()
        for source in calendar_sources(owner=owner)
    }


def calendar_items(
    *, owner: User, now: dt.datetime, hrefs: Iterable[str] | None = None
) -> dict[str, str]:
    """href -> the text of a VCALENDAR holding that one event, for ``owner``; only ``hrefs``
    when given (those that no longer exist are left out)."""
    wanted = None if hrefs is None else set(hrefs)
    items: dict[str, str] = {}
    for source in calendar_sources(owner=owner):
        href = calendar_event_href(calendar_source_uid(source))
        if wanted is not None and href not in wanted:
            continue
        event = calendar_event(source, now=STABLE_DTSTAMP)
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add_component(event)
        items[href] = cal.to_ical().decode()
    return items
