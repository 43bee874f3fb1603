"""Don't hound on a person's page: inside "Staying in touch" (network_crm/sections.py)."""

from __future__ import annotations

from network_crm.sections import section_register
from reminders.rhythm_selectors import contact_rhythm


def register() -> None:
    section_register(
        page="contact.activity",
        name="rhythm",
        template="reminders/rhythm/_contact_rhythm.html",
        context=contact_rhythm,
        order=5,
    )
