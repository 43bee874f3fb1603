"""Each action on the contacts admin: its intermediate page, the change made through the list's
bulk edit (contacts_bulk_edit), and the Undo its message offers (contacts:bulk_undo)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from contacts.models import BulkChange, Contact, Interest
from contacts.services import contacts_recompute_due
from interactions.models import Interaction
from interactions.services import interaction_log
from tests.factories import CircleFactory, ContactFactory, InterestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

CHANGELIST = reverse("admin:contacts_contact_changelist")


@pytest.fixture
def setup(alice, bob):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    climbers = CircleFactory(owner=alice, name="Climbers", cadence_days=7)
    jazz = InterestFactory(owner=alice, name="Jazz")
    amara = ContactFactory(owner=alice, name="Amara Diallo", circle=friends)
    kwame = ContactFactory(owner=alice, name="Kwame Mensah", circle=friends, cadence_days=90)
    amara.interests.add(jazz)
    contacts_recompute_due(owner=alice)  # the stored due dates, as the app keeps them
    return {
        "friends": friends,
        "climbers": climbers,
        "jazz": jazz,
        "amara": amara,
        "kwame": kwame,
        "bobs_circle": CircleFactory(owner=bob, name="Bob's poker night"),
        "bobs_interest": InterestFactory(owner=bob, name="Secret hobby"),
    }


def state(contact: Contact) -> dict:
    contact.refresh_from_db()
    return {
        "circle": contact.circle_id,
        "cadence_days": contact.cadence_days,
        "paused": contact.paused,
        "archived": contact.archived,
        "interests": sorted(contact.interests.values_list("name", flat=True)),
        "next_reach_out_on": contact.next_reach_out_on,
    }


def run(client, action: str, ids: list[int], fields: dict) -> str:
    """Choose the action on the list, then confirm it; the intermediate page's HTML."""
    first = client.post(CHANGELIST, {"action": action, "index": "0", "_selected_action": ids})
    assert first.status_code == 200
    confirm = {"action": action, "_selected_action": ids, "confirmed": "yes", **fields}
    response = client.post(CHANGELIST, confirm, follow=True)
    assert response.status_code == 200
    return first.content.decode(), response.content.decode()


def undo(client, html: str) -> str:
    url = re.search(r'<form method="post" action="([^"]+)" class="crm-undo">', html).group(1)
    return client.post(url, {"next": CHANGELIST}, follow=True).content.decode()


CASES = [
    # action, form fields (by fixture key), page text, message, expected change
    (
        "move_to_circle",
        {"circle": "climbers"},
        "Move to a circle",
        "Moved 2 people to Climbers.",
        lambda s, d: s["circle"] == d["climbers"].pk,
    ),
    (
        "move_to_circle",
        {"circle": ""},
        "Move to a circle",
        "Took 2 people out of their circle.",
        lambda s, d: s["circle"] is None,
    ),
    (
        "set_rhythm",
        {"rhythm": "days", "cadence_days": "14"},
        "Set or clear the rhythm",
        "Set 2 people to every 14 days.",
        lambda s, d: s["cadence_days"] == 14,
    ),
    (
        "set_rhythm",
        {"rhythm": "circle", "cadence_days": "5"},
        "Set or clear the rhythm",
        "Set 2 people to follow their circle.",
        lambda s, d: s["cadence_days"] is None,
    ),
    (
        "add_interest",
        {"name": "Bouldering"},
        "Add an interest",
        "Added “Bouldering” to 2 people.",
        lambda s, d: "Bouldering" in s["interests"],
    ),
    (
        "remove_interest",
        {"interest": "jazz"},
        "Remove an interest",
        "Removed “Jazz” from 2 people.",
        lambda s, d: "Jazz" not in s["interests"],
    ),
    ("pause", {}, "Pause reminders", "Paused reminders for 2 people.", lambda s, d: s["paused"]),
    ("archive", {}, "Archive", "Archived 2 people.", lambda s, d: s["archived"]),
]


