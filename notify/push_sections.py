"""Settings → "Notifications on this device": the section on the settings page
(network_crm/sections.py) and the context its page shares with it."""

from __future__ import annotations

import hashlib

from network_crm.sections import section_register
from notify.models import PushSubscription
from notify.services.vapid import vapid_public_key


def push_context(*, request, **kwargs) -> dict:
    """The owner's devices, each with the SHA-256 of its endpoint so static/js/push.js can mark
    "this device" without the page carrying the endpoints (capability URLs) themselves."""
    devices = [
        {
            "subscription": subscription,
            "key": hashlib.sha256(subscription.endpoint.encode()).hexdigest(),
        }
        for subscription in PushSubscription.objects.filter(owner=request.user)
    ]
    return {"push_devices": devices, "vapid_public_key": vapid_public_key()}


def register() -> None:
    section_register(
        page="settings",
        name="push",
        template="notify/push/_settings_push.html",
        context=push_context,
        order=21,
    )
