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
    return ZoneInfo(user.settings.time_zone)


def local_today(user: User, at: dt.datetime | None = None) -> dt.date:
    """The user's calendar date at ``at`` (default: now), in the user's own time zone."""
    return (at or now()).astimezone(user_zone(user)).date()
