"""push_send against a real local push service: the payload decrypts with the subscriber's keys,
the VAPID token checks out, and every answer of the service maps to the right outcome."""

from __future__ import annotations

import socket

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from notify.models import PushSubscription
from notify.services import push as push_module
from notify.services.errors import DeliveryError, SubscriptionGone
from notify.services.push import MAX_PAYLOAD_BYTES, push_payload, push_send
from tests.notify.push.service import Subscriber

pytestmark = pytest.mark.django_db


def _subscription(owner, subscriber) -> PushSubscription:
    keys = subscriber.as_json()["keys"]
    return PushSubscription.objects.create(
        owner=owner, endpoint=subscriber.endpoint, p256dh=keys["p256dh"], auth=keys["auth"]
    )


def test_the_message_arrives_encrypted_and_signed(alice, push_service, frozen_now):
    subscriber = push_service.subscribe("alice-phone")
    subscription = _subscription(alice, subscriber)
    push_send(
        subscription,
        title="3 people to reach out to",
        body="Amara Diallo, Bo — “jazz” & <b>tags</b> ☕",
        url="http://localhost:8000/",
    )
    (push,) = push_service.wait_for(1)
    assert push.error == ""
    assert push.path == "/push/alice-phone"
    assert push.message == {
        "title": "3 people to reach out to",
        "body": "Amara Diallo, Bo — “jazz” & <b>tags</b> ☕",
        "url": "http://localhost:8000/",
    }
    assert push.claims["aud"] == push_service.origin
    assert int(push.headers["TTL"]) == 24 * 3600
    # Only the subscriber's keys open it: the body on the wire is not the text.
    assert "Amara" not in str(push.headers)


@pytest.mark.parametrize("status", [404, 410])
def test_gone_subscriptions_raise_subscription_gone(alice, push_service, status):
    subscriber = push_service.subscribe()
    push_service.answer(subscriber, status)
    with pytest.raises(SubscriptionGone):
        push_send(_subscription(alice, subscriber), title="t", body="b", url="/")
    # push_send leaves removing it to the caller.
    assert PushSubscription.objects.filter(endpoint=subscriber.endpoint).exists()


@pytest.mark.parametrize(
    ("status", "permanent"), [(500, False), (503, False), (429, False), (403, True), (413, True)]
)
def test_other_failures_raise_delivery_error(alice, push_service, status, permanent):
    subscriber = push_service.subscribe()
    push_service.answer(subscriber, status)
    with pytest.raises(DeliveryError) as caught:
        push_send(_subscription(alice, subscriber), title="t", body="b", url="/")
    assert not isinstance(caught.value, SubscriptionGone)
    assert caught.value.permanent is permanent
    assert str(status) in str(caught.value)


def test_500_then_success(alice, push_service):
    subscriber = push_service.subscribe()
    push_service.answer(subscriber, 500)
    subscription = _subscription(alice, subscriber)
    with pytest.raises(DeliveryError):
        push_send(subscription, title="t", body="first", url="/")
    push_send(subscription, title="t", body="second", url="/")
    assert push_service.messages() == [{"title": "t", "body": "second", "url": "/"}]


def test_a_private_endpoint_is_refused_without_the_setting(alice, push_service, settings):
    subscriber = push_service.subscribe()
    subscription = _subscription(alice, subscriber)
    settings.NOTIFY_ALLOW_PRIVATE = False
    with pytest.raises(DeliveryError, match="https") as caught:
        push_send(subscription, title="t", body="b", url="/")
    assert caught.value.permanent
    subscription.endpoint = subscriber.endpoint.replace("http://", "https://")
    with pytest.raises(DeliveryError, match="private or reserved") as caught:
        push_send(subscription, title="t", body="b", url="/")
    assert push_service.received == []


def test_a_service_that_does_not_answer(alice, settings, monkeypatch):
    settings.NOTIFY_ALLOW_PRIVATE = True
    # A listening socket that never answers: the send gives up instead of hanging a worker.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    keys = Subscriber("", ec.generate_private_key(ec.SECP256R1()), b"0" * 16).as_json()["keys"]
    subscription = PushSubscription(
        owner=alice,
        endpoint=f"http://127.0.0.1:{silent.getsockname()[1]}/push/x",
        p256dh=keys["p256dh"],
        auth=keys["auth"],
    )
    monkeypatch.setattr(push_module, "READ_TIMEOUT_SECONDS", 1)
    try:
        with pytest.raises(DeliveryError, match="did not answer in time") as caught:
            push_send(subscription, title="t", body="b", url="/")
    finally:
        silent.close()
    assert not caught.value.permanent


def test_bad_keys_are_a_permanent_error(alice, push_service):
    subscriber = push_service.subscribe()
    subscription = _subscription(alice, subscriber)
    subscription.p256dh = "AAAA"
    with pytest.raises(DeliveryError, match="keys") as caught:
        push_send(subscription, title="t", body="b", url="/")
    assert caught.value.permanent


def test_a_long_digest_is_shortened_to_fit():
    data = push_payload(title="Today", body="Ana, " * 2000, url="/")
    assert len(data) <= MAX_PAYLOAD_BYTES
    assert data.decode().count("Ana") > 100


def test_an_endpoint_vapid_cannot_sign_for_is_a_permanent_error(alice, push_service):
    subscriber = push_service.subscribe()
    subscription = _subscription(alice, subscriber)
    subscription.endpoint = "http://[::1]:9/push/x"
    with pytest.raises(DeliveryError, match="cannot be signed") as caught:
        push_send(subscription, title="t", body="b", url="/")
    assert caught.value.permanent
