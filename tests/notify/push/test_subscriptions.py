"""Subscribing a browser, turning it off, the device list, "Send a test" and "Remove", as the
owner sees them; another user's device is a 404 everywhere."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from notify.models import Delivery, PushSubscription
from notify.services.push_subscriptions import (
    MAX_SUBSCRIPTIONS,
    SubscriptionRefused,
    push_label,
    push_subscribe,
)
from reminders.models import Digest
from tests.conftest import FROZEN_NOW

pytestmark = pytest.mark.django_db

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def _post_json(client, name, body, **headers):
    return client.post(
        reverse(f"notify_push:{name}"),
        data=json.dumps(body) if not isinstance(body, bytes | str) else body,
        content_type="application/json",
        **headers,
    )


def test_subscribe_stores_the_device_with_a_label(alice_client, alice, push_service):
    subscriber = push_service.subscribe()
    response = _post_json(
        alice_client, "subscribe", subscriber.as_json(), HTTP_USER_AGENT=ANDROID_CHROME
    )
    assert response.status_code == 201
    assert response.json()["message"] == "Notifications are on for this device (Chrome on Android)."
    subscription = PushSubscription.objects.get()
    assert (subscription.owner, subscription.endpoint, subscription.label) == (
        alice,
        subscriber.endpoint,
        "Chrome on Android",
    )
    # Subscribing again (a new page load, new keys) updates the same row.
    response = _post_json(alice_client, "subscribe", subscriber.as_json())
    assert response.status_code == 200
    assert PushSubscription.objects.count() == 1


def test_the_json_endpoints_check_csrf(alice, push_service):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = _post_json(client, "subscribe", push_service.subscribe().as_json())
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


def test_anonymous_cannot_subscribe(client, push_service):
    response = _post_json(client, "subscribe", push_service.subscribe().as_json())
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        {"endpoint": "https://push.example/x"},
        {"endpoint": 5, "keys": {"p256dh": "x", "auth": "y"}},
        {"endpoint": "https://push.example/x", "keys": "nope"},
        {"endpoint": "https://push.example/" + "x" * 3000, "keys": {"p256dh": "a", "auth": "b"}},
    ],
)
def test_malformed_bodies_get_a_clear_400(alice_client, body):
    response = _post_json(alice_client, "subscribe", body)
    assert response.status_code == 400
    assert "incomplete subscription" in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_bad_keys_and_endpoints_are_refused(alice_client, push_service, settings):
    subscriber = push_service.subscribe()
    body = subscriber.as_json()
    body["keys"]["p256dh"] = body["keys"]["p256dh"][:-4] + "AAAA"  # not on the curve
    response = _post_json(alice_client, "subscribe", body)
    assert response.json() == {"error": "The browser's push keys are not valid."}
    body = subscriber.as_json()
    body["keys"]["auth"] = "c2hvcnQ"
    assert _post_json(alice_client, "subscribe", body).status_code == 400
    for endpoint in ("javascript:alert(1)", "ftp://push.example/x", "https://user:pw@host/x"):
        body = {**subscriber.as_json(), "endpoint": endpoint}
        assert _post_json(alice_client, "subscribe", body).status_code == 400
    settings.NOTIFY_ALLOW_PRIVATE = False
    response = _post_json(alice_client, "subscribe", subscriber.as_json())
    assert "https://" in response.json()["error"]
    body = {**subscriber.as_json(), "endpoint": "https://127.0.0.1/push/x"}
    response = _post_json(alice_client, "subscribe", body)
    assert "private or reserved" in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_a_browser_moves_to_whoever_subscribes_it_last(alice, bob, push_service):
    subscriber = push_service.subscribe()
    keys = subscriber.as_json()["keys"]
    first = push_subscribe(owner=alice, endpoint=subscriber.endpoint, **keys).subscription
    digest = Digest.objects.create(owner=alice, local_date="2026-11-28")
    waiting = Delivery.objects.create(
        owner=alice,
        digest=digest,
        subscription=first,
        title="Alice's digest",
        body="private names",
        next_attempt_at="2026-11-28T09:00Z",
    )
    moved = push_subscribe(owner=bob, endpoint=subscriber.endpoint, **keys)
    assert moved.created and moved.subscription.owner == bob
    assert list(PushSubscription.objects.values_list("owner", flat=True)) == [bob.pk]
    # Alice's digest never goes to the device Bob now holds.
    waiting.refresh_from_db()
    assert waiting.state == Delivery.State.GONE and waiting.subscription is None


def test_a_user_has_at_most_so_many_devices(alice, push_service):
    for _ in range(MAX_SUBSCRIPTIONS):
        subscriber = push_service.subscribe()
        push_subscribe(owner=alice, endpoint=subscriber.endpoint, **subscriber.as_json()["keys"])
    subscriber = push_service.subscribe()
    with pytest.raises(SubscriptionRefused, match="remove one"):
        push_subscribe(owner=alice, endpoint=subscriber.endpoint, **subscriber.as_json()["keys"])


def test_unsubscribe_removes_only_ones_own(alice_client, alice, bob, push_service):
    mine, theirs = push_service.subscribe(), push_service.subscribe()
    push_subscribe(owner=alice, endpoint=mine.endpoint, **mine.as_json()["keys"])
    push_subscribe(owner=bob, endpoint=theirs.endpoint, **theirs.as_json()["keys"])
    response = _post_json(alice_client, "unsubscribe", {"endpoint": theirs.endpoint})
    assert response.json()["removed"] is False
    response = _post_json(alice_client, "unsubscribe", {"endpoint": mine.endpoint})
    assert response.json()["removed"] is True
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [theirs.endpoint]
    assert _post_json(alice_client, "unsubscribe", b"garbage").status_code == 200


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (ANDROID_CHROME, "Chrome on Android"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on macOS",
        ),
        ("", "A browser"),
        ("<script>alert(1)</script>", "A browser"),
    ],
)
def test_device_labels(agent, label):
    assert push_label(agent) == label


@pytest.fixture
def alice_device(alice, push_service):
    subscriber = push_service.subscribe("alice")
    return push_subscribe(
        owner=alice,
        endpoint=subscriber.endpoint,
        user_agent=ANDROID_CHROME,
        **subscriber.as_json()["keys"],
    ).subscription


def test_settings_page_shows_the_section(alice_client, alice_device):
    page = alice_client.get(reverse("settings")).content.decode()
    assert "Notifications on this device" in page
    assert "1 device gets notifications." in page
    assert reverse("notify_push:page") in page
    # The endpoint (a capability URL) is never in the page, only its hash.
    assert alice_device.endpoint not in page


def test_devices_page_lists_the_owners_devices(alice_client, alice_device, bob, push_service):
    other = push_service.subscribe("bob")
    push_subscribe(
        owner=bob,
        endpoint=other.endpoint,
        user_agent="Firefox/1 (Windows)",
        **other.as_json()["keys"],
    )
    page = alice_client.get(reverse("notify_push:page")).content.decode()
    assert "Chrome on Android" in page and "no notification yet" in page
    assert "Firefox on Windows" not in page
    fragment = alice_client.get(reverse("notify_push:page"), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<section class="card" id="push-devices"')


def test_send_a_test_arrives_and_is_recorded(alice_client, alice_device, push_service, frozen_now):
    response = alice_client.post(
        reverse("notify_push:test", args=[alice_device.pk]), headers={"HX-Request": "true"}
    )
    assert "Test sent to “Chrome on Android”" in response.content.decode()
    assert response.headers["HX-Retarget"] == "#announce"
    assert push_service.messages() == [
        {
            "title": "network-crm",
            "body": "Notifications reach this device. Your daily digest will arrive like this.",
            "url": "http://testserver" + reverse("notify_push:page"),
        }
    ]
    alice_device.refresh_from_db()
    assert alice_device.last_success_at == FROZEN_NOW
    assert alice_device.last_error == ""


def test_a_failed_test_says_why(alice_client, alice_device, push_service):
    push_service.answer(push_service.subscribers["/push/alice"], 503)
    response = alice_client.post(reverse("notify_push:test", args=[alice_device.pk]), follow=True)
    page = response.content.decode()
    assert "The test to “Chrome on Android” was not sent: The push service answered 503." in page
    assert "Last error:" in page
    alice_device.refresh_from_db()
    assert alice_device.last_error == "The push service answered 503."


def test_a_test_to_a_gone_device_removes_it(alice_client, alice_device, push_service):
    push_service.answer(push_service.subscribers["/push/alice"], 410)
    response = alice_client.post(reverse("notify_push:test", args=[alice_device.pk]), follow=True)
    assert "is no longer subscribed" in response.content.decode()
    assert not PushSubscription.objects.exists()


def test_remove_asks_then_removes(alice_client, alice_device):
    url = reverse("notify_push:remove", args=[alice_device.pk])
    assert "Remove “Chrome on Android”?" in alice_client.get(url).content.decode()
    response = alice_client.post(url, {"next": reverse("notify_push:page")}, follow=True)
    assert "“Chrome on Android” removed" in response.content.decode()
    assert not PushSubscription.objects.exists()


def test_another_users_device_is_a_404(bob_client, alice_device, push_service):
    for name in ("test", "remove"):
        url = reverse(f"notify_push:{name}", args=[alice_device.pk])
        assert bob_client.get(url).status_code in (404, 405)
        assert bob_client.post(url).status_code == 404
        assert bob_client.post(url, headers={"HX-Request": "true"}).status_code == 404
    assert PushSubscription.objects.filter(pk=alice_device.pk).exists()
    assert push_service.received == []
