"""The feed's exact bytes, pinned: the events are built by ``calendar_events`` (shared with the
phone calendar, dav/calendar.py) and the feed wraps them; this proves the wrapping did not move a
byte (property order, escaping, folding, DTSTAMP, the leap-day rule, far dates left out)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine

from contacts.models import Contact, ImportantDate
from contacts.services import contact_save
from interactions.services import interaction_log
from reminders.calendar import calendar_feed
from reminders.models import Reminder
from reminders.services.sweep import sweep_run

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()
HOSTILE = 'Zoë <script>alert("x")</script>; "Smith", Jr.\nEND:VEVENT\nBEGIN:VEVENT \\ ok'
# Written by the feed as it was before calendar_events was extracted (commit ac9a299).
EXPECTED = Path(__file__).with_name("feed_expected.ics")


def feed_world(owner) -> dict[str, str]:
    """People with every kind of event the feed serves; returns what names them in the feed
    (UIDs and URLs carry primary keys, which differ between databases) and a stable stand-in."""
    long_name = ("Maximilian " * 12 + HOSTILE)[:200]
    amara = contact_save(
        contact=Contact(owner=owner, name="Amara Diallo", cadence_days=7),
        today=TODAY - dt.timedelta(days=30),
    )
    hostile = contact_save(
        contact=Contact(owner=owner, name=long_name, cadence_days=8),
        today=TODAY - dt.timedelta(days=30),
    )
    ben = contact_save(
        contact=Contact(owner=owner, name="Ben Carter", cadence_days=60), today=TODAY
    )
    gone = contact_save(
        contact=Contact(owner=owner, name="Archived One", archived=True), today=TODAY
    )
    dates = {
        "amara": ImportantDate.objects.create(
            owner=owner, contact=amara, month=3, day=14, year=1990
        ),
        "ben": ImportantDate.objects.create(owner=owner, contact=ben, month=2, day=29),
        "far": ImportantDate.objects.create(
            owner=owner, contact=ben, month=7, day=1, year=9999, kind="other", label="Launch"
        ),
        "hostile": ImportantDate.objects.create(
            owner=owner, contact=hostile, month=12, day=24, kind="anniversary", label=HOSTILE[:80]
        ),
        "gone": ImportantDate.objects.create(owner=owner, contact=gone, month=1, day=1),
    }
    interaction_log(
        owner=owner,
        contacts=[ben],
        kind="call",
        occurred_at=NOW - dt.timedelta(days=3),
        today=TODAY - dt.timedelta(days=3),
        follow_up_on=TODAY,
        follow_up_note="Send the article; " + HOSTILE,
    )
    sweep_run(now=NOW)
    Reminder.objects.create(owner=owner, contact=amara, kind="custom", due_on=dt.date.max)
    names = {f"date-{date.pk}@": f"date-<{name}>@" for name, date in dates.items()}
    for reminder in Reminder.objects.filter(owner=owner):
        names[f"reminder-{reminder.pk}@"] = (
            f"reminder-<{reminder.contact.name[:5]} {reminder.kind}>@"
        )
    for name, contact in {"amara": amara, "ben": ben, "hostile": hostile}.items():
        names[f"/contacts/{contact.pk}/"] = f"/contacts/<{name}>/"
    return names


def test_the_feed_keeps_its_exact_bytes(alice, settings):
    settings.SITE_URL = "https://crm.example.org"
    with time_machine.travel(NOW, tick=False):
        names = feed_world(alice)
        body = calendar_feed(owner=alice, now=NOW).decode()
    for found, stand_in in names.items():
        body = body.replace(found, stand_in)
    assert body == EXPECTED.read_bytes().decode()
