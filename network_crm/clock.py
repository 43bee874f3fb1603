"""The one place that says what "now" and "today" are. Services take ``now`` as an argument;
views and tasks get it from here, so tests can travel in time with time-machine."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import User


def now() -> dt.datetime:
    return timezone.now()


def user_zone(user: User) -> ZoneInfo:
    return user.settings.zone


def local_date(at: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The calendar date that the instant ``at`` falls on in ``zone``: the one way an instant
    becomes someone's day (docs/architecture.md, "Time")."""
    return at.astimezone(zone).date()


def local_today(user: User, at: dt.datetime | None = None) -> dt.date:
    """The user's calendar date at ``at`` (default: now), in the user's own time zone."""
    return local_date(at or now(), user_zone(user))
