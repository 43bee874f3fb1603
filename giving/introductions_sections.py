"""Sections this part of giving adds to other apps' pages (network_crm/sections.py): the
"Introductions" card on a person's page, with the give-and-take line."""

from __future__ import annotations

from giving import introductions_selectors as selectors
from network_crm.reversing import url_to
from network_crm.sections import section_register


def _introductions(*, contact, **kwargs) -> dict:
    counts, introductions = selectors.give_and_take_on_page(contact=contact)
    return {
        "introductions": introductions,
        "introductions_more": len(introductions) >= selectors.SHOWN_ON_PAGE,
        "give_and_take": counts,
        "give_and_take_line": selectors.give_and_take_line(contact=contact, counts=counts),
        "introduce_url": url_to("introductions:add") + f"?a={contact.pk}",
        "introductions_url": url_to("introductions:list"),
    }


def register() -> None:
    """Called from GivingConfig.ready()."""
    section_register(
        page="contact.main",
        name="introductions",
        template="giving/introductions/_contact_introductions.html",
        context=_introductions,
        order=30,
    )
