"""Webhooks: registration with the SSRF check, events turned into delivery rows on commit, and
the worker's claim → signed POST → delivered / retry with backoff / failed
(docs/architecture.md, "Webhooks"; docs/decisions/0010-webhooks.md).

Delivery is at least once: a worker that dies after the receiver answered and before the row is
marked leaves a stale claim, reclaimed after CLAIM_TIMEOUT and sent again with the same
``X-Network-CRM-Delivery``; receivers de-duplicate on it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import json
import secrets
import uuid
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from api.models import Webhook, WebhookDelivery
from network_crm import outbound
from network_crm.outbound import AddressRefused

if TYPE_CHECKING:
    from accounts.models import User

# After the first attempt fails, the next ones wait this long; after the last, the delivery fails.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
SEND_TIMEOUT_SECONDS = 5.0
# A delivery claimed longer ago than this belongs to a worker that died: it is sent again.
CLAIM_TIMEOUT = dt.timedelta(minutes=2)
# Delivered and failed rows are kept this long for the webhook's page, then purged.
DELIVERIES_KEPT_FOR = dt.timedelta(days=30)
DUE_BATCH = 500
USER_AGENT = "network-crm-webhooks/1"

EVENT_CHOICES = Webhook.Event


class WebhookUrlError(AddressRefused):
    """A URL we will not send to; the message says why, in words for the owner."""


# --- Registration ----------------------------------------------------------------------------


def webhook_url_check(url: str) -> tuple[str, int, list[str]]:
    """Check ``url`` as we would send to it now: http(s), a host that resolves, and (unless
    WEBHOOKS_ALLOW_PRIVATE) only to public addresses. Returns (host, port, addresses)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise WebhookUrlError("Enter a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise WebhookUrlError("Only http:// and https:// URLs can receive webhooks.")
    if not parts.hostname:
        raise WebhookUrlError("Enter a URL with a host name.")
    if parts.username or parts.password:
        raise WebhookUrlError("Put no user name or password in the URL; verify the signature.")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = outbound.public_addresses(
            parts.hostname,
            port,
            allow_private=settings.WEBHOOKS_ALLOW_PRIVATE,
            setting="WEBHOOKS_ALLOW_PRIVATE",
        )
    except outbound.AddressRefused as exc:
        raise WebhookUrlError(str(exc)) from None
    return parts.hostname, port, addresses


def webhook_events_clean(events) -> list[str]:
    valid = set(EVENT_CHOICES.values)
    if not isinstance(events, list | tuple) or not events:
        raise WebhookUrlError("Choose at least one event.")
    unknown = [event for event in events if event not in valid]
    if unknown:
        raise WebhookUrlError(f"Unknown event “{unknown[0]}”.")
    return [event for event in EVENT_CHOICES.values if event in set(events)]


def webhook_create(
    *, owner: User, url: str, events: list[str], name: str = "", is_active: bool = True
) -> Webhook:
    """Register a webhook; raises WebhookUrlError for a URL we would not send to."""
    webhook_url_check(url)
    return Webhook.objects.create(
        owner=owner,
        name=name,
        url=url,
        events=webhook_events_clean(events),
        is_active=is_active,
        secret=secrets.token_hex(32),
    )


def webhook_update(*, webhook: Webhook, **fields) -> Webhook:
    """Change name, url, events or is_active; a new URL is checked like a new webhook's."""
    if "url" in fields and fields["url"] != webhook.url:
        webhook_url_check(fields["url"])
    if "events" in fields:
        fields["events"] = webhook_events_clean(fields["events"])
    for name, value in fields.items():
        setattr(webhook, name, value)
    webhook.save()
    return webhook


def webhook_secret_rotate(*, webhook: Webhook) -> Webhook:
    webhook.secret = secrets.token_hex(32)
    webhook.save(update_fields=["secret"])
    return webhook


def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()  # its deliveries go with it (CASCADE)


# --- Events ----------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def contact_ref(contact_id: int, name: str) -> dict:
    """A person as events name them: enough to find them, never their details."""
    return {
        "id": contact_id,
        "name": name,
        "url": _absolute(reverse("contacts:detail", args=[contact_id])),
        "api_url": _absolute(f"/api/v1/contacts/{contact_id}/"),
    }


def webhook_events_record(
    *, owner_id: int, event: str, items: list[dict], now: dt.datetime
) -> list[int]:
    """One delivery per (item, subscribed active webhook) of the owner; returns their ids.

    Called on commit of the change that caused the event (api/receivers.py), so a rolled-back
    change sends nothing. Each delivery has its own event id (the receiver's de-duplication key).
    """
    hooks = [
        hook
        for hook in Webhook.objects.filter(owner_id=owner_id, is_active=True).only("pk", "events")
        if event in hook.events
    ]
    if not hooks or not items:
        return []
    created_at = now.isoformat()
    deliveries = []
    for hook in hooks:
        for data in items:
            event_id = uuid.uuid4()
            payload = {"id": str(event_id), "event": event, "created_at": created_at, "data": data}
            deliveries.append(
                WebhookDelivery(
                    owner_id=owner_id,
                    webhook=hook,
                    event=event,
                    event_id=event_id,
                    payload=payload,
                    next_attempt_at=now,
                )
            )
    created = WebhookDelivery.objects.bulk_create(deliveries)
    if any(delivery.pk is None for delivery in created):  # a backend without RETURNING
        ids = [delivery.event_id for delivery in deliveries]
        return list(WebhookDelivery.objects.filter(event_id__in=ids).values_list("pk", flat=True))
    return [delivery.pk for delivery in created]


# --- Signing and sending ---------------------------------------------------------------------


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=`` + hex HMAC-SHA256(secret, "{timestamp}.{raw body}") (README, "Webhooks")."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def delivery_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


class DeliveryError(Exception):
    """The attempt failed; the message is shown on the webhook's page."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to ``url`` at an address checked just now (so DNS cannot be switched to a private
    one between check and connect), without following redirects. Returns the status code."""
    try:
        host, port, addresses = webhook_url_check(url)
    except WebhookUrlError as exc:
        raise DeliveryError(str(exc)) from None
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(host, port, timeout=SEND_TIMEOUT_SECONDS)

    connection._create_connection = outbound.connect_pinned(host, addresses)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4096)
        return response.status
    except TimeoutError:
        raise DeliveryError(f"No answer within {SEND_TIMEOUT_SECONDS:g} seconds.") from None
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"Could not connect: {type(exc).__name__}: {exc}"[:300]) from None
    finally:
        connection.close()


