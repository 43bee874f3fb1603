from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from interactions.models import Interaction
from reminders.models import Reminder
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def log_url(contact) -> str:
    return reverse("interactions:log", args=[contact.pk])


def test_one_click_coffee_from_the_dashboard_logs_today(alice_client, alice, frozen_now):
    contact = ContactFactory(owner=alice, cadence_days=7)
    response = alice_client.post(log_url(contact), {"kind": "coffee", "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    interaction = Interaction.objects.get()
    assert (interaction.kind, interaction.occurred_on) == ("coffee", dt.date(2026, 11, 28))
    assert list(interaction.contacts.all()) == [contact]
    contact.refresh_from_db()
    assert contact.last_interaction_on == dt.date(2026, 11, 28)
    assert contact.next_reach_out_on == dt.date(2026, 12, 5)


def test_backdated_log_in_place_with_htmx(alice_client, alice, frozen_now):
    contact = ContactFactory(owner=alice, cadence_days=7)
    response = alice_client.post(
        log_url(contact),
        {"kind": "call", "occurred_on": "2026-11-18", "notes": "Talked about Lisbon"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "contactChanged" in json.loads(response.headers["HX-Trigger"])
    html = response.content.decode()
    assert 'id="log-form"' in html and "<html" not in html
    # Beside the fresh form, out of band: the announcement, with the undo (a delete).
    assert '<div id="announce" hx-swap-oob="innerHTML">' in html
    assert f"Logged call with {escape(contact.name)} on Wednesday 18 November." in html
    undo_url = reverse("interactions:delete", args=[Interaction.objects.get().pk])
    assert f'hx-post="{undo_url}"' in html
    contact.refresh_from_db()
    assert contact.last_interaction_on == dt.date(2026, 11, 18)
    assert contact.next_reach_out_on == dt.date(2026, 11, 25)


def test_local_date_follows_the_users_zone_not_utc(alice_client, alice):
    import time_machine

    alice.settings.time_zone = "Pacific/Kiritimati"  # UTC+14
    alice.settings.save()
    contact = ContactFactory(owner=alice, cadence_days=7)
    with time_machine.travel(dt.datetime(2026, 11, 28, 20, tzinfo=dt.UTC), tick=False):
        alice_client.post(log_url(contact), {"kind": "coffee"})
    assert Interaction.objects.get().occurred_on == dt.date(2026, 11, 29)


def test_a_future_date_is_refused_with_a_clear_message(alice_client, alice, frozen_now):
    contact = ContactFactory(owner=alice, cadence_days=7)
    response = alice_client.post(
        log_url(contact),
        {"kind": "coffee", "occurred_on": "2026-12-25"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "That day hasn" in response.content.decode()
    assert not Interaction.objects.exists()
    response = alice_client.post(log_url(contact), {"kind": "coffee", "occurred_on": "2026-12-25"})
    assert response.status_code == 400
    assert "That day hasn" in response.content.decode()


def test_unknown_kind_is_refused(alice_client, alice):
    contact = ContactFactory(owner=alice)
    response = alice_client.post(log_url(contact), {"kind": "<script>"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Interaction.objects.exists()


def test_logging_closes_the_open_reach_out_reminder(alice_client, alice, frozen_now):
    contact = ContactFactory(owner=alice, cadence_days=7, next_reach_out_on=dt.date(2026, 1, 8))
    reminder = Reminder.objects.create(
        owner=alice, contact=contact, kind="reach_out", due_on=dt.date(2026, 1, 8)
    )
    alice_client.post(log_url(contact), {"kind": "message"})
    reminder.refresh_from_db()
    assert reminder.state == "done"


def test_get_is_not_allowed(alice_client, alice):
    contact = ContactFactory(owner=alice)
    assert alice_client.get(log_url(contact)).status_code == 405
