"""The contact changelist's own filters: status on the one "is due" rule, city, last contact.

Each reads "today" in the requesting user's time zone (network_crm.clock.local_today), so "due"
and "within the last month" mean what the dashboard means. Their query parameters (``status``, ``city``,
``last_contact``) are the only new ones the changelist accepts (network_crm.admin's
SafeQueryAdminMixin takes them from ``expected_parameters``).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact
from contacts.selectors import common_cities
from network_crm.admin import OwnedRelatedFieldListFilter
from network_crm.clock import local_today

# A city filter lists the most common cities only: an address book of thousands of people would
# make a wall of links. The search box finds the others.
MAX_CITIES = 30


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` earlier; the 31st falls back on a shorter month's
    last day (31 May - 3 months = 28 or 29 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class NoneNamedFilter(OwnedRelatedFieldListFilter):
    """The user's circles (or interests), and "No circle" ("No interests") for people without
    one, rather than Django's "-"."""

    NONE_LABELS = {"circle": _("No circle"), "interests": _("No interests")}

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.empty_value_display = self.NONE_LABELS.get(field_path, self.empty_value_display)


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("due", _("Due")),
            ("overdue", _("Overdue")),
            ("paused", _("Paused")),
            ("archived", _("Archived")),
        ]

    def queryset(self, request, queryset: QuerySet[Contact]) -> QuerySet[Contact]:
        today = local_today(request.user)
        value = self.value()
        if value == "due":
            return queryset.due(today)
        if value == "overdue":
            # Past their day, not just reaching it today.
            return queryset.due(today).filter(next_reach_out_on__lt=today)
        if value == "paused":
            return queryset.filter(paused=True, archived=False)
        if value == "archived":
            return queryset.filter(archived=True)
        return queryset


class CityFilter(admin.SimpleListFilter):
    title = _("city")
    parameter_name = "city"

    def lookups(self, request, model_admin):
        cities = common_cities(owner=request.user, limit=MAX_CITIES)
        return sorted(((city, city) for city in cities), key=lambda c: c[0].lower())

    def queryset(self, request, queryset: QuerySet[Contact]) -> QuerySet[Contact]:
        if self.value():
            return queryset.filter(city__iexact=self.value())
        return queryset


class LastContactFilter(admin.SimpleListFilter):
    title = _("last contact")
    parameter_name = "last_contact"

    def lookups(self, request, model_admin):
        return [
            ("never", _("Never")),
            ("month", _("Within the last month")),
            ("1-3", _("1–3 months ago")),
            ("3-12", _("3–12 months ago")),
            ("year", _("Over a year ago")),
        ]

    def queryset(self, request, queryset: QuerySet[Contact]) -> QuerySet[Contact]:
        value = self.value()
        if value == "never":
            return queryset.filter(last_interaction_on__isnull=True)
        if value not in {"month", "1-3", "3-12", "year"}:
            return queryset
        today = local_today(request.user)
        one, three, twelve = (months_before(today, n) for n in (1, 3, 12))
        # Ranges that meet without a gap: "within the last month" runs up to today (a
        # calendar month would leave the 31st of last month in no range on the 1st).
        ranges = {
            "month": {"last_interaction_on__gte": one},
            "1-3": {"last_interaction_on__lt": one, "last_interaction_on__gte": three},
            "3-12": {"last_interaction_on__lt": three, "last_interaction_on__gte": twelve},
            "year": {"last_interaction_on__lt": twelve},
        }
        return queryset.filter(**ranges[value])
