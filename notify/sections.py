"""Settings → notifications: the sections on the settings page (network_crm/sections.py)."""

from __future__ import annotations

from notify import channels_sections, push_sections


def register() -> None:
    channels_sections.register()
    push_sections.register()
