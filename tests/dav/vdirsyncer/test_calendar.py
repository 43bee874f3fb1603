"""The read-only calendar: the phone gets the same events as the iCal feed (birthdays and
yearly dates, planned follow-ups, open reach-out reminders), and follows when they change."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from contacts.models import ImportantDate
from reminders.models import Reminder
from tests.factories import ContactFactory

pytestmark = [pytest.mark.integration, pytest.mark.one_pass]


def summaries(events: dict[str, str]) -> list[str]:
    return sorted(
        str(event["summary"])
        for text in events.values()
        for event in Calendar.from_ical(text).walk("VEVENT")
    )


def test_the_calendar_pulls_the_feeds_events_and_follows_changes(phone, alice):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    ben = ContactFactory(owner=alice, name="Ben Ode")
    ImportantDate.objects.create(owner=alice, contact=ana, kind="birthday", month=5, day=4)
    ImportantDate.objects.create(
        owner=alice, contact=ben, kind="anniversary", label="Wedding", month=9, day=12
    )
    Reminder.objects.create(
        owner=alice, contact=ben, kind="follow_up", due_on=dt.date(2026, 12, 10), note="Book"
    )
    Reminder.objects.create(owner=alice, contact=ana, kind="reach_out", due_on=dt.date(2026, 12, 1))
    Reminder.objects.create(
        owner=alice,
        contact=ana,
        kind="custom",
        due_on=dt.date(2026, 11, 1),
        state=Reminder.State.DONE,
    )

    phone.sync("calendar")

    assert summaries(phone.events()) == [
        "Birthday: Ana Lima",
        "Follow up: Ben Ode",
        "Reach out: Ana Lima",
        "Wedding: Ben Ode",
    ]
    birthday = next(t for t in phone.events().values() if "Birthday: Ana Lima" in t)
    assert "RRULE:FREQ=YEARLY" in birthday

    # Ben's follow-up is done: the event goes from the phone at the next sync.
    Reminder.objects.filter(contact=ben).update(state=Reminder.State.DONE)
    phone.sync("calendar")
    assert summaries(phone.events()) == [
        "Birthday: Ana Lima",
        "Reach out: Ana Lima",
        "Wedding: Ben Ode",
    ]
    events = phone.events()
    phone.sync("calendar")
    assert phone.events() == events
