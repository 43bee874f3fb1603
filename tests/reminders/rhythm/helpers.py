"""A user with a daily 08:00 digest in UTC, people who come due, and days that go by."""

from __future__ import annotations

import datetime as dt

from accounts.services import user_signup
from contacts.models import Contact
from contacts.services import contact_save
from reminders.services.sweep import sweep_run

ADDED = dt.date(2026, 3, 1)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def signup(email: str = "zoe@example.com", *, frequency: str = "daily"):
    """Signed up on 1 March 2026 at 09:00 UTC, a digest every day at 08:00 (or never)."""
    user = user_signup(
        email=email,
        password="a-long-password-1",
        name="Zoë Laurent",
        time_zone="UTC",
        now=utc(2026, 3, 1, 9),
    )
    if frequency != "daily":
        user.settings.digest_frequency = frequency
        user.settings.next_digest_at = None
        user.settings.save()
    return user


def person(owner, name: str, *, cadence: int | None = 28, circle=None) -> Contact:
    """Added on 1 March: on a 28-day rhythm, due on 29 March."""
    contact = Contact(owner=owner, name=name, cadence_days=cadence, circle=circle)
    return contact_save(contact=contact, today=ADDED)


def morning(day: dt.date, hour: int = 8, minute: int = 5):
    """The sweep at the digest hour of ``day`` (UTC)."""
    return sweep_run(now=utc(day.year, day.month, day.day, hour, minute))


def day(n: int) -> dt.date:
    """29 March (the 28-day person's first due day) plus n days."""
    return dt.date(2026, 3, 29) + dt.timedelta(days=n)
