"""Sections this part of giving adds to other apps' pages (network_crm/sections.py)."""


def register() -> None:
    """Called from GivingConfig.ready()."""
