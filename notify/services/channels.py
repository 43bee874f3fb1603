"""Channels: a user's Apprise targets (Telegram, ntfy, Signal, Matrix …).

The URL is checked when it is saved and again at every send (the allow-list or the instance's
private-address rule may have changed, and a name may now resolve elsewhere), stored encrypted
(notify/secrets.py) and shown back only as Apprise's privacy form (``url_hint``), never in full:
not on a page, not in the admin, not in the JSON backup (docs/architecture.md "Notifications").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import threading
from urllib.parse import unquote, urlsplit

import apprise
from django.conf import settings
from django.db import transaction
from urllib3.util import connection as urllib3_connection

from network_crm.outbound import AddressRefused, connect_pinned, public_addresses
from notify import secrets
from notify.models import Channel
from notify.services.errors import DeliveryError
from notify.services.targets import target_mark

# Short timeouts: a send runs inside a web request ("Send a test") or a worker's claim, which must
# outlast it (the claim timeout is the delivery engine's).
CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 10.0
URL_MAX_LENGTH = 1000

# Plugins whose URL names no server of the user's: they talk to their service's fixed public
# API (api.telegram.org, discord.com …), and what looks like a host in their URL is a token.
_CLOUD_PLUGINS = {
    "NotifyTelegram",
    "NotifyDiscord",
    "NotifySlack",
    "NotifyPushover",
    "NotifyMSTeams",
}
_CONTROL = re.compile(r"[\x00-\x20\x7f]")

logger = logging.getLogger(__name__)


class ChannelUrlError(ValueError):
    """A URL we will not store or send to; the message says why, in words for the owner."""


def _scheme(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def channel_plugin(url: str):
    """The Apprise plugin for ``url``, or ChannelUrlError: the scheme must be on the instance's
    allow-list (NOTIFY_SCHEMES) and Apprise must be able to read the rest."""
    url = url.strip()
    if not url:
        raise ChannelUrlError("Enter the channel's Apprise URL.")
    if len(url) > URL_MAX_LENGTH:
        raise ChannelUrlError(f"That URL is too long (at most {URL_MAX_LENGTH} characters).")
    if _CONTROL.search(url):
        raise ChannelUrlError("The URL cannot contain spaces or control characters.")
    scheme = _scheme(url)
    if not scheme:
        raise ChannelUrlError("The URL must start with a service, like tgram:// or ntfys://.")
    if scheme not in settings.NOTIFY_SCHEMES:
        allowed = ", ".join(f"{name}://" for name in settings.NOTIFY_SCHEMES)
        raise ChannelUrlError(f"“{scheme[:20]}://” is not offered here. Allowed: {allowed}.")
    try:
        url.encode("utf-8")
        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    except (UnicodeError, ValueError, TypeError):
        # Text no URL can hold (a lone surrogate), or a corner of Apprise's parser.
        plugin = None
    if plugin is None:
        raise ChannelUrlError(
            f"This {scheme}:// URL could not be read: a part is missing or malformed. "
            "Compare it with the examples."
        )
    # Never follow a redirect or a Matrix server's discovery to a host we did not check.
    plugin.redirects = False
    if hasattr(plugin, "discovery"):
        plugin.discovery = False
    # One attempt per send: the delivery engine retries, with backoff, outside the request.
    plugin.retry = 0
    plugin.socket_connect_timeout = CONNECT_TIMEOUT_SECONDS
    plugin.socket_read_timeout = READ_TIMEOUT_SECONDS
    return plugin


def channel_host(plugin) -> tuple[str, int] | None:
    """The server of the user's that ``plugin`` connects to, or None for a cloud service."""
    kind = type(plugin).__name__
    if kind in _CLOUD_PLUGINS or getattr(plugin, "mode", None) == "cloud":
        return None
    if kind == "NotifyZulip":
        host = f"{plugin.organization}.{plugin.hostname}"
    else:
        host = getattr(plugin, "smtp_host", None) or plugin.host
    if not host:
        return None
    default_port = 443 if getattr(plugin, "secure", False) else 80
    return host.strip("[]"), int(plugin.port or default_port)


def channel_check_address(plugin) -> tuple[str, list[str]] | None:
    """The plugin's server and the addresses it resolved to, None for a cloud service, or
    ChannelUrlError if one is private, loopback or reserved (unless the instance allows it:
    NOTIFY_ALLOW_PRIVATE), or the name cannot be found."""
    target = channel_host(plugin)
    if target is None:
        return None
    try:
        addresses = public_addresses(
            *target, allow_private=settings.NOTIFY_ALLOW_PRIVATE, setting="NOTIFY_ALLOW_PRIVATE"
        )
    except AddressRefused as exc:
        raise ChannelUrlError(str(exc)) from None
    return target[0], addresses


# Connections Apprise makes (through requests/urllib3) from a thread that is sending to a
# checked server go only to the addresses just checked, so DNS cannot switch to a private
# address between the check and the connect. Other threads, and cloud channels, are untouched.
_pins = threading.local()


def _pinned_create_connection(original):
    def create_connection(address, *args, **kwargs):
        pinned = getattr(_pins, "server", None)
        if pinned is None:
            return original(address, *args, **kwargs)
        host, addresses = pinned
        if address[0].strip("[]").rstrip(".").lower() != host.rstrip(".").lower():
            raise OSError(f"Connection to {address[0]} refused: only {host} was checked.")
        timeout = args[0] if args else kwargs.get("timeout")
        return connect_pinned(host, addresses)(address, timeout)

    create_connection.pins_channels = True
    return create_connection


def _install_pinning() -> None:
    current = urllib3_connection.create_connection
    if not getattr(current, "pins_channels", False):
        urllib3_connection.create_connection = _pinned_create_connection(current)