def _attempt(delivery: WebhookDelivery, now: dt.datetime) -> int:
    body = delivery_body(delivery)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Network-CRM-Event": delivery.event,
        "X-Network-CRM-Delivery": str(delivery.event_id),
        "X-Network-CRM-Timestamp": str(timestamp),
        "X-Network-CRM-Signature": webhook_signature(
            secret=delivery.webhook.secret, timestamp=timestamp, body=body
        ),
    }
    status = _post(delivery.webhook.url, body, headers)
    if 200 <= status < 300:
        return status
    if 300 <= status < 400:
        raise DeliveryError(f"Answered {status}: redirects are not followed.", status)
    raise DeliveryError(f"Answered {status}.", status)


def delivery_claim(*, delivery_id: int, now: dt.datetime) -> bool:
    """pending and due → sending, for one worker only (a conditional UPDATE)."""
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        ).update(status=WebhookDelivery.Status.SENDING, claimed_at=now)
    )


def delivery_send(*, delivery_id: int, now: dt.datetime) -> str:
    """Claim, POST, mark delivered or schedule the next attempt. Returns the outcome."""
    if not delivery_claim(delivery_id=delivery_id, now=now):
        return "not claimable"
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    attempts = delivery.attempts + 1
    mine = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.SENDING, claimed_at=now
    )
    if not delivery.webhook.is_active:
        mine.update(status=WebhookDelivery.Status.FAILED, last_error="The webhook was turned off.")
        return "failed"
    try:
        status = _attempt(delivery, now)
    except DeliveryError as exc:
        gave_up = attempts > len(BACKOFF)
        mine.update(
            status=WebhookDelivery.Status.FAILED if gave_up else WebhookDelivery.Status.PENDING,
            attempts=attempts,
            last_status_code=exc.status_code,
            last_error=str(exc)[:300],
            next_attempt_at=now if gave_up else now + BACKOFF[attempts - 1],
            claimed_at=None,
        )
        return "failed" if gave_up else "retry"
    mine.update(
        status=WebhookDelivery.Status.DELIVERED,
        attempts=attempts,
        last_status_code=status,
        last_error="",
        delivered_at=now,
        claimed_at=None,
    )
    return "delivered"


def deliveries_due(*, now: dt.datetime) -> list[int]:
    """Reclaim stale claims, then the ids of deliveries due now (oldest first), for the beat
    task to enqueue. Enqueuing one twice is harmless: only one claim succeeds."""
    with transaction.atomic():
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
        ).update(
            status=WebhookDelivery.Status.PENDING,
            claimed_at=None,
            last_error="The worker stopped while sending; sent again.",
        )
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )


def deliveries_purge(*, now: dt.datetime) -> int:
    deleted, _ = WebhookDelivery.objects.filter(
        status__in=[WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED],
        created_at__lt=now - DELIVERIES_KEPT_FOR,
    ).delete()
    return deleted


def webhook_deliveries(*, webhook: Webhook):
    return WebhookDelivery.objects.filter(owner=webhook.owner, webhook=webhook)