@pytest.mark.parametrize(("action", "fields", "title", "message", "changed"), CASES)
def test_action_asks_applies_and_undoes(
    alice_client, setup, action, fields, title, message, changed
):
    people = [setup["amara"], setup["kwame"]]
    before = [state(contact) for contact in people]
    values = {
        key: (str(setup[value].pk) if value in setup else value) for key, value in fields.items()
    }
    page, done = run(alice_client, action, [p.pk for p in people], values)
    assert f"<h1>{title}</h1>" in page
    assert "This changes <strong>2 people</strong>" in page
    assert "Amara Diallo" in page and "Kwame Mensah" in page
    assert message in done
    assert all(changed(state(contact), setup) for contact in people)
    assert BulkChange.objects.filter(owner=setup["amara"].owner, undone_at=None).count() == 1
    assert "Undone: " + message in undo(alice_client, done)
    assert [state(contact) for contact in people] == before


@pytest.mark.parametrize(("action", "flag"), [("unpause", "paused"), ("unarchive", "archived")])
def test_resume_and_unarchive_undo_back(alice_client, setup, action, flag):
    people = [setup["amara"], setup["kwame"]]
    Contact.objects.filter(pk__in=[p.pk for p in people]).update(**{flag: True})
    page, done = run(alice_client, action, [p.pk for p in people], {})
    assert "This changes <strong>2 people</strong>" in page
    assert not Contact.objects.filter(**{flag: True}).exists()
    undo(alice_client, done)
    assert Contact.objects.filter(**{flag: True}).count() == 2


def test_moving_to_a_circle_retimes_the_next_reach_out(alice_client, setup):
    amara = setup["amara"]
    amara.last_interaction_on = dt.date(2026, 11, 20)
    amara.save()
    run(alice_client, "move_to_circle", [amara.pk], {"circle": setup["climbers"].pk})
    amara.refresh_from_db()
    assert amara.next_reach_out_on == dt.date(2026, 11, 27)  # 7 days after, the circle's rhythm


def test_the_fields_offer_only_the_users_own_circles_and_the_selections_interests(
    alice_client, setup
):
    ids = [setup["kwame"].pk]
    html = alice_client.post(
        CHANGELIST, {"action": "move_to_circle", "index": "0", "_selected_action": ids}
    ).content.decode()
    assert "Climbers" in html and "poker night" not in html
    html = alice_client.post(
        CHANGELIST,
        {"action": "remove_interest", "index": "0", "_selected_action": [setup["amara"].pk]},
    ).content.decode()
    assert ">Jazz (1 of them)<" in html and "Secret hobby" not in html
    # Another user's circle posted on confirm is refused: nothing moves.
    response = alice_client.post(
        CHANGELIST,
        {
            "action": "move_to_circle",
            "_selected_action": ids,
            "confirmed": "yes",
            "circle": setup["bobs_circle"].pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert state(setup["kwame"])["circle"] == setup["friends"].pk


def test_adding_an_interest_matches_an_existing_one(alice_client, setup):
    run(alice_client, "add_interest", [setup["kwame"].pk], {"name": "  JÁZZ "})
    assert Interest.objects.filter(owner=setup["jazz"].owner).count() == 1
    assert state(setup["kwame"])["interests"] == ["Jazz"]


def test_pause_says_how_many_are_paused_already(alice_client, setup):
    Contact.objects.filter(pk=setup["amara"].pk).update(paused=True)
    html = alice_client.post(
        CHANGELIST,
        {
            "action": "pause",
            "index": "0",
            "_selected_action": [setup["amara"].pk, setup["kwame"].pk],
        },
    ).content.decode()
    assert "1 of them is paused already." in html


def test_deleting_in_the_admin_goes_through_the_service(alice_client, alice, setup):
    amara, kwame = setup["amara"], setup["kwame"]
    at = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
    today = dt.date(2026, 11, 28)
    alone = interaction_log(
        owner=alice, contacts=[amara], kind="coffee", occurred_at=at, today=today
    )
    shared = interaction_log(
        owner=alice, contacts=[amara, kwame], kind="call", occurred_at=at, today=today
    )
    response = alice_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [amara.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=amara.pk).exists()
    # The coffee with only her goes too (contacts_deleting's receiver); the shared call stays.
    assert list(Interaction.objects.filter(owner=alice)) == [shared]
    assert not Interaction.objects.filter(pk=alone.pk).exists()
