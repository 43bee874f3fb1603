"""The calendar feed answers whatever dates are stored (a backup restored from elsewhere, rows
from before dates were bounded): a day it can't represent is left out, the rest is served."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from contacts.models import ImportantDate
from reminders.models import Reminder
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_a_reminder_on_the_last_representable_day_does_not_break_the_feed(client, alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    kwame = ContactFactory(owner=alice, name="Kwame Mensah")
    Reminder.objects.create(
        owner=alice, contact=amara, kind=Reminder.Kind.FOLLOW_UP, due_on=dt.date.max
    )
    Reminder.objects.create(
        owner=alice,
        contact=amara,
        kind=Reminder.Kind.REACH_OUT,
        due_on=dt.date(2026, 11, 1),
        state=Reminder.State.SNOOZED,
        snoozed_until=dt.date.max,
    )
    Reminder.objects.create(
        owner=alice, contact=kwame, kind=Reminder.Kind.FOLLOW_UP, due_on=dt.date(2026, 12, 3)
    )
    # A year no model form lets through, as a hand-edited row could have.
    ImportantDate.objects.create(owner=alice, contact=kwame, month=3, day=14, year=9999)

    response = client.get(reverse("reminders:calendar", args=[alice.settings.calendar_token]))
    assert response.status_code == 200
    events = {
        str(event["summary"]): event["dtstart"].dt
        for event in Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert events == {
        "Follow up: Kwame Mensah": dt.date(2026, 12, 3),
        "Birthday: Kwame Mensah": dt.date(2000, 3, 14),
    }
