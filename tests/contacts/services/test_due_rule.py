"""The one rule for "due", computed set-based in SQL (on SQLite and PostgreSQL alike)."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import Contact
from contacts.services import (
    circle_save,
    contact_recompute_due,
    contact_save,
    contact_snooze,
    contacts_recompute_due,
)
from interactions.services import contacts_recompute_from_log, interaction_log
from tests.factories import CircleFactory, ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

ADDED = dt.date(2026, 1, 1)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def test_no_cadence_means_never_due(alice):
    contact = ContactFactory(owner=alice)
    contact_recompute_due(contact=contact)
    assert contact.next_reach_out_on is None


def test_new_contact_is_due_one_cadence_after_being_added(alice):
    contact = contact_save(contact=Contact(owner=alice, name="Ana", cadence_days=7), today=ADDED)
    assert contact.added_on == ADDED
    assert contact.next_reach_out_on == dt.date(2026, 1, 8)


def test_circle_cadence_applies_unless_overridden(alice):
    circle = CircleFactory(owner=alice, cadence_days=14)
    from_circle = ContactFactory(owner=alice, circle=circle)
    overridden = ContactFactory(owner=alice, circle=circle, cadence_days=3)
    contacts_recompute_due(owner=alice)
    from_circle.refresh_from_db()
    overridden.refresh_from_db()
    assert from_circle.next_reach_out_on == ADDED + dt.timedelta(days=14)
    assert overridden.next_reach_out_on == ADDED + dt.timedelta(days=3)


def test_backdated_interaction_moves_the_clock_to_its_date(alice):
    # Added today, but "we had coffee 10 days ago": on a 7-day rhythm they are 3 days overdue.
    today = dt.date(2026, 3, 20)
    contact = contact_save(contact=Contact(owner=alice, name="Ana", cadence_days=7), today=today)
    interaction_log(
        owner=alice,
        contacts=[contact],
        kind="coffee",
        occurred_at=_at(today - dt.timedelta(days=10)),
        today=today,
    )
    contact.refresh_from_db()
    assert contact.last_interaction_on == dt.date(2026, 3, 10)
    assert contact.next_reach_out_on == dt.date(2026, 3, 17)


def test_latest_interaction_wins_and_older_ones_do_not_move_it_back(alice):
    contact = ContactFactory(owner=alice, cadence_days=30)
    InteractionFactory(owner=alice, contacts=[contact], occurred_at=_at(dt.date(2026, 5, 1)))
    InteractionFactory(owner=alice, contacts=[contact], occurred_at=_at(dt.date(2026, 2, 1)))
    contacts_recompute_from_log(owner=alice, contact_ids=[contact.pk])
    contact.refresh_from_db()
    assert contact.last_interaction_on == dt.date(2026, 5, 1)
    assert contact.next_reach_out_on == dt.date(2026, 5, 31)


def test_restart_counts_when_later_than_last_interaction(alice):
    contact = ContactFactory(owner=alice, cadence_days=10, cadence_restarted_on=dt.date(2026, 6, 1))
    InteractionFactory(owner=alice, contacts=[contact], occurred_at=_at(dt.date(2026, 5, 1)))
    contacts_recompute_from_log(owner=alice, contact_ids=[contact.pk])
    contact.refresh_from_db()
    assert contact.next_reach_out_on == dt.date(2026, 6, 11)


def test_snooze_only_pushes_later(alice):
    today = dt.date(2026, 6, 1)
    contact = ContactFactory(owner=alice, cadence_days=10)  # due 11 Jan
    contact_snooze(contact=contact, until=dt.date(2026, 6, 8), today=today)
    assert contact.next_reach_out_on == dt.date(2026, 6, 8)
    contact.snoozed_until = dt.date(2025, 1, 1)  # an old snooze never pulls the date earlier
    contact.save()
    contact_recompute_due(contact=contact)
    assert contact.next_reach_out_on == dt.date(2026, 1, 11)


def test_snooze_without_cadence_invents_no_date(alice):
    contact = ContactFactory(owner=alice)
    contact_snooze(contact=contact, until=dt.date(2026, 6, 8), today=dt.date(2026, 6, 1))
    assert contact.next_reach_out_on is None


def test_interaction_dates_follow_the_owners_time_zone(alice):
    alice.settings.time_zone = "Pacific/Auckland"
    alice.settings.save()
    contact = ContactFactory(owner=alice, cadence_days=7)
    # 20:00 UTC on 1 March is already 2 March in Auckland.
    interaction_log(
        owner=alice,
        contacts=[contact],
        kind="call",
        occurred_at=dt.datetime(2026, 3, 1, 20, tzinfo=dt.UTC),
        today=dt.date(2026, 3, 2),
    )
    contact.refresh_from_db()
    assert contact.last_interaction_on == dt.date(2026, 3, 2)


def test_set_based_recompute_touches_only_the_owners_contacts(alice, bob):
    mine = ContactFactory(owner=alice, cadence_days=5)
    theirs = ContactFactory(owner=bob, cadence_days=5)
    Contact.objects.filter(pk__in=[mine.pk, theirs.pk]).update(next_reach_out_on=None)
    assert contacts_recompute_due(owner=alice) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.next_reach_out_on == dt.date(2026, 1, 6)
    assert theirs.next_reach_out_on is None


def test_set_based_recompute_runs_a_constant_number_of_queries(alice, django_assert_num_queries):
    circle = CircleFactory(owner=alice, cadence_days=14)
    for _ in range(3):
        ContactFactory(owner=alice, circle=circle)
    # 3 statements, each followed by the owner cache's version bump (outside a transaction:
    # network_crm/owner_cache.py, docs/decisions/0013).
    with django_assert_num_queries(6):
        contacts_recompute_due(owner=alice)
    for _ in range(30):
        ContactFactory(owner=alice, circle=circle)
    # 3 statements, each followed by the owner cache's version bump (outside a transaction:
    # network_crm/owner_cache.py, docs/decisions/0013).
    with django_assert_num_queries(6):
        contacts_recompute_due(owner=alice)
    assert set(Contact.objects.filter(owner=alice).values_list("next_reach_out_on", flat=True)) == {
        dt.date(2026, 1, 15)
    }


def test_retiming_a_circle_moves_everyone_in_it(alice):
    circle = CircleFactory(owner=alice, cadence_days=30)
    members = [ContactFactory(owner=alice, circle=circle) for _ in range(3)]
    outsider = ContactFactory(owner=alice, cadence_days=30)
    contacts_recompute_due(owner=alice)
    circle.cadence_days = 60
    circle_save(circle=circle)
    for member in members:
        member.refresh_from_db()
        assert member.next_reach_out_on == dt.date(2026, 3, 2)
    outsider.refresh_from_db()
    assert outsider.next_reach_out_on == dt.date(2026, 1, 31)
