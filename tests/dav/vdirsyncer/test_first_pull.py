"""The first sync brings every synced person to the phone, once."""

from __future__ import annotations

import pytest

from contacts.models import ContactMethod
from tests.dav.vdirsyncer.conftest import uid_of
from tests.factories import ContactFactory

pytestmark = [pytest.mark.integration, pytest.mark.one_pass]


def test_first_pull_brings_everyone_and_a_second_sync_adds_nobody(phone, alice):
    people = [ContactFactory(owner=alice, name=f"Person {i:02d}") for i in range(25)]
    ContactMethod.objects.create(
        owner=alice, contact=people[0], kind="email", value="p0@example.org"
    )
    ContactFactory(owner=alice, name="Archived Person", archived=True)

    phone.sync()

    cards = phone.cards()
    assert len(cards) == 25
    assert sorted(c.uid for c in people) == sorted(uid_of(text) for text in cards.values())
    assert "p0@example.org" in phone.card_named("Person 00").read_text()
    assert not any("Archived Person" in text for text in cards.values())

    phone.sync()
    phone.sync()
    assert phone.cards() == cards
