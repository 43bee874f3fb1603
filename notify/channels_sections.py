"""Settings → notifications: the channels section on the settings page (network_crm/sections.py)."""

from __future__ import annotations


def register() -> None:
    pass
