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
    at = dt.time(user_settings.digest_hour)
    if quiet_hours_contain(user_settings=user_settings, at=at):
        # The digest waits for the end of quiet hours that day (docs/architecture.md,
        # "Notifications"): 22:00-07:00 with the digest at 06:00 sends it at 07:00. For an hour in
        # the evening part of a stretch over midnight (23:00 in 22:00-07:00) that is the morning
        # of the same day, which keeps one digest per local day.
        at = user_settings.quiet_hours_end
    local = dt.datetime.combine(day, at, tzinfo=user_settings.zone)
    return local.astimezone(dt.UTC)


def quiet_hours_contain(*, user_settings: UserSettings, at: dt.time) -> bool:
    """Whether the local time of day ``at`` is inside the owner's quiet hours.

    Start after end spans midnight (22:00-07:00); the start is inside, the end is not. Both
    empty, only one set, or start equal to end: no quiet hours.
    """
    start, end = user_settings.quiet_hours_start, user_settings.quiet_hours_end
    if start is None or end is None or start == end:
        return False
    at = at.replace(tzinfo=None)
    if start < end:
        return start <= at < end
    return at >= start or at < end


def quiet_hours_end_after(*, user_settings: UserSettings, now: dt.datetime) -> dt.datetime | None:
    """When the quiet hours ``now`` falls in end (UTC), or None when ``now`` is not quiet.

    Digest creation waits for it (digests_create_due) and notify moves sends and retries to it.
    """
    local = now.astimezone(user_settings.zone)
    if not quiet_hours_contain(user_settings=user_settings, at=local.time()):
        return None
    end = user_settings.quiet_hours_end
    day = local.date()
    if local.time().replace(tzinfo=None) >= end:  # the evening part of a stretch over midnight
        day += dt.timedelta(days=1)
    ends = dt.datetime.combine(day, end, tzinfo=user_settings.zone).astimezone(dt.UTC)
    # A DST jump can put the local end at or before now; then the quiet stretch is over.
    return ends if ends > now else None


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
    """Stop digest emails (the one-click List-Unsubscribe): the email only. The digest still
    reaches the channels and devices the owner added (docs/architecture.md "Notifications"), and
    the dashboard keeps working; "Never" in Settings stops the digest everywhere."""
    user_settings.digest_by_email = False
    user_settings.save(update_fields=["digest_by_email"])
    return user_settings
