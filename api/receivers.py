"""Webhook events from the signals of the apps below (docs/architecture.md, "The API")."""

from __future__ import annotations


def connect() -> None:
    pass
