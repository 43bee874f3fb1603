"""An incremental refresh and ``changes_since`` cost the same number of queries at 10 and at 200
people, and render only the card that changed: a phone with 10,000 contacts pays for what
changed, not for the address book (the issue's "incremental sync is flat")."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from contacts.models import Contact, ContactMethod, ImportantDate
from contacts.services import contact_save
from dav import sync
from dav.cards import contacts_for_cards
from dav.models import Card, SyncCollection

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
CARDS = SyncCollection.Kind.CARDS
# What a card reads besides the contact row (its methods, dates...): one query each.
PREFETCHES = len(contacts_for_cards(Contact.objects.none())._prefetch_related_lookups)
# Lock the collection, tombstone leavers and the gone in one UPDATE, read the touched contacts
# (with their circle and card), write the changed card, save the collection; plus the savepoint
# around it and its release (the test runs in a transaction); the owner cache's version bump
# before the first write (docs/decisions/0013); plus the prefetches.
INCREMENTAL_QUERIES = 8 + PREFETCHES
# Nobody changed: no prefetch (no contact read), no card write (the collection's save still bumps).
IDLE_QUERIES = 7


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """The contacts whose card the refresh renders (to fingerprint it)."""
    rendered: list[int] = []
    real = sync.card_fingerprint

    def counting(contact, *, extra):
        rendered.append(contact.pk)
        return real(contact, extra=extra)

    monkeypatch.setattr(sync, "card_fingerprint", counting)
    return rendered


def address_book(owner, size: int) -> list[Contact]:
    contacts = Contact.objects.bulk_create(
        Contact(owner=owner, name=f"Person {number:04}", added_on=START.date())
        for number in range(size)
    )
    ContactMethod.objects.bulk_create(
        ContactMethod(owner=owner, contact=c, kind="email", value=f"p{c.pk}@example.com")
        for c in contacts
    )
    ImportantDate.objects.bulk_create(
        ImportantDate(owner=owner, contact=c, month=1 + c.pk % 12, day=1) for c in contacts
    )
    return contacts


@pytest.mark.parametrize("size", [10, 200])
def test_an_incremental_refresh_costs_the_same_whatever_the_size(
    alice, size, renders, django_assert_num_queries
):
    with time_machine.travel(START, tick=False) as clock:
        contacts = address_book(alice, size)
        clock.shift(dt.timedelta(minutes=10))  # beyond the slack: the next refresh skips them
        sync.addressbook_refresh(owner=alice, now=dt.datetime.now(tz=dt.UTC))
        assert Card.objects.filter(owner=alice).count() == size
        first = SyncCollection.objects.get(owner=alice, kind=CARDS).seq

        clock.shift(dt.timedelta(minutes=10))
        edited = contacts[size // 2]
        edited.company = "Acme"
        contact_save(contact=edited, today=START.date())
        renders.clear()
        with django_assert_num_queries(INCREMENTAL_QUERIES):
            sync.addressbook_refresh(owner=alice, now=dt.datetime.now(tz=dt.UTC))
        assert renders == [edited.pk]

        with django_assert_num_queries(2):
            seq, hrefs = sync.changes_since(owner=alice, kind=CARDS, seq=first)
        assert (seq, hrefs) == (first + 1, [Card.objects.get(contact=edited).href])

        # The next refresh still sees the edit within its slack (it might have committed late)
        # but renders nothing: the card was fingerprinted at that very updated_at.
        clock.shift(dt.timedelta(minutes=4))
        renders.clear()
        sync.addressbook_refresh(owner=alice, now=dt.datetime.now(tz=dt.UTC))
        assert renders == []
        clock.shift(dt.timedelta(minutes=10))
        renders.clear()
        with django_assert_num_queries(IDLE_QUERIES):
            sync.addressbook_refresh(owner=alice, now=dt.datetime.now(tz=dt.UTC))
        assert renders == []
        with django_assert_num_queries(2):
            assert sync.changes_since(owner=alice, kind=CARDS, seq=seq) == (seq, [])


@pytest.mark.parametrize("size", [10, 200])
def test_archiving_and_deleting_cost_the_same_whatever_the_size(
    alice, size, renders, django_assert_num_queries
):
    with time_machine.travel(START, tick=False) as clock:
        contacts = address_book(alice, size)
        clock.shift(dt.timedelta(minutes=10))  # beyond the slack: the next refresh skips them
        sync.addressbook_refresh(owner=alice, now=dt.datetime.now(tz=dt.UTC))
        first = SyncCollection.objects.get(owner=alice, kind=CARDS).seq

        clock.shift(dt.timedelta(minutes=10))
        archived, deleted = contacts[0], contacts[1]
        archived.archived = True
        contact_save(contact=archived, today=START.date())
        deleted.delete()
        renders.clear()
        with django_assert_num_queries(IDLE_QUERIES):
            sync.addressbook_refresh(owner=alice, now=dt.datetime.now(tz=dt.UTC))
        assert renders == []
        _, hrefs = sync.changes_since(owner=alice, kind=CARDS, seq=first)
        assert len(hrefs) == 2
        assert Card.objects.filter(owner=alice, deleted=True).count() == 2


def test_people_just_imported_are_rendered_once_not_on_every_request(alice, renders):
    # A phone set up right after an import asks many times within the refresh's slack: only the
    # first refresh renders the new people's cards.
    with time_machine.travel(START, tick=False) as clock:
        contacts = address_book(alice, 50)
        sync.addressbook_refresh(owner=alice, now=dt.datetime.now(tz=dt.UTC))
        assert sorted(renders) == sorted(contact.pk for contact in contacts)

        for _ in range(3):
            clock.shift(dt.timedelta(seconds=30))
            renders.clear()
            sync.addressbook_refresh(owner=alice, now=dt.datetime.now(tz=dt.UTC))
            assert renders == []
