"""Interactions' parts of pages owned by lower apps (network_crm/sections.py)."""

from __future__ import annotations

from interactions import selectors
from interactions.forms import QuickLogForm
from network_crm.sections import section_register


def _history(*, contact, today, **kwargs) -> dict:
    return {
        "interactions": selectors.interactions_of_contact(contact=contact)[:10],
        "interaction_count": selectors.interactions_of_contact(contact=contact).count(),
    }


def _log_form(*, today, **kwargs) -> dict:
    return {"log_form": QuickLogForm(initial={"occurred_on": today}, today=today)}


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
