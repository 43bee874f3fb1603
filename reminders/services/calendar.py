"""The private calendar feed's address (reminders/calendar.py writes the feed itself)."""

from __future__ import annotations

import secrets

from accounts.models import UserSettings


def calendar_token_regenerate(*, user_settings: UserSettings) -> UserSettings:
    """A new secret address for the feed; the old one stops working at once."""
    user_settings.calendar_token = secrets.token_urlsafe(32)
    user_settings.save(update_fields=["calendar_token"])
    return user_settings
