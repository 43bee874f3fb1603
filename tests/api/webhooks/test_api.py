"""/api/v1/webhooks/ and /api/v1/webhooks/{id}/deliveries/ over HTTP (api/views/webhooks.py)."""

from __future__ import annotations

import pytest

from api.models import Webhook, WebhookDelivery
from api.services.webhooks import webhook_create, webhook_events_record
from tests.conftest import FROZEN_NOW

URL = "http://127.0.0.1:9/hook"


@pytest.fixture
def alice_hook(alice, allow_private) -> Webhook:
    return webhook_create(owner=alice, url=URL, events=["contact.created"], name="Zap")


def test_register_answers_the_secret_once(alice_api, alice, allow_private):
    body = {"name": "Zap", "url": URL, "events": ["interaction.logged", "contact.created"]}
    response = alice_api.post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 201, response.content
    webhook = Webhook.objects.get(owner=alice)
    data = response.json()
    assert data["secret"] == webhook.secret and len(webhook.secret) == 64
    assert data["events"] == ["interaction.logged", "contact.created"]
    assert data["is_active"] is True
    assert response["Location"] == f"http://testserver/api/v1/webhooks/{webhook.pk}/"
    read = alice_api.get(response["Location"])
    assert read.status_code == 200
    assert "secret" not in read.json()
    assert read["ETag"] == response["ETag"]
    # Stored in the event list's own order.
    assert webhook.events == ["interaction.logged", "contact.created"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": URL, "events": []}, "events"),
        ({"url": URL, "events": ["contact.deleted"]}, "events"),
        ({"url": "not a url", "events": ["contact.created"]}, "url"),
        ({"url": "ftp://example.com/x", "events": ["contact.created"]}, "url"),
        ({"events": ["contact.created"]}, "url"),
    ],
)
def test_bad_bodies_are_400_per_field(alice_api, allow_private, body, field):
    response = alice_api.post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Webhook.objects.exists()


def test_a_private_url_is_refused_with_a_reason(alice_api, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    body = {"url": "http://169.254.169.254/latest/", "events": ["contact.created"]}
    response = alice_api.post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 400
    assert "private or reserved address (169.254.169.254)" in response.json()["url"][0]
    assert not Webhook.objects.exists()


def test_change_and_delete_with_if_match(alice_api, alice_hook, settings):
    path = f"/api/v1/webhooks/{alice_hook.pk}/"
    etag = alice_api.get(path)["ETag"]
    changed = alice_api.patch(path, {"is_active": False}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["is_active"] is False
    stale = alice_api.patch(path, {"name": "Other"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    refused = alice_api.patch(path, {"url": "http://10.0.0.1/x"}, format="json")
    assert refused.status_code == 400 and "url" in refused.json()
    alice_hook.refresh_from_db()
    assert (alice_hook.name, alice_hook.url, alice_hook.is_active) == ("Zap", URL, False)
    assert alice_api.delete(path, HTTP_IF_MATCH=etag).status_code == 412
    assert alice_api.delete(path).status_code == 204
    assert not Webhook.objects.exists()


def test_rotate_secret(alice_api, alice_hook):
    old = alice_hook.secret
    response = alice_api.post(f"/api/v1/webhooks/{alice_hook.pk}/rotate-secret/")
    assert response.status_code == 200
    alice_hook.refresh_from_db()
    assert response.json()["secret"] == alice_hook.secret != old


def test_deliveries_newest_first_with_cursor_pages(alice_api, alice, alice_hook):
    ids = webhook_events_record(
        owner_id=alice.pk,
        event="contact.created",
        items=[{"contact": {"id": n}} for n in range(3)],
        now=FROZEN_NOW,
    )
    path = f"/api/v1/webhooks/{alice_hook.pk}/deliveries/"
    first = alice_api.get(path, {"page_size": 2}).json()
    assert [row["id"] for row in first["results"]] == sorted(ids, reverse=True)[:2]
    row = first["results"][0]
    assert row["status"] == "pending" and row["attempts"] == 0
    assert row["payload"]["event"] == "contact.created"
    second = alice_api.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [min(ids)]


def test_idempotent_register(alice_api, alice, allow_private):
    body = {"url": URL, "events": ["contact.created"]}
    first = alice_api.post("/api/v1/webhooks/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = alice_api.post("/api/v1/webhooks/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Webhook.objects.filter(owner=alice).count() == 1


def test_read_token_cannot_write(alice_api_read, alice_hook, allow_private):
    body = {"url": URL, "events": ["contact.created"]}
    assert alice_api_read.get("/api/v1/webhooks/").status_code == 200
    assert alice_api_read.post("/api/v1/webhooks/", body, format="json").status_code == 403
    path = f"/api/v1/webhooks/{alice_hook.pk}/"
    assert alice_api_read.patch(path, {"name": "x"}, format="json").status_code == 403
    assert alice_api_read.delete(path).status_code == 403
    assert alice_api_read.post(path + "rotate-secret/").status_code == 403
    assert Webhook.objects.get().name == "Zap"


def test_another_users_webhook_is_404(bob_api, alice, alice_hook):
    webhook_events_record(owner_id=alice.pk, event="contact.created", items=[{}], now=FROZEN_NOW)
    path = f"/api/v1/webhooks/{alice_hook.pk}/"
    assert bob_api.get("/api/v1/webhooks/").json()["results"] == []
    for response in (
        bob_api.get(path),
        bob_api.patch(path, {"name": "mine"}, format="json"),
        bob_api.put(path, {"url": URL, "events": ["contact.created"]}, format="json"),
        bob_api.delete(path),
        bob_api.post(path + "rotate-secret/"),
        bob_api.get(path + "deliveries/"),
    ):
        assert response.status_code == 404
    alice_hook.refresh_from_db()
    assert alice_hook.name == "Zap"
    assert WebhookDelivery.objects.count() == 1


def test_list_queries_do_not_grow(alice_api, alice, allow_private, django_assert_max_num_queries):
    for n in range(3):
        webhook_create(owner=alice, url=URL, events=["contact.created"], name=f"h{n}")
    with django_assert_max_num_queries(6) as few:
        assert len(alice_api.get("/api/v1/webhooks/").json()["results"]) == 3
    for n in range(20):
        webhook_create(owner=alice, url=URL, events=["contact.created"], name=f"more{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(alice_api.get("/api/v1/webhooks/").json()["results"]) == 23
