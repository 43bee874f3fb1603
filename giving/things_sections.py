"""Sections this part of giving adds to other apps' pages (network_crm/sections.py)."""

from __future__ import annotations

from giving import things_selectors
from giving.things_forms import ReceivedForm
from network_crm.sections import section_register


def _shared(*, request, contact, today, **kwargs) -> dict:
    return {
        "shared": things_selectors.shared_with_contact(contact=contact),
        "things_for_them": things_selectors.items_for_contact(
            owner=request.user, contact=contact, today=today
        ),
        "received_form": ReceivedForm(auto_id="received_%s"),
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
