"""Interactions' parts of pages owned by lower apps (network_crm/sections.py)."""

from __future__ import annotations

from interactions import selectors
from interactions.forms import QuickLogForm
from network_crm.reversing import url_to
from network_crm.sections import section_register


def _history(*, contact, today, **kwargs) -> dict:
    return selectors.contact_timeline(contact=contact, today=today, limit=10)


def _log_form(*, contact, today, **kwargs) -> dict:
    """The quick log as plain markup (interactions/_contact_log.html), the same fields as
    QuickLogForm's (tests/interactions/test_contact_page_sections.py compares them): its bound
    widgets took ~5 ms to render on every person's page."""
    return {
        "log_kinds": QuickLogForm.base_fields["kind"].choices,
        "log_kind": QuickLogForm.base_fields["kind"].initial,
        "log_today": today.isoformat(),
        "log_url": url_to("interactions:log", contact.pk),
        "log_more_url": url_to("interactions:create", contact.pk),
    }


def _delete_impact(*, owner, contact_ids, **kwargs) -> dict:
    return {
        "interaction_count": selectors.interactions_of_contacts_count(
            owner=owner, contact_ids=contact_ids
        )
    }


def register() -> None:
    section_register(
        page="contact.activity",
        name="history",
        template="interactions/_contact_history.html",
        context=_history,
        order=20,
    )
    section_register(
        page="contact.aside",
        name="log",
        template="interactions/_contact_log.html",
        context=_log_form,
        order=10,
    )
    section_register(
        page="contact.delete",
        name="interactions",
        template="interactions/_contact_delete_impact.html",
        context=_delete_impact,
    )
