"""Settings → "API tokens" and "Webhooks" on the settings page accounts owns (network_crm/sections.py)."""

from __future__ import annotations


def register() -> None:
    pass
