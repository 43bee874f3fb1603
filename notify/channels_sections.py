"""Settings → notifications: the channels section on the settings page (network_crm/sections.py)."""

from __future__ import annotations

from network_crm.sections import section_register


def _channels(*, request, **kwargs) -> dict:
    from notify.models import Channel

    channels = Channel.objects.filter(owner=request.user)
    return {"channel_count": channels.count(), "channels_on": channels.filter(enabled=True).count()}


def register() -> None:
    section_register(
        page="settings",
        name="channels",
        template="notify/channels/_settings_channels.html",
        context=_channels,
        order=35,
    )
