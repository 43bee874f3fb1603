"""The read-only phone calendar (dav/calendar.py) and its change log (dav/sync.py,
``calendar_refresh``): the same events as the iCal feed, one VCALENDAR each, under hrefs and with
texts that stay put while nothing changes, so a phone re-downloads only what did."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from icalendar import Calendar

from contacts.models import Contact, ImportantDate
from contacts.services import contact_save
from dav.calendar import calendar_fingerprints, calendar_items
from dav.models import CalendarEntry, SyncCollection
from dav.sync import InvalidToken, calendar_refresh, changes_since
from reminders.calendar import calendar_feed
from reminders.models import Reminder
from reminders.services.actions import reminder_act
from reminders.services.sweep import sweep_run
from tests.reminders.calendar.test_feed_bytes import HOSTILE, feed_world

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
CALENDAR = SyncCollection.Kind.CALENDAR


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC)


def without_dtstamp(event) -> dict[str, bytes]:
    return {name: value.to_ical() for name, value in event.items() if name != "DTSTAMP"}


def refresh(owner) -> int:
    calendar_refresh(owner=owner, now=now())
    return SyncCollection.objects.get(owner=owner, kind=CALENDAR).seq


def test_the_phone_calendar_has_the_feeds_events_one_per_resource(alice, bob, clock, settings):
    settings.SITE_URL = "https://crm.example.org"
    feed_world(alice)
    bobs = contact_save(contact=Contact(owner=bob, name="Bobby Tables"), today=NOW.date())
    ImportantDate.objects.create(owner=bob, contact=bobs, month=5, day=5)

    items = calendar_items(owner=alice, now=now())

    feed_events = Calendar.from_ical(calendar_feed(owner=alice, now=now())).walk("VEVENT")
    by_uid = {}
    for href, text in items.items():
        calendar = Calendar.from_ical(text)
        assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
        (event,) = calendar.walk("VEVENT")  # exactly one event per resource (RFC 4791 §4.1)
        assert href == str(event["UID"]).split("@")[0] + ".ics"
        assert text.endswith("END:VCALENDAR\r\n")
        by_uid[str(event["UID"])] = event
    assert set(by_uid) == {str(event["UID"]) for event in feed_events}
    for event in feed_events:
        assert without_dtstamp(by_uid[str(event["UID"])]) == without_dtstamp(event)
    summaries = {str(event["SUMMARY"]) for event in by_uid.values()}
    assert {
        "Birthday: Amara Diallo",
        "Reach out: Amara Diallo",
        "Follow up: Ben Carter",
    } <= summaries
    assert any(HOSTILE.split("\n")[0] in summary for summary in summaries)
    assert not any("Bobby" in summary for summary in summaries)
    assert not any("Archived One" in summary for summary in summaries)


def test_an_events_href_and_text_stay_the_same_while_it_does(alice, clock):
    feed_world(alice)
    first = calendar_items(owner=alice, now=now())
    clock.shift(dt.timedelta(days=1, hours=3))
    assert calendar_items(owner=alice, now=now()) == first


def test_the_calendar_log_records_new_changed_gone_and_returning_events(alice, clock):
    amara = contact_save(
        contact=Contact(owner=alice, name="Amara Diallo", cadence_days=7),
        today=NOW.date() - dt.timedelta(days=30),
    )
    birthday = ImportantDate.objects.create(owner=alice, contact=amara, month=3, day=14)
    sweep_run(now=NOW)
    reminder = Reminder.objects.get(contact=amara)
    first = refresh(alice)
    entries = {entry.href: entry for entry in CalendarEntry.objects.filter(owner=alice)}
    birthday_href, reminder_href = f"date-{birthday.pk}.ics", f"reminder-{reminder.pk}.ics"
    assert set(entries) == {birthday_href, reminder_href}
    assert first == 1 and {entry.seq for entry in entries.values()} == {1}
    assert changes_since(owner=alice, kind=CALENDAR, seq=0) == (1, sorted(entries))

    clock.shift(dt.timedelta(hours=2))
    assert refresh(alice) == first  # nothing changed, nothing recorded

    clock.shift(dt.timedelta(hours=2))
    amara.name = "Amara Diallo-Sy"
    contact_save(contact=amara, today=NOW.date())
    renamed = refresh(alice)
    assert renamed == first + 1
    assert changes_since(owner=alice, kind=CALENDAR, seq=first) == (
        renamed,
        sorted([birthday_href, reminder_href]),
    )

    reminder.refresh_from_db()
    reminder_act(reminder=reminder, action="done", version=reminder.version, now=now())
    done = refresh(alice)
    assert CalendarEntry.objects.get(href=reminder_href).deleted
    assert changes_since(owner=alice, kind=CALENDAR, seq=renamed) == (done, [reminder_href])
    assert changes_since(owner=alice, kind=CALENDAR, seq=0) == (done, [birthday_href])

    amara.archived = True
    contact_save(contact=amara, today=NOW.date())
    archived = refresh(alice)
    assert CalendarEntry.objects.get(href=birthday_href).deleted
    amara.archived = False
    contact_save(contact=amara, today=NOW.date())
    back = refresh(alice)
    entry = CalendarEntry.objects.get(href=birthday_href)
    assert not entry.deleted and entry.seq == back == archived + 1
    assert CalendarEntry.objects.filter(owner=alice).count() == 2

    with pytest.raises(InvalidToken):
        changes_since(owner=alice, kind=CALENDAR, seq=back + 1)


@pytest.mark.parametrize("size", [10, 100])
def test_a_calendar_refresh_costs_the_same_whatever_the_number_of_events(
    alice, clock, size, django_assert_num_queries
):
    contacts = Contact.objects.bulk_create(
        Contact(owner=alice, name=f"Person {n}", added_on=NOW.date()) for n in range(size)
    )
    ImportantDate.objects.bulk_create(
        ImportantDate(owner=alice, contact=c, month=1 + c.pk % 12, day=1 + c.pk % 28)
        for c in contacts
    )
    refresh(alice)
    ImportantDate.objects.filter(contact=contacts[0]).update(day=29)
    # Read the dates, the reminders and the planned meetings, lock the collection, read the
    # entries, write the changed one, save the collection; the savepoint and its release; the
    # owner cache's version bump before the first write (10, docs/decisions/0013).
    with django_assert_num_queries(10):
        calendar_refresh(owner=alice, now=now())
    with django_assert_num_queries(7):  # nothing changed: no write
        calendar_refresh(owner=alice, now=now())


def test_an_events_fingerprint_changes_exactly_when_its_text_does(alice, clock, settings):
    """The log compares fingerprints made from what an event is built of, not the built text:
    each edit below changes the texts and the fingerprints of the same events."""
    settings.SITE_URL = "https://crm.example.org"
    amara = contact_save(
        contact=Contact(owner=alice, name="Amara Diallo", cadence_days=7),
        today=NOW.date() - dt.timedelta(days=30),
    )
    birthday = ImportantDate.objects.create(owner=alice, contact=amara, month=2, day=28)
    other = ImportantDate.objects.create(owner=alice, contact=amara, month=6, day=1, kind="other")
    sweep_run(now=NOW)
    reminder = Reminder.objects.get(contact=amara)

    def rename():
        amara.name = "Amara Diallo-Sy"
        contact_save(contact=amara, today=NOW.date())

    def edit(row, **fields):
        return lambda: type(row).objects.filter(pk=row.pk).update(**fields)

    def move_site():
        settings.SITE_URL = "https://people.example.org"

    edits = {
        "nothing the calendar shows": edit(amara, cadence_days=30),
        "a new name": rename,
        "the 29th of February": edit(birthday, day=29),
        "a year": edit(birthday, year=1990),
        "a label": edit(other, label="Moved to Lisbon"),
        "a kind": edit(other, kind="anniversary", label=""),
        "a note": edit(reminder, note="Ask about the move"),
        "a snooze": edit(
            reminder, state="snoozed", snoozed_until=NOW.date() + dt.timedelta(days=3)
        ),
        "the site's address": move_site,
        "a pause": edit(amara, paused=True),
    }
    before_texts = calendar_items(owner=alice, now=now())
    before = calendar_fingerprints(owner=alice)
    assert set(before) == set(before_texts) and len(before) == 3
    for what, change in edits.items():
        change()
        texts = calendar_items(owner=alice, now=now())
        fingerprints = calendar_fingerprints(owner=alice)
        assert set(fingerprints) == set(texts), what
        for href in set(before) | set(fingerprints):
            text_changed = before_texts.get(href) != texts.get(href)
            assert text_changed == (before.get(href) != fingerprints.get(href)), (what, href)
        if what == "nothing the calendar shows":
            assert texts == before_texts
        else:
            assert texts != before_texts, what
        before_texts, before = texts, fingerprints


def test_the_calendar_builds_only_the_events_asked_for(alice, clock):
    amara = contact_save(contact=Contact(owner=alice, name="Amara Diallo"), today=NOW.date())
    dates = [
        ImportantDate.objects.create(owner=alice, contact=amara, month=m, day=1, kind="other")
        for m in (1, 2, 3)
    ]
    wanted = [f"date-{dates[1].pk}.ics", "date-0.ics"]
    assert calendar_items(owner=alice, now=now(), hrefs=wanted) == {
        wanted[0]: calendar_items(owner=alice, now=now())[wanted[0]]
    }


def test_a_planned_meeting_is_a_timed_event_that_follows_its_plan(alice, clock, settings):
    """Plans (interactions.PlannedInteraction): a timed VEVENT in UTC under the plan's UID, in
    the feed and on the phone; an edit is a change, a log or dismissal a tombstone."""
    from interactions.plans import plan_create, plan_dismiss, plan_update

    settings.SITE_URL = "https://crm.example.org"
    ana = contact_save(contact=Contact(owner=alice, name="Ana Lima"), today=NOW.date())
    start = dt.datetime(2026, 11, 29, 4, 30, tzinfo=dt.UTC)
    plan = plan_create(
        owner=alice, contacts=[ana], kind="coffee", starts_at=start, place="Blue Tokai", note="Goa"
    )
    href = plan.uid.split("@")[0] + ".ics"

    (event,) = Calendar.from_ical(calendar_feed(owner=alice, now=now())).walk("VEVENT")
    assert str(event["UID"]) == plan.uid and str(event["SUMMARY"]) == "Coffee with Ana Lima"
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + dt.timedelta(hours=1)
    assert str(event["LOCATION"]) == "Blue Tokai" and "Goa" in str(event["DESCRIPTION"])
    assert str(event["URL"]).startswith("https://crm.example.org/contacts/")
    (item,) = calendar_items(owner=alice, now=now()).items()
    assert item[0] == href and "DTSTART:20261129T043000Z" in item[1]

    first = refresh(alice)
    plan_update(plan=plan, contacts=[ana], starts_at=start + dt.timedelta(hours=1))
    moved = refresh(alice)
    assert moved == first + 1
    assert changes_since(owner=alice, kind=CALENDAR, seq=first) == (moved, [href])
    assert "DTSTART:20261129T053000Z" in calendar_items(owner=alice, now=now())[href]

    plan_dismiss(plan=plan)
    gone = refresh(alice)
    assert CalendarEntry.objects.get(href=href).deleted and gone == moved + 1
    assert calendar_items(owner=alice, now=now()) == {}
