"""Introductions travel in the JSON backup and come back exactly, links and all."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from giving.models import Introduction
from giving.services.introductions import introduction_create, introduction_move
from portability.backup import RestoreRefused, backup_json, backup_restore
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)


def _backup(owner) -> dict:
    return json.loads("".join(backup_json(owner=owner)))


def test_an_introduction_comes_back_with_its_people_and_interaction(alice, bob):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    ben = ContactFactory(owner=alice, name="Ben Adler")
    made = introduction_create(owner=alice, person_a=ana, person_b=ben, reason="Porto data")
    introduction_move(introduction=made, state="done", now=NOW, today=NOW.date(), outcome="A job")
    introduction_create(owner=alice, person_a=ben, person_b=ana)
    backup_restore(owner=bob, data=_backup(alice))
    restored = Introduction.objects.filter(owner=bob).select_related(
        "person_a", "person_b", "interaction"
    )
    rows = {
        (i.person_a.name, i.person_b.name, i.state, i.reason, i.outcome, i.introduced_on)
        for i in restored
    }
    assert rows == {
        ("Ana Lima", "Ben Adler", "done", "Porto data", "A job", NOW.date()),
        ("Ben Adler", "Ana Lima", "idea", "", "", None),
    }
    done = restored.get(state="done")
    assert done.interaction.owner == bob and done.interaction.kind == "introduction"
    assert {c.name for c in done.interaction.contacts.all()} == {"Ana Lima", "Ben Adler"}


def test_a_hand_edited_introduction_restores_nothing(alice, bob):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    ben = ContactFactory(owner=alice, name="Ben Adler")
    introduction_create(owner=alice, person_a=ana, person_b=ben)
    data = _backup(alice)
    data["introductions"][0]["state"] = "<script>"
    with pytest.raises(RestoreRefused):
        backup_restore(owner=bob, data=data)
    assert not Introduction.objects.filter(owner=bob).exists()
