"""When each user's digest is owed, in UTC, from their zone, hour, frequency and weekday."""

from __future__ import annotations

import datetime as dt

from accounts.models import UserSettings
from network_crm.clock import local_date
from reminders.models import Digest


def digest_time_on(*, day: dt.date, user_settings: UserSettings) -> dt.datetime | None:
    """When ``day``'s digest is due, in UTC, or None when no digest is owed that day.

    A digest hour that falls in a DST gap maps to the first moment after it (zoneinfo's fold=0
    uses the offset before the jump); in a repeated hour, the first of the two.
    """
    if user_settings.digest_frequency == UserSettings.Frequency.OFF:
        return None
    if (
        user_settings.digest_frequency == UserSettings.Frequency.WEEKLY
        and day.weekday() != user_settings.digest_weekday
    ):
        return None
    local = dt.datetime.combine(day, dt.time(user_settings.digest_hour), tzinfo=user_settings.zone)
    return local.astimezone(dt.UTC)


def digest_next_at(*, user_settings: UserSettings, from_day: dt.date) -> dt.datetime | None:
    """The due time of the first digest owed on ``from_day`` or later (may be in the past)."""
    for offset in range(8):
        due = digest_time_on(day=from_day + dt.timedelta(days=offset), user_settings=user_settings)
        if due is not None:
            return due
    return None


def digest_schedule_update(*, user_settings: UserSettings, now: dt.datetime) -> UserSettings:
    """Recompute ``next_digest_at`` after sign-up or a settings change."""
    today = local_date(now, user_settings.zone)
    already_sent = Digest.objects.filter(owner_id=user_settings.user_id, local_date=today).exists()
    from_day = today + dt.timedelta(days=1) if already_sent else today
    user_settings.next_digest_at = digest_next_at(user_settings=user_settings, from_day=from_day)
    user_settings.save(update_fields=["next_digest_at"])
    return user_settings


def digest_unsubscribe(*, user_settings: UserSettings) -> UserSettings:
    """Stop digest emails (the one-click List-Unsubscribe); the dashboard keeps working."""
    user_settings.digest_frequency = UserSettings.Frequency.OFF
    user_settings.next_digest_at = None
    user_settings.save(update_fields=["digest_frequency", "next_digest_at"])
    return user_settings
