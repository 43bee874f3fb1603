"""Non-trivial reads of contacts: who is due, in what order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import DateField, F, FloatField, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

from contacts.models import Contact
from network_crm.db import DaysDiff

if TYPE_CHECKING:
    from accounts.models import User


def contacts_due(*, owner: User, today: dt.date) -> QuerySet[Contact]:
    """Active contacts whose reach-out date has come, most overdue relative to cadence first.

    One indexed range query on (owner, next_reach_out_on). A contact 10 days late on a 14-day
    rhythm comes before one 20 days late on a 120-day rhythm.
    """
    cadence = Coalesce(F("cadence_days"), F("circle__cadence_days"), Value(1))
    overdue_days = DaysDiff(Value(today, output_field=DateField()), F("next_reach_out_on"))
    return (
        Contact.objects.filter(
            owner=owner, archived=False, paused=False, next_reach_out_on__lte=today
        )
        .select_related("circle")
        .annotate(
            overdue_days=overdue_days,
            overdue_ratio=Cast(overdue_days, FloatField()) / Cast(cadence, FloatField()),
        )
        .order_by("-overdue_ratio", "next_reach_out_on", "sort_name", "pk")
    )


@dataclass(frozen=True)
class CappedList:
    """The first ``limit`` items, and how many more are waiting (never dropped, just not pushed)."""

    items: list[Contact]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def contacts_due_capped(*, owner: User, today: dt.date, limit: int) -> CappedList:
    due = contacts_due(owner=owner, today=today)
    items = list(due[:limit])
    total = len(items) if len(items) < limit else due.count()
    return CappedList(items=items, total=total)
