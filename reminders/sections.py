"""Reminders' parts of pages owned by lower apps (network_crm/sections.py)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from network_crm.sections import section_register
from reminders.models import Reminder


def _open_reminders(*, contact, **kwargs) -> dict:
    return {
        "open_reminders": Reminder.objects.filter(contact=contact, state__in=Reminder.LIVE_STATES)
    }


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
