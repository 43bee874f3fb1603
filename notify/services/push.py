"""Web Push to one subscribed browser (RFC 8030 delivery, RFC 8291 aes128gcm encryption through
pywebpush, RFC 8292 VAPID): docs/architecture.md "Notifications".

The endpoint is a URL the browser gave us, so it is checked like any URL a user typed: https and
on a public address (unless NOTIFY_ALLOW_PRIVATE), at subscribe and again at send, and the
connection goes to the addresses just checked (network_crm/outbound.py).
"""

from __future__ import annotations

import http.client
import json
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from pywebpush import WebPusher, WebPushException

from network_crm import outbound
from notify.models import PushSubscription
from notify.services.errors import DeliveryError, SubscriptionGone
from notify.services.vapid import vapid_headers

CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 10
# A digest missed for a day is stale; the push service may drop it after that (RFC 8030 §5.2).
TTL_SECONDS = 24 * 60 * 60
# RFC 8030 §5.2: 4096 bytes of payload are guaranteed; leave room for the encryption header.
MAX_PAYLOAD_BYTES = 3000


class EndpointRefused(ValueError):
    """An endpoint we will not send to; the message says why, in words for the owner."""


def push_endpoint_check(endpoint: str) -> tuple[str, int, list[str]]:
    """(host, port, addresses) of ``endpoint`` if we would send to it now, else EndpointRefused."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        raise EndpointRefused("The push address is not a valid URL.") from None
    allow_private = settings.NOTIFY_ALLOW_PRIVATE
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise EndpointRefused("The push address must be an https:// URL.")
    if not parts.hostname or parts.username or parts.password:
        raise EndpointRefused("The push address must name a host, without user or password.")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = outbound.public_addresses(
            parts.hostname, port, allow_private=allow_private, setting="NOTIFY_ALLOW_PRIVATE"
        )
    except outbound.AddressRefused as exc:
        raise EndpointRefused(str(exc)) from None
    return parts.hostname, port, addresses


def push_payload(*, title: str, body: str, url: str) -> bytes:
    """What the service worker reads (static/js/sw-push.js): JSON with title, body and url,
    the body shortened to fit the size every push service accepts."""
    message = {"title": title[:200], "body": body, "url": url[:500]}
    data = json.dumps(message, ensure_ascii=False).encode()
    while len(data) > MAX_PAYLOAD_BYTES and message["body"]:
        message["body"] = message["body"][: max(0, len(message["body"]) - 200)].rstrip() + "…"
        if len(message["body"]) <= 1:
            message["body"] = ""
        data = json.dumps(message, ensure_ascii=False).encode()
    return data


def _post(endpoint: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    try:
        host, port, addresses = push_endpoint_check(endpoint)
    except EndpointRefused as exc:
        raise DeliveryError(str(exc), permanent=True) from None
    parts = urlsplit(endpoint)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(host, port, timeout=READ_TIMEOUT_SECONDS)
    pinned = outbound.connect_pinned(host, addresses)

    def connect(address, timeout=None, source_address=None, **kwargs) -> socket.socket:
        sock = pinned(address, CONNECT_TIMEOUT_SECONDS, source_address)
        sock.settimeout(READ_TIMEOUT_SECONDS)
        return sock

    connection._create_connection = connect
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(2000).decode("utf-8", "replace")
        return response.status, text
    except TimeoutError:
        raise DeliveryError("The push service did not answer in time.") from None
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"Could not reach the push service: {type(exc).__name__}.") from None
    finally:
        connection.close()


def push_send(subscription: PushSubscription, *, title: str, body: str, url: str) -> None:
    """Encrypt the message for ``subscription`` and hand it to its push service.

    Raises SubscriptionGone (404/410: the browser is no longer subscribed) or DeliveryError;
    the caller removes the subscription and records the outcome (target_mark)."""
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    try:
        encrypted = WebPusher(info).encode(push_payload(title=title, body=body, url=url))
    except (WebPushException, ValueError, TypeError):
        raise DeliveryError(
            "The device's keys are not valid: turn notifications off and on again there.",
            permanent=True,
        ) from None
    try:
        signed = vapid_headers(endpoint=subscription.endpoint, now=timezone.now())
    except ValueError:
        raise DeliveryError("This push address cannot be signed for.", permanent=True) from None
    headers = {
        "Content-Type": "application/octet-stream",
        "Content-Encoding": "aes128gcm",
        "TTL": str(TTL_SECONDS),
        "Urgency": "normal",
        **signed,
    }
    status, text = _post(subscription.endpoint, encrypted["body"], headers)
    if 200 <= status < 300:
        return
    if status in (404, 410):
        raise SubscriptionGone()
    if status in (401, 403):
        # The subscription was made with another VAPID key (the key changed): only a new
        # subscription on the device helps.
        raise DeliveryError(
            f"The push service refused our key ({status}): turn notifications off and on "
            "again on that device.",
            permanent=True,
        )
    if status in (400, 413):
        raise DeliveryError(f"The push service refused the message ({status}).", permanent=True)
    if status == 429:
        raise DeliveryError("The push service asked us to slow down (429); will retry.")
    raise DeliveryError(f"The push service answered {status}.")
