"""Plans' own test helpers (tests/factories.py stays as it is)."""

from __future__ import annotations

import datetime as dt

from contacts.models import Contact
from contacts.services import contact_save
from interactions.models import PlannedInteraction
from interactions.plans import plan_create

# Alice lives in Lisbon in winter (UTC+0) unless a test moves her; Kolkata is +05:30.
KOLKATA = "Asia/Kolkata"


def person(owner, name: str, *, cadence_days: int | None = 30) -> Contact:
    return contact_save(
        contact=Contact(
            owner=owner, name=name, cadence_days=cadence_days, added_on=dt.date(2026, 1, 1)
        ),
        today=dt.date(2026, 11, 28),
    )


def live_in(owner, zone: str) -> None:
    owner.settings.time_zone = zone
    owner.settings.save(update_fields=["time_zone"])


def plan(owner, people, starts_at: dt.datetime, **fields) -> PlannedInteraction:
    fields.setdefault("kind", "coffee")
    return plan_create(owner=owner, contacts=list(people), starts_at=starts_at, **fields)
