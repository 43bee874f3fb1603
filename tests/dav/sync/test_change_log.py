"""The change log behind the address book's sync tokens (dav/sync.py): what a refresh records
when people are added, edited, archived, moved out of the synced circles, deleted and brought
back, and what ``changes_since`` then tells a device. Real database, frozen time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from contacts.models import Circle, Contact, ContactMethod
from contacts.services import contact_save
from dav.cards import card_fingerprint
from dav.models import Card, DavSettings, SyncCollection
from dav.sync import (
    HISTORY_LENGTH,
    InvalidToken,
    addressbook_invalidate,
    addressbook_refresh,
    card_href,
    changes_since,
    sync_token,
    sync_token_seq,
    synced_contacts,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
CARDS = SyncCollection.Kind.CARDS


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def later(clock, minutes: int = 10) -> dt.datetime:
    """Move the clock on (past the refresh's slack) and return the new now."""
    clock.shift(dt.timedelta(minutes=minutes))
    return dt.datetime.now(tz=dt.UTC)


def person(owner, name: str, **fields) -> Contact:
    return contact_save(contact=Contact(owner=owner, name=name, **fields), today=START.date())


def refresh(owner) -> int:
    addressbook_refresh(owner=owner, now=dt.datetime.now(tz=dt.UTC))
    return SyncCollection.objects.get(owner=owner, kind=CARDS).seq


def changed(owner, seq: int) -> set[str]:
    return set(changes_since(owner=owner, kind=CARDS, seq=seq)[1])


def test_a_first_refresh_gives_everyone_a_card_named_after_their_uid(alice, bob, clock):
    amara, ben = person(alice, "Amara Diallo"), person(alice, "Ben Carter")
    person(bob, "Bobby Tables")

    seq = refresh(alice)

    cards = {card.contact: card for card in Card.objects.filter(owner=alice)}
    assert set(cards) == {amara, ben}
    assert cards[amara].href == f"{amara.uid}.vcf" and cards[amara].uid == amara.uid
    assert cards[amara].fingerprint == card_fingerprint(amara, extra="")
    assert cards[amara].seq == seq == 1 and not cards[amara].deleted
    assert [entry["seq"] for entry in cards[amara].history] == [1]
    assert cards[amara].history[0]["fingerprint"] == cards[amara].fingerprint
    assert changes_since(owner=alice, kind=CARDS, seq=0) == (
        1,
        sorted(c.href for c in cards.values()),
    )
    # Nothing changed: a second refresh records nothing.
    assert refresh(alice) == 1
    assert changed(alice, 1) == set()


def test_an_edit_gets_a_new_seq_and_a_history_entry_and_only_that_card_is_reported(alice, clock):
    amara, ben = person(alice, "Amara Diallo"), person(alice, "Ben Carter")
    first = refresh(alice)

    later(clock)
    amara.company = "Acme"
    contact_save(contact=amara, today=START.date())
    second = refresh(alice)

    assert second == first + 1
    card = Card.objects.get(contact=amara)
    assert card.seq == second and card.fingerprint == card_fingerprint(amara, extra="")
    assert [entry["seq"] for entry in card.history] == [first, second]
    assert changed(alice, first) == {card.href}
    assert Card.objects.get(contact=ben).seq == first


def test_a_save_that_changes_nothing_on_the_card_records_nothing(alice, clock):
    amara = person(alice, "Amara Diallo")
    first = refresh(alice)

    later(clock)
    amara.cadence_days = 30  # the reach-out rhythm is not on the card
    contact_save(contact=amara, today=START.date())

    assert refresh(alice) == first
    assert len(Card.objects.get(contact=amara).history) == 1


def test_history_keeps_the_last_versions_only(alice, clock):
    amara = person(alice, "Amara Diallo")
    refresh(alice)
    for number in range(HISTORY_LENGTH + 2):
        later(clock)
        amara.nickname = f"Ami {number}"
        contact_save(contact=amara, today=START.date())
        seq = refresh(alice)

    history = Card.objects.get(contact=amara).history
    assert len(history) == HISTORY_LENGTH
    assert history[-1]["seq"] == seq and history[-1]["fields"]["nickname"] == f"Ami {number}"
    assert [entry["seq"] for entry in history] == list(range(seq - HISTORY_LENGTH + 1, seq + 1))


def test_archiving_makes_a_tombstone_and_unarchiving_revives_the_same_card(alice, clock):
    amara = person(alice, "Amara Diallo")
    first = refresh(alice)
    href = Card.objects.get(contact=amara).href

    later(clock)
    amara.archived = True
    contact_save(contact=amara, today=START.date())
    archived = refresh(alice)

    card = Card.objects.get(contact=amara)
    assert card.deleted and card.seq == archived == first + 1
    assert changed(alice, first) == {href}  # the device is told to delete it
    assert changes_since(owner=alice, kind=CARDS, seq=0) == (archived, [])  # a new device: none

    later(clock)
    amara.archived = False
    contact_save(contact=amara, today=START.date())
    back = refresh(alice)

    card.refresh_from_db()
    assert not card.deleted and card.seq == back == archived + 1 and card.href == href
    assert Card.objects.filter(owner=alice).count() == 1
    assert changed(alice, archived) == {href}


def test_a_deleted_contact_leaves_a_tombstone(alice, clock):
    amara, ben = person(alice, "Amara Diallo"), person(alice, "Ben Carter")
    first = refresh(alice)
    href = Card.objects.get(contact=amara).href

    later(clock)
    amara.delete()
    second = refresh(alice)

    card = Card.objects.get(href=href)
    assert card.deleted and card.contact is None and card.seq == second == first + 1
    assert changed(alice, first) == {href}
    assert changes_since(owner=alice, kind=CARDS, seq=0)[1] == [Card.objects.get(contact=ben).href]


def test_the_same_uid_imported_again_after_a_delete_takes_its_old_card_back(alice, clock):
    amara = person(alice, "Amara Diallo")
    refresh(alice)
    uid, href = amara.uid, Card.objects.get(contact=amara).href
    Card.objects.filter(contact=amara).update(extra="X-PHONE-ONLY:kept for Amara\r\n")
    amara.delete()
    later(clock)
    deleted = refresh(alice)

    later(clock)
    again = Contact(owner=alice, name="Amara Diallo")
    again.uid = uid
    contact_save(contact=again, today=START.date())
    back = refresh(alice)

    card = Card.objects.get(owner=alice)
    assert card.contact == again and card.href == href and not card.deleted
    assert card.extra == "" and card.fingerprint == card_fingerprint(again, extra="")
    assert card.seq == back == deleted + 1


def test_two_people_with_one_uid_get_two_cards(alice, clock):
    amara = person(alice, "Amara Diallo")
    twin = Contact(owner=alice, name="Amara D.")
    twin.uid = amara.uid
    contact_save(contact=twin, today=START.date())

    refresh(alice)

    hrefs = sorted(Card.objects.filter(owner=alice).values_list("href", flat=True))
    assert len(set(hrefs)) == 2 and f"{amara.uid}.vcf" in hrefs


def test_a_uid_that_is_no_safe_path_segment_gets_a_hashed_href():
    assert card_href("urn:uuid:1f0e-2a") == "urn:uuid:1f0e-2a.vcf"
    for uid in ("a/b", "../x", "with space", "x" * 300, "é"):
        href = card_href(uid)
        assert href.endswith(".vcf") and len(href) == 36 and "/" not in href


def test_choosing_circles_removes_the_others_at_the_next_refresh(alice, clock):
    friends = Circle.objects.create(owner=alice, name="Old friends")
    amara = person(alice, "Amara Diallo", circle=friends)
    ben = person(alice, "Ben Carter")
    first = refresh(alice)
    assert {c.name for c in synced_contacts(owner=alice)} == {"Amara Diallo", "Ben Carter"}

    later(clock)
    settings = DavSettings.objects.create(owner=alice, sync_everyone=False)
    settings.circles.add(friends)
    addressbook_invalidate(owner=alice)
    second = refresh(alice)

    assert list(synced_contacts(owner=alice)) == [amara]
    assert Card.objects.get(contact=ben).deleted
    assert not Card.objects.get(contact=amara).deleted
    assert changed(alice, first) == {Card.objects.get(contact=ben).href}
    assert SyncCollection.objects.get(owner=alice, kind=CARDS).refreshed_at is not None

    later(clock)
    settings.sync_everyone = True
    settings.save()
    addressbook_invalidate(owner=alice)
    third = refresh(alice)
    assert third == second + 1 and not Card.objects.get(contact=ben).deleted


def test_an_archived_person_does_not_sync_even_in_a_chosen_circle(alice, clock):
    friends = Circle.objects.create(owner=alice, name="Old friends")
    person(alice, "Amara Diallo", circle=friends, archived=True)
    settings = DavSettings.objects.create(owner=alice, sync_everyone=False)
    settings.circles.add(friends)

    assert not synced_contacts(owner=alice).exists()
    refresh(alice)
    assert not Card.objects.filter(owner=alice).exists()


def test_a_write_that_commits_late_is_caught_by_the_slack(alice, clock):
    amara, ben = person(alice, "Amara Diallo"), person(alice, "Ben Carter")
    later(clock)
    refreshed_at = dt.datetime.now(tz=dt.UTC)
    first = refresh(alice)
    # Two writes the refresh above could not see: their transactions committed after it, but
    # their updated_at was set before (3 minutes: within the slack; 6 minutes: beyond it).
    Contact.objects.filter(pk=amara.pk).update(
        company="Acme", updated_at=refreshed_at - dt.timedelta(minutes=3)
    )
    Contact.objects.filter(pk=ben.pk).update(
        company="Acme", updated_at=refreshed_at - dt.timedelta(minutes=6)
    )

    later(clock)
    assert refresh(alice) == first + 1
    assert changed(alice, first) == {Card.objects.get(contact=amara).href}
    # Beyond the slack only a full refresh sees it (a write that forgot to bump updated_at
    # looks the same: docs/architecture.md, "Sync with phones").
    addressbook_invalidate(owner=alice)
    assert refresh(alice) == first + 2
    assert Card.objects.get(contact=ben).seq == first + 2


def test_a_method_added_through_the_contact_changes_the_card(alice, clock):
    amara = person(alice, "Amara Diallo")
    first = refresh(alice)
    before = Card.objects.get(contact=amara).fingerprint
    later(clock)
    ContactMethod.objects.create(
        owner=alice, contact=amara, kind="phone", value="+33 6 12 34 56 78"
    )
    contact_save(contact=amara, today=START.date())  # D's invariant: the write bumps updated_at

    assert refresh(alice) == first + 1
    assert Card.objects.get(contact=amara).fingerprint != before


# --- Tokens -----------------------------------------------------------------------------------


def test_a_token_ahead_of_the_collection_or_not_ours_is_invalid(alice, bob, clock):
    person(alice, "Amara Diallo")
    seq = refresh(alice)

    with pytest.raises(InvalidToken):
        changes_since(owner=alice, kind=CARDS, seq=seq + 1)
    with pytest.raises(InvalidToken):
        changes_since(owner=alice, kind=CARDS, seq=-1)
    with pytest.raises(InvalidToken):
        changes_since(owner=bob, kind=CARDS, seq=seq)  # bob's collection never reached it
    assert changes_since(owner=bob, kind=CARDS, seq=0) == (0, [])

    token = sync_token(kind=CARDS, seq=seq)
    assert token == f"http://network-crm/sync/cards/{seq}"
    assert sync_token_seq(kind=CARDS, token=token) == seq
    for bad in (
        "",
        "http://network-crm/sync/cards/",
        "http://network-crm/sync/cards/-1",
        "http://network-crm/sync/cards/1x",
        "http://network-crm/sync/calendar/1",
        "http://network-crm/sync/cards/١",  # a digit, but not an ASCII one
        "http://network-crm/sync/cards/" + "9" * 40,
        "http://example.com/sync/cards/1",
    ):
        with pytest.raises(InvalidToken):
            sync_token_seq(kind=CARDS, token=bad)


def test_moving_someone_out_of_and_back_into_a_synced_circle(
    alice, clock, django_assert_num_queries
):
    friends = Circle.objects.create(owner=alice, name="Old friends")
    work = Circle.objects.create(owner=alice, name="Work")
    settings = DavSettings.objects.create(owner=alice, sync_everyone=False)
    settings.circles.add(friends)
    amara = person(alice, "Amara Diallo", circle=friends)
    later(clock)
    first = refresh(alice)
    href = Card.objects.get(contact=amara).href

    later(clock)
    amara.circle = work
    contact_save(contact=amara, today=START.date())
    moved = refresh(alice)
    assert moved == first + 1 and Card.objects.get(href=href).deleted
    assert changed(alice, first) == {href}

    later(clock)
    amara.circle = friends
    contact_save(contact=amara, today=START.date())
    back = refresh(alice)
    assert back == moved + 1 and not Card.objects.get(href=href).deleted

    # Who syncs is a condition inside the one query, not a settings read before it.
    with django_assert_num_queries(1):
        assert list(synced_contacts(owner=alice)) == [amara]