@contextlib.contextmanager
def _pinned(server: tuple[str, list[str]] | None):
    _install_pinning()
    _pins.server = server
    try:
        yield
    finally:
        _pins.server = None


def channel_validate(url: str):
    plugin = channel_plugin(url)
    channel_check_address(plugin)
    return plugin


def _mask(text: str) -> str:
    return f"{text[:2]}…{text[-1:]}" if len(text) > 4 else "…"


def _hint(plugin) -> str:
    """Apprise's privacy form, which elides passwords and tokens; the query (its defaults) is
    noise. An ntfy topic is its only secret (anyone who knows it reads along): masked too."""
    hint = plugin.url(privacy=True).split("?", 1)[0]
    if type(plugin).__name__ == "NotifyNtfy":
        scheme, _, rest = hint.partition("://")
        parts = rest.split("/")
        first = 0 if plugin.mode == "cloud" else 1
        parts[first:] = [_mask(part) if part else part for part in parts[first:]]
        hint = f"{scheme}://{'/'.join(parts)}"
    return hint[:300]


def _secrets_of(url: str) -> list[str]:
    """The parts of ``url`` that may be secret (user, password, path and query pieces), longest
    first, to scrub from an error message before it is stored and shown."""
    try:
        parts = urlsplit(url)
        text, hostname = f"{parts.netloc}/{parts.path}?{parts.query}", parts.hostname or ""
    except ValueError:  # e.g. an unclosed IPv6 bracket: scrub every piece of it
        text, hostname = url.partition("://")[2], ""
    pieces = {unquote(piece) for piece in re.split(r"[/:@?&=#,+]", text) if len(piece) >= 4}
    pieces.discard(hostname)
    return sorted(pieces, key=len, reverse=True)


def scrub(message: str, url: str) -> str:
    for secret in _secrets_of(url):
        message = message.replace(secret, "…")
    return message


@transaction.atomic
def channel_create(*, owner, name: str, url: str, enabled: bool = True) -> Channel:
    plugin = channel_validate(url)
    return Channel.objects.create(
        owner=owner,
        name=(name.strip() or plugin.service_name)[:80],
        scheme=_scheme(url.strip()),
        url_encrypted=secrets.encrypt(url.strip()),
        url_hint=_hint(plugin),
        enabled=enabled,
    )


def channel_update(*, channel: Channel, name: str, url: str = "", enabled: bool) -> Channel:
    """Rename, switch on or off, and (when ``url`` is given) replace the URL; a blank ``url``
    keeps the stored one, which is never shown back to be edited."""
    fields = {"name": name.strip()[:80] or channel.name, "enabled": enabled}
    if url.strip():
        plugin = channel_validate(url)
        fields |= {
            "scheme": _scheme(url.strip()),
            "url_encrypted": secrets.encrypt(url.strip()),
            "url_hint": _hint(plugin),
            # A new address starts with a clean record.
            "last_error": "",
        }
    for field, value in fields.items():
        setattr(channel, field, value)
    channel.save(update_fields=list(fields))
    return channel


def channel_enable(*, channel: Channel, enabled: bool) -> Channel:
    channel.enabled = enabled
    channel.save(update_fields=["enabled"])
    return channel


def channel_delete(*, channel: Channel) -> None:
    channel.delete()


class _ThreadWarnings(logging.Handler):
    """Apprise's warnings (its only account of why a send failed) from this thread alone: the
    logger is global, and another thread's message may name another user's target."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage().strip())


@contextlib.contextmanager
def _warnings_of_this_thread():
    apprise_logger = apprise.logger
    handler = _ThreadWarnings()
    apprise_logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        apprise_logger.removeHandler(handler)


def channel_send(channel: Channel, *, title: str, body: str, url: str) -> None:
    """Send one message to ``channel`` through Apprise, or raise DeliveryError (permanent when
    trying again cannot help). The caller records the outcome (target_mark)."""
    try:
        target = secrets.decrypt(channel.url_encrypted)
    except secrets.InvalidToken:
        raise DeliveryError(
            "The channel's address can no longer be read (the notification key changed); "
            "enter its URL again.",
            permanent=True,
        ) from None
    try:
        plugin = channel_plugin(target)
    except ChannelUrlError as exc:
        raise DeliveryError(str(exc), permanent=True) from None
    try:
        server = channel_check_address(plugin)
    except ChannelUrlError as exc:
        # A name that no longer resolves may come back; a private address is refused for good
        # only while the instance says so, which an admin may change: retry either way.
        raise DeliveryError(str(exc)) from None
    text = f"{body}\n\n{url}".strip() if url else body
    with _warnings_of_this_thread() as warnings, _pinned(server):
        try:
            sent = plugin.notify(body=text, title=title)
        except Exception as exc:  # a plugin bug must not take the worker down
            logger.warning("Apprise %s raised %s", type(plugin).__name__, type(exc).__name__)
            sent = False
    if not sent:
        reason = warnings[-1] if warnings else "The service did not accept the message."
        raise DeliveryError(scrub(reason, target))


def channel_test(*, channel: Channel, now: dt.datetime) -> str | None:
    """Send the test message now and record it on the channel: None, or the error's text."""
    try:
        channel_send(
            channel,
            title="network-crm: test",
            body=f"This is a test from network-crm: “{channel.name}” works.",
            url=settings.SITE_URL.rstrip("/") + "/" if getattr(settings, "SITE_URL", "") else "",
        )
    except DeliveryError as exc:
        target_mark(channel, now=now, error=str(exc))
        return str(exc)
    target_mark(channel, now=now, error=None)
    return None
