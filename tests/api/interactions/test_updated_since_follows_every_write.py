"""Every write that changes what an interaction shows bumps its ``updated_at``, so a client
syncing with ``?updated_since=`` sees it: the admin's bulk re-kind and its undo, a participant
deleted, a merge of two people and its undo (interactions.services.interactions_touch)."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.services import contacts_bulk_delete
from interactions import services
from interactions.models import Interaction
from portability.duplicates import contacts_merge, merge_undo
from tests.factories import ContactFactory, InteractionFactory

BEFORE = dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC)


@pytest.fixture
def synced(alice, time_machine):
    """Alice's people and interactions as of BEFORE; the clock then moves to LATER."""
    time_machine.move_to(BEFORE, tick=False)
    ada, grace, linus = (ContactFactory(owner=alice, name=n) for n in ("Ada", "Grace", "Linus"))
    together = InteractionFactory(owner=alice, contacts=[ada, grace])
    alone = InteractionFactory(owner=alice, contacts=[linus])
    time_machine.move_to(LATER, tick=False)
    return {"ada": ada, "grace": grace, "linus": linus, "together": together, "alone": alone}


def changed_since(client) -> set[int]:
    response = client.get("/api/v1/interactions/?updated_since=2026-11-10T00:00:00Z")
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_nothing_changed_nothing_listed(alice_api, synced):
    assert changed_since(alice_api) == set()


def test_bulk_rekind_and_its_undo(alice_api, alice, synced, time_machine):
    previous = services.interactions_rekind(
        owner=alice, interaction_ids=[synced["together"].pk], kind="call"
    )
    assert changed_since(alice_api) == {synced["together"].pk}

    time_machine.move_to(dt.datetime(2026, 11, 25, tzinfo=dt.UTC), tick=False)
    services.interactions_rekind_undo(owner=alice, previous=previous)
    response = alice_api.get("/api/v1/interactions/?updated_since=2026-11-24T00:00:00Z")
    assert [row["kind"] for row in response.json()["results"]] == ["coffee"]


def test_a_participant_deleted_changes_the_shared_interaction(alice_api, alice, synced):
    contacts_bulk_delete(owner=alice, contact_ids=[synced["grace"].pk, synced["linus"].pk])

    assert changed_since(alice_api) == {synced["together"].pk}
    assert not Interaction.objects.filter(pk=synced["alone"].pk).exists()
    shown = alice_api.get(f"/api/v1/interactions/{synced['together'].pk}/").json()
    assert shown["contacts"] == [synced["ada"].pk]


def test_a_merge_and_its_undo_change_the_moved_interactions(alice_api, alice, synced, time_machine):
    merge = contacts_merge(
        survivor=synced["ada"], other=synced["linus"], picks={}, today=LATER.date()
    )
    assert changed_since(alice_api) == {synced["alone"].pk}
    shown = alice_api.get(f"/api/v1/interactions/{synced['alone'].pk}/").json()
    assert shown["contacts"] == [synced["ada"].pk]

    time_machine.move_to(dt.datetime(2026, 11, 25, tzinfo=dt.UTC), tick=False)
    restored = merge_undo(merge=merge, now=dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    shown = alice_api.get(f"/api/v1/interactions/{synced['alone'].pk}/").json()
    assert shown["contacts"] == [restored.pk]
    response = alice_api.get("/api/v1/interactions/?updated_since=2026-11-24T00:00:00Z")
    assert [row["id"] for row in response.json()["results"]] == [synced["alone"].pk]
