"""Reminders follow every change of a due date (contacts.signals.due_changed), not only logging,
snoozing and "we're fine": a longer rhythm in bulk, a re-timed circle, a merge that brings a more
recent interaction each close the live reach-out reminder of someone no longer due."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.services import circle_save, contacts_bulk_edit, contacts_bulk_undo
from portability.duplicates import contacts_merge
from reminders.models import Reminder
from tests.conftest import FROZEN_NOW
from tests.factories import CircleFactory, ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

TODAY = FROZEN_NOW.date()  # 28 Nov 2026 (alice's zone is UTC)


def _due_with_open_reminder(owner, **fields):
    """Added 1 Jan 2026, never seen: due long ago on any rhythm under a year; a live reminder."""
    contact = ContactFactory(owner=owner, **fields)
    contacts_bulk_edit(owner=owner, contact_ids=[contact.pk], action="unpause")
    contact.refresh_from_db()
    assert contact.next_reach_out_on <= TODAY
    reminder = Reminder.objects.create(
        owner=owner, contact=contact, kind=Reminder.Kind.REACH_OUT, due_on=contact.next_reach_out_on
    )
    return contact, reminder


def test_a_longer_rhythm_in_bulk_closes_the_reminder(alice, frozen_now):
    ana, reminder = _due_with_open_reminder(alice, cadence_days=30)
    bea, still_due = _due_with_open_reminder(alice, cadence_days=30)

    contacts_bulk_edit(owner=alice, contact_ids=[ana.pk], action="set_cadence", value=400)

    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE
    still_due.refresh_from_db()
    assert still_due.state == Reminder.State.OPEN


def test_no_rhythm_any_more_closes_the_reminder_and_undo_does_not_reopen_it(alice, frozen_now):
    ana, reminder = _due_with_open_reminder(alice, cadence_days=30)

    change = contacts_bulk_edit(owner=alice, contact_ids=[ana.pk], action="set_cadence", value=None)
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE

    contacts_bulk_undo(change=change, now=FROZEN_NOW)
    ana.refresh_from_db()
    assert ana.next_reach_out_on <= TODAY  # due again: the sweep opens a new one
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE


def test_retiming_a_circle_closes_the_reminders_of_those_no_longer_due(alice, frozen_now):
    circle = CircleFactory(owner=alice, cadence_days=30)
    ana, reminder = _due_with_open_reminder(alice, circle=circle)

    circle.cadence_days = 400
    circle_save(circle=circle)

    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE
    assert reminder.closed_at is not None


def test_a_merge_bringing_a_recent_interaction_closes_the_reminder(alice, frozen_now):
    ana, reminder = _due_with_open_reminder(alice, cadence_days=30, name="Ana Silva")
    twin = ContactFactory(owner=alice, name="ana silva")
    InteractionFactory(owner=alice, contacts=[twin], occurred_at=FROZEN_NOW - dt.timedelta(days=3))

    contacts_merge(survivor=ana, other=twin, picks={}, today=TODAY)

    ana.refresh_from_db()
    assert ana.last_interaction_on == TODAY - dt.timedelta(days=3)
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE


def test_today_is_the_owners_local_date_when_the_path_does_not_say(alice, time_machine):
    # 27 Nov 23:30 in UTC is already 28 Nov in Auckland: someone due on the 28th is due there
    # (in UTC's terms they would not be yet), someone due on the 29th is not.
    alice.settings.time_zone = "Pacific/Auckland"
    alice.settings.save()
    time_machine.move_to(dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC), tick=False)
    ana, due_today = _due_with_open_reminder(alice, cadence_days=30)
    bea, due_tomorrow = _due_with_open_reminder(alice, cadence_days=30)
    ana.cadence_restarted_on = dt.date(2026, 10, 29)  # due 28 Nov
    ana.save()
    bea.cadence_restarted_on = dt.date(2026, 10, 30)  # due 29 Nov
    bea.save()

    contacts_bulk_edit(owner=alice, contact_ids=[ana.pk, bea.pk], action="unpause")

    due_today.refresh_from_db()
    assert due_today.state == Reminder.State.OPEN
    due_tomorrow.refresh_from_db()
    assert due_tomorrow.state == Reminder.State.DONE
