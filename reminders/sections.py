"""Reminders' parts of pages owned by lower apps (network_crm/sections.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.urls import reverse

from network_crm.dates import format_date
from network_crm.sections import section_register
from network_crm.templatetags.crm import days_until
from reminders.models import Reminder


def _open_reminders(*, contact, today, **kwargs) -> dict:
    """The person's open and snoozed reminders, written out (one raw statement: the ORM's
    Python cost of the query was ten times its SQL, issue 21)."""
    with connection.cursor() as cursor:
        cursor.execute(_OPEN_SQL, [contact.pk, *Reminder.LIVE_STATES])
        rows = cursor.fetchall()
    return {
        "open_reminders": [
            {
                "kind": _KINDS.get(kind, kind),
                "due": days_until(due_on, today),
                "snoozed": state == Reminder.State.SNOOZED,
                "snoozed_until": format_date(snoozed_until, "day-month-short"),
                "note": note,
            }
            for kind, due_on, state, snoozed_until, note in rows
        ]
    }


_KINDS = dict(Reminder.Kind.choices)
# By contact only (the contact is the owner's), so the contact's index is the one used.
_OPEN_SQL = (
    "SELECT kind, due_on, state, snoozed_until, note "
    f"FROM {connection.ops.quote_name(Reminder._meta.db_table)} "
    "WHERE contact_id = %s AND state IN (%s, %s) ORDER BY due_on, id"
)


def _calendar(*, request, **kwargs) -> dict:
    token = request.user.settings.calendar_token
    return {"calendar_url": settings.SITE_URL + reverse("reminders:calendar", args=[token])}


def register() -> None:
    section_register(
        page="contact.activity",
        name="reminders",
        template="reminders/_contact_reminders.html",
        context=_open_reminders,
        order=10,
    )
    section_register(
        page="settings",
        name="calendar",
        template="reminders/_settings_calendar.html",
        context=_calendar,
        order=10,
    )
