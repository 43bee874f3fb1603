"""The API's sections on the settings page accounts owns (network_crm/sections.py)."""

from __future__ import annotations

from api import tokens_sections, webhooks_sections


def register() -> None:
    tokens_sections.register()
    webhooks_sections.register()
