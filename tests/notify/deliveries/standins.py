"""Senders for the delivery engine's tests while A's channel_send and C's push_send are not on
this branch (contract: notify.services.channels / notify.services.push). They go over real HTTP
to a receiver on loopback: channels through Apprise's json:// exactly as channel_send will, push
as a plain POST of the fixed text. ``install()`` registers them only where the real module is
missing, so once the territories are merged the channel tests run against the real
channel_send. The push stand-in is always used: these tests are about the engine (rows, claims,
backoff, gone devices), and C's tests (tests/notify/push/) check the real push_send on the wire
against a push service that decrypts the payload; their subscriptions need real keys.

The stand-in channel keeps its Apprise URL in ``url_encrypted`` unencrypted (test data only):
conftest.make_channel encrypts it with notify.secrets when that exists.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import types
import urllib.error
import urllib.request

from notify.services.errors import DeliveryError, SubscriptionGone


def channel_send(channel, *, title: str, body: str, url: str) -> None:
    import apprise

    target = apprise.Apprise()
    if not target.add(channel.url_encrypted):
        raise DeliveryError("Apprise cannot read this URL.", permanent=True)
    if not target.notify(title=title, body=f"{body}\n{url}"):
        raise DeliveryError("The channel did not take the message.")


def push_send(subscription, *, title: str, body: str, url: str) -> None:
    data = json.dumps({"title": title, "body": body, "url": url}).encode()
    request = urllib.request.Request(
        subscription.endpoint, data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 410):
            raise SubscriptionGone() from None
        raise DeliveryError(f"The push service answered {exc.code}.") from None
    except OSError as exc:
        raise DeliveryError(f"Could not reach the push service: {exc}") from None


def real(module: str) -> bool:
    return module in sys.modules or importlib.util.find_spec(module) is not None


def install(monkeypatch=None) -> None:
    """Register the channel stand-in where the real module is missing, and the push stand-in
    (on the real module when it exists, so the rest of it still imports). With ``monkeypatch``
    (a test), everything is undone after the test; without (a subprocess), it stays."""
    import importlib

    for name, function, always in (
        ("notify.services.channels", channel_send, False),
        ("notify.services.push", push_send, True),
    ):
        if real(name):
            if always:
                module = importlib.import_module(name)
                if monkeypatch is not None:
                    monkeypatch.setattr(module, function.__name__, function)
                else:
                    setattr(module, function.__name__, function)
            continue
        module = types.ModuleType(name)
        setattr(module, function.__name__, function)
        if monkeypatch is not None:
            monkeypatch.setitem(sys.modules, name, module)
        else:
            sys.modules[name] = module
