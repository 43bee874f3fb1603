"""A real Celery worker delivers webhooks: an API call's event reaches a receiver on loopback,
signed; a 500 is retried by beat's deliver_webhooks once its backoff has passed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from api.models import ApiToken, WebhookDelivery
from api.services.tokens import api_token_create
from api.services.webhooks import deliveries_due, webhook_create, webhook_signature
from api.tasks import deliver_webhooks
from contacts.models import Contact
from contacts.services import contact_save
from tests.api.conftest import client_with
from tests.fixtures.processes import broker_url, free_port, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def webhook_worker(request, monkeypatch, allow_private, redis_server):
    # The worker reads its settings from the environment (tests/fixtures/processes.py).
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("SITE_URL", "https://crm.example.com")
    processes = request.getfixturevalue("celery_processes")
    with broker_url(redis_server.url):  # what this process queues reaches that worker
        yield processes


@pytest.mark.django_db(transaction=True)
def test_an_api_call_is_delivered_by_the_worker_and_retried(alice, receiver, webhook_worker):
    receiver.answer(500)
    hook = webhook_create(owner=alice, url=receiver.url, events=["contact.created"])
    _, token = api_token_create(owner=alice, name="t", scope=ApiToken.Scope.WRITE)
    api = client_with(token)
    # A person added through the page's service (the API's contacts/ lands with "people").
    ada = contact_save(contact=Contact(owner=alice, name="Ada"), today=timezone.now().date())

    [first] = receiver.wait_for(1, timeout=60)
    delivery = wait_for(
        lambda: WebhookDelivery.objects.filter(status="pending", attempts=1).first(),
        timeout=30,
        message=lambda: f"deliveries: {list(WebhookDelivery.objects.values())}",
    )
    assert delivery.last_status_code == 500
    assert json.loads(first.body)["data"]["contact"]["id"] == ada.pk
    expected = webhook_signature(
        secret=hook.secret,
        timestamp=int(first.headers["X-Network-CRM-Timestamp"]),
        body=first.body,
    )
    assert first.headers["X-Network-CRM-Signature"] == expected

    # Bring the retry forward instead of waiting its minute, and queue beat's entry at once
    # (beat runs it every 60 s): it finds the delivery due and the worker sends it again.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    deliver_webhooks.delay()
    receiver.wait_for(2, timeout=60)
    delivered = wait_for(
        lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="delivered").first(),
        timeout=30,
        message="the retry was not marked delivered",
    )
    assert delivered.attempts == 2
    listed = api.get(f"/api/v1/webhooks/{hook.pk}/deliveries/").json()["results"]
    assert [(row["status"], row["attempts"]) for row in listed] == [("delivered", 2)]


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_fails_nothing_and_beat_catches_up(alice, allow_private, caplog):
    for path in ("a", "b", "c"):
        webhook_create(owner=alice, url=f"http://127.0.0.1:9/{path}", events=["contact.created"])
    with broker_url(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        ada = contact_save(contact=Contact(owner=alice, name="Ada"), today=timezone.now().date())
    assert Contact.objects.get(pk=ada.pk).name == "Ada"
    pending = WebhookDelivery.objects.filter(status="pending")
    assert pending.count() == 3
    # One attempt to reach the broker, not one per delivery; beat queues them all later.
    warnings = [r for r in caplog.records if "Could not queue webhook deliveries" in r.message]
    assert len(warnings) == 1
    assert sorted(deliveries_due(now=timezone.now())) == sorted(
        pending.values_list("pk", flat=True)
    )
