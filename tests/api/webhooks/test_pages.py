"""Settings → Webhooks pages (api/webhooks_views.py), through the same services as the API."""

from __future__ import annotations

import pytest

from api.models import Webhook
from api.services.webhooks import delivery_send, webhook_create, webhook_events_record
from tests.conftest import FROZEN_NOW

URL = "http://127.0.0.1:9/hook"


def test_settings_links_to_webhooks(alice_client):
    page = alice_client.get("/accounts/settings/").content.decode()
    assert "No webhook yet." in page
    assert 'href="/accounts/settings/webhooks/"' in page


def test_add_a_webhook_then_see_its_secret(alice_client, alice, allow_private):
    response = alice_client.post(
        "/accounts/settings/webhooks/",
        {
            "name": "Zap",
            "url": URL,
            "events": ["contact.created", "reminder.due"],
            "is_active": "on",
        },
    )
    webhook = Webhook.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/settings/webhooks/{webhook.pk}/"
    assert (webhook.name, webhook.url, webhook.is_active) == ("Zap", URL, True)
    assert webhook.events == ["contact.created", "reminder.due"]
    page = alice_client.get(response["Location"]).content.decode()
    assert webhook.secret in page
    assert "Nothing sent yet." in page
    listing = alice_client.get("/accounts/settings/webhooks/").content.decode()
    assert "contact.created, reminder.due" in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "http://10.0.0.5/x", "events": ["contact.created"]}, "private or reserved"),
        ({"url": "https://example.com/x"}, "Choose at least one event."),
        ({"url": "", "events": ["contact.created"]}, "This field is required."),
    ],
)
def test_refusals_are_shown_on_the_form(alice_client, settings, data, message):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = alice_client.post("/accounts/settings/webhooks/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Webhook.objects.exists()


def test_change_rotate_and_delete(alice_client, alice, allow_private):
    webhook = webhook_create(owner=alice, url=URL, events=["contact.created"], name="Zap")
    path = f"/accounts/settings/webhooks/{webhook.pk}/"
    response = alice_client.post(path, {"name": "Zapier", "url": URL, "events": ["digest.sent"]})
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.name, webhook.events, webhook.is_active) == ("Zapier", ["digest.sent"], False)

    old = webhook.secret
    assert alice_client.post(path + "rotate-secret/").status_code == 302
    webhook.refresh_from_db()
    assert webhook.secret != old

    confirm = alice_client.get(path + "delete/").content.decode()
    assert "Delete “Zapier”?" in confirm
    assert alice_client.post(path + "delete/").status_code == 302
    assert not Webhook.objects.exists()


def test_deliveries_show_their_last_answer(alice_client, alice, allow_private):
    webhook = webhook_create(owner=alice, url=URL, events=["contact.created"])
    [delivery_id] = webhook_events_record(
        owner_id=alice.pk, event="contact.created", items=[{}], now=FROZEN_NOW
    )
    delivery_send(delivery_id=delivery_id, now=FROZEN_NOW)  # nothing listens on port 9
    page = alice_client.get(f"/accounts/settings/webhooks/{webhook.pk}/").content.decode()
    assert "contact.created" in page
    assert "Could not connect: ConnectionRefusedError" in page
    assert "Waiting" in page


def test_another_users_webhook_is_404(bob_client, alice, allow_private):
    webhook = webhook_create(owner=alice, url=URL, events=["contact.created"], name="Zap")
    path = f"/accounts/settings/webhooks/{webhook.pk}/"
    assert bob_client.get(path).status_code == 404
    assert (
        bob_client.post(path, {"name": "x", "url": URL, "events": ["digest.sent"]}).status_code
        == 404
    )
    assert bob_client.post(path + "rotate-secret/").status_code == 404
    assert bob_client.post(path + "delete/").status_code == 404
    webhook.refresh_from_db()
    assert webhook.name == "Zap"
    assert webhook.secret not in bob_client.get("/accounts/settings/webhooks/").content.decode()
