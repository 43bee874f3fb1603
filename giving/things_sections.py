"""Sections this part of giving adds to other apps' pages (network_crm/sections.py)."""

from __future__ import annotations

from giving import things_selectors
from network_crm.reversing import url_to
from network_crm.sections import section_register


def _shared(*, contact, **kwargs) -> dict:
    """The "Shared" card; its "They sent you something" form is plain markup with ReceivedForm's
    fields (giving/things/_contact_shared.html; tests/giving/things/test_contact_page_things.py
    compares them): the bound widgets took ~2 ms to render on every person's page."""
    return {
        "shared": things_selectors.shared_on_page(contact=contact),
        "things_for_them": things_selectors.things_on_page(contact=contact),
        "received_url": url_to("things:received", contact.pk),
    }


def register() -> None:
    """Called from GivingConfig.ready()."""
    section_register(
        page="contact.main",
        name="shared",
        template="giving/things/_contact_shared.html",
        context=_shared,
        order=20,
    )
