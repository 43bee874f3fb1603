"""Undoing one person's snooze or "we're fine" puts the old value back and the due date with it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import signing

from contacts.models import Contact
from contacts.services import (
    UNDO_SALT,
    ContactUndo,
    UndoStale,
    contact_mark_fine_undoable,
    contact_snooze,
    contact_snooze_undoable,
    contact_undo,
)
from interactions.services import interaction_log
from reminders.models import Reminder
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)


def due_person(owner, **fields) -> Contact:
    """Every 7 days, last coffee on 10 November: due since the 17th."""
    contact = ContactFactory(owner=owner, cadence_days=7, **fields)
    interaction_log(
        owner=owner,
        contacts=[contact],
        kind="coffee",
        occurred_at=dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC),
        today=TODAY,
    )
    contact.refresh_from_db()
    assert contact.next_reach_out_on == dt.date(2026, 11, 17)
    return contact


def columns(contact: Contact) -> tuple:
    return Contact.objects.values_list(
        "snoozed_until", "cadence_restarted_on", "next_reach_out_on"
    ).get(pk=contact.pk)


def test_undo_of_a_snooze_makes_them_due_again(alice):
    amara = due_person(alice)
    undo = contact_snooze_undoable(contact=amara, until=TODAY + dt.timedelta(days=7), today=TODAY)
    assert undo == ContactUndo("snooze", amara.pk, None, dt.date(2026, 12, 5))
    assert columns(amara) == (dt.date(2026, 12, 5), None, dt.date(2026, 12, 5))

    contact_undo(contact=amara, undo=undo, today=TODAY)
    assert columns(amara) == (None, None, dt.date(2026, 11, 17))
    assert Contact.objects.due(TODAY).filter(pk=amara.pk).exists()


def test_undo_of_a_second_snooze_restores_the_first(alice):
    amara = due_person(alice)
    contact_snooze(contact=amara, until=dt.date(2026, 12, 1), today=TODAY)
    undo = contact_snooze_undoable(contact=amara, until=dt.date(2026, 12, 20), today=TODAY)
    assert columns(amara) == (dt.date(2026, 12, 20), None, dt.date(2026, 12, 20))
    contact_undo(contact=amara, undo=undo, today=TODAY)
    assert columns(amara) == (dt.date(2026, 12, 1), None, dt.date(2026, 12, 1))


def test_undo_of_we_are_fine_restores_the_previous_restart(alice):
    amara = due_person(alice, cadence_restarted_on=dt.date(2026, 11, 5))
    undo = contact_mark_fine_undoable(contact=amara, today=TODAY)
    assert undo == ContactUndo("fine", amara.pk, dt.date(2026, 11, 5), TODAY)
    assert columns(amara) == (None, TODAY, dt.date(2026, 12, 5))

    contact_undo(contact=amara, undo=undo, today=TODAY)
    # The restart on 5 Nov is older than the coffee on the 10th: due from the coffee again.
    assert columns(amara) == (None, dt.date(2026, 11, 5), dt.date(2026, 11, 17))


def test_undo_twice_or_after_another_change_is_refused_and_changes_nothing(alice):
    amara = due_person(alice)
    undo = contact_mark_fine_undoable(contact=amara, today=TODAY)
    contact_undo(contact=amara, undo=undo, today=TODAY)
    with pytest.raises(UndoStale):
        contact_undo(contact=amara, undo=undo, today=TODAY)
    assert columns(amara) == (None, None, dt.date(2026, 11, 17))

    snooze = contact_snooze_undoable(contact=amara, until=dt.date(2026, 12, 5), today=TODAY)
    contact_snooze(contact=amara, until=dt.date(2026, 12, 24), today=TODAY)  # snoozed again since
    with pytest.raises(UndoStale):
        contact_undo(contact=amara, undo=snooze, today=TODAY)
    assert columns(amara) == (dt.date(2026, 12, 24), None, dt.date(2026, 12, 24))


def test_undo_closes_nothing_and_the_person_is_due_again_for_reminders(alice):
    amara = due_person(alice)
    Reminder.objects.create(
        owner=alice, contact=amara, kind=Reminder.Kind.REACH_OUT, due_on=dt.date(2026, 11, 17)
    )
    undo = contact_snooze_undoable(contact=amara, until=dt.date(2026, 12, 5), today=TODAY)
    # The snooze closed the live reminder (due_changed), as any change that ends "due" does.
    assert not Reminder.objects.filter(contact=amara, state__in=Reminder.LIVE_STATES).exists()
    contact_undo(contact=amara, undo=undo, today=TODAY)
    assert Contact.objects.due(TODAY).filter(pk=amara.pk).exists()


def test_the_token_carries_the_undo_and_nothing_else(alice, bob):
    amara = due_person(alice)
    undo = contact_snooze_undoable(contact=amara, until=dt.date(2026, 12, 5), today=TODAY)
    assert ContactUndo.from_token(undo.token(), contact_id=amara.pk) == undo
    with pytest.raises(UndoStale):  # signed for another contact
        ContactUndo.from_token(undo.token(), contact_id=amara.pk + 1)
    with pytest.raises(UndoStale):  # tampered with
        ContactUndo.from_token(undo.token()[:-2] + "xx", contact_id=amara.pk)
    forged = signing.dumps(["archive", amara.pk, None, "2026-12-05"], salt=UNDO_SALT)
    with pytest.raises(UndoStale):  # not an action that can be undone this way
        ContactUndo.from_token(forged, contact_id=amara.pk)
    token = undo.token()
    with (  # a day later it is too old
        time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=1, minutes=1)),
        pytest.raises(UndoStale),
    ):
        ContactUndo.from_token(token, contact_id=amara.pk)
