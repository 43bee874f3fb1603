"""The "Brief" link at the top of a person's page (section contact.aside)."""

from __future__ import annotations

from network_crm.reversing import url_to
from network_crm.sections import section_register


def _brief_link(*, contact, **kwargs) -> dict:
    return {"brief_url": url_to("brief:contact", contact.pk)}


def register() -> None:
    """Called from RemindersConfig.ready()."""
    section_register(
        page="contact.aside",
        name="brief",
        template="reminders/brief_link.html",
        context=_brief_link,
        order=12,  # after the quick log (logging comes first), before the plans card
    )
