"""The browsers a user has subscribed to Web Push: subscribe (upsert by endpoint), unsubscribe,
remove, and the "Send a test" button (docs/architecture.md "Notifications")."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec
from django.db import IntegrityError, transaction

from accounts.models import User
from notify.models import Delivery, PushSubscription
from notify.services.errors import DeliveryError, SubscriptionGone
from notify.services.push import EndpointRefused, push_endpoint_check, push_send
from notify.services.targets import target_mark

# More would be a script, not a person's devices; each costs a name lookup per digest.
MAX_SUBSCRIPTIONS = 20
MAX_ENDPOINT_LENGTH = 2000


class SubscriptionRefused(ValueError):
    """A subscription we cannot keep; the message says why, in words for the owner."""


def _b64decode(value: str) -> bytes:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_\-]+=*", value or ""):
        raise ValueError("not urlsafe base64")
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def push_keys_check(*, p256dh: str, auth: str) -> None:
    """RFC 8291 §3: p256dh is an uncompressed P-256 point (65 bytes), auth 16 random bytes."""
    try:
        point = _b64decode(p256dh)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        if len(point) != 65:
            raise ValueError("not an uncompressed point")
        if len(_b64decode(auth)) != 16:
            raise ValueError("auth is not 16 bytes")
    except (ValueError, binascii.Error):
        raise SubscriptionRefused("The browser's push keys are not valid.") from None


BROWSERS = [
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
]


def push_label(user_agent: str) -> str:
    """ "Chrome on Android" from a User-Agent, so the owner can tell their devices apart."""
    user_agent = user_agent or ""
    browser = next((name for token, name in BROWSERS if token in user_agent), "A browser")
    system = next((name for token, name in SYSTEMS if token in user_agent), "")
    return f"{browser} on {system}" if system else browser


@dataclass(frozen=True)
class Subscribed:
    subscription: PushSubscription
    created: bool


def push_subscribe(
    *, owner: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> Subscribed:
    """Keep (or refresh) this browser's subscription for ``owner``. A browser has one endpoint:
    if it was another user's (someone else signed in on this device), it moves to ``owner``, and
    what was still waiting for the other user there is dropped, never shown to ``owner``."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise SubscriptionRefused("The push address is missing or too long.")
    push_keys_check(p256dh=p256dh, auth=auth)
    try:
        push_endpoint_check(endpoint)
    except EndpointRefused as exc:
        raise SubscriptionRefused(str(exc)) from None
    fields = {"p256dh": p256dh, "auth": auth, "label": push_label(user_agent)[:120]}
    for _ in range(2):
        try:
            with transaction.atomic():
                return _upsert(owner=owner, endpoint=endpoint, fields=fields)
        except IntegrityError:
            continue  # the same browser subscribed twice at once: the other insert won.
    raise SubscriptionRefused("This device is being subscribed already; reload the page.")


def _upsert(*, owner: User, endpoint: str, fields: dict) -> Subscribed:
    existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if existing is not None and existing.owner_id == owner.pk:
        PushSubscription.objects.filter(pk=existing.pk).update(last_error="", **fields)
        existing.refresh_from_db()
        return Subscribed(existing, created=False)
    if PushSubscription.objects.filter(owner=owner).count() >= MAX_SUBSCRIPTIONS:
        raise SubscriptionRefused(
            f"You have {MAX_SUBSCRIPTIONS} devices already; remove one you no longer use."
        )
    if existing is not None:
        Delivery.objects.filter(
            subscription=existing, state__in=[Delivery.State.PENDING, Delivery.State.SENDING]
        ).update(state=Delivery.State.GONE, last_error="The device moved to another account.")
        existing.delete()
    subscription = PushSubscription.objects.create(owner=owner, endpoint=endpoint, **fields)
    return Subscribed(subscription, created=True)


def push_unsubscribe(*, owner: User, endpoint: str) -> bool:
    """The browser turned notifications off: forget its subscription (only ``owner``'s)."""
    if not isinstance(endpoint, str) or not endpoint:
        return False
    deleted, _ = PushSubscription.objects.filter(owner=owner, endpoint=endpoint).delete()
    return bool(deleted)


def push_subscription_delete(*, subscription: PushSubscription) -> None:
    subscription.delete()


TEST_TITLE = "network-crm"
TEST_BODY = "Notifications reach this device. Your daily digest will arrive like this."


@dataclass(frozen=True)
class TestOutcome:
    sent: bool
    gone: bool
    message: str


def push_test(*, subscription: PushSubscription, url: str, now: dt.datetime) -> TestOutcome:
    """Send a test push now, in the request, and record the outcome on the device's row; a
    device the push service no longer knows is removed, as a digest would remove it."""
    name = str(subscription)
    try:
        push_send(subscription, title=TEST_TITLE, body=TEST_BODY, url=url)
    except SubscriptionGone:
        subscription.delete()
        return TestOutcome(
            False, True, f"“{name}” is no longer subscribed (its browser said so): removed."
        )
    except DeliveryError as exc:
        target_mark(subscription, now=now, error=str(exc))
        return TestOutcome(False, False, f"The test to “{name}” was not sent: {exc}")
    target_mark(subscription, now=now, error=None)
    return TestOutcome(True, False, f"Test sent to “{name}”. It should show in a moment.")
