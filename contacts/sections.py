"""Contacts' parts of pages owned by lower apps (network_crm/sections.py)."""

from __future__ import annotations

from network_crm.sections import section_register


def register() -> None:
    # "Your interests" are set on the interests page; settings points there.
    section_register(
        page="settings",
        name="interests",
        template="contacts/_settings_interests.html",
        context=lambda **kwargs: {},
        order=20,
    )
