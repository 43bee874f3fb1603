"""Planned meetings are in the JSON backup and come back on restore (portability/backup.py),
with their people, state and the interaction a logged one became."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from interactions.models import PlannedInteraction
from interactions.plans import plan_log
from portability.backup import backup_json, backup_restore
from tests.interactions.plans.helpers import person, plan

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 29, 10, tzinfo=dt.UTC)


def test_plans_round_trip_through_a_backup(alice, bob):
    ana, ben = person(alice, "Ana Lima"), person(alice, "Ben Okafor")
    ahead = plan(alice, [ana, ben], START, place="Tasca <b>", note="Goa", duration_minutes=90)
    logged = plan(alice, [ana], START - dt.timedelta(days=3), kind="call")
    plan_log(plan=logged, now=START, today=START.date())

    data = json.loads("".join(backup_json(owner=alice)))
    assert {row["place"] for row in data["planned_interactions"]} == {"Tasca <b>", ""}
    backup_restore(owner=bob, data=data)

    restored = {p.kind: p for p in PlannedInteraction.objects.filter(owner=bob)}
    coffee, call = restored["coffee"], restored["call"]
    assert coffee.starts_at == START and coffee.duration_minutes == 90 and coffee.note == "Goa"
    assert sorted(c.name for c in coffee.contacts.all()) == ["Ana Lima", "Ben Okafor"]
    assert all(c.owner == bob for c in coffee.contacts.all())
    assert call.state == "logged" and call.interaction.owner == bob
    assert list(call.interaction.contacts.values_list("name", flat=True)) == ["Ana Lima"]
    # Alice still has hers: the restored copies got UIDs of their own.
    assert coffee.uid != ahead.uid
