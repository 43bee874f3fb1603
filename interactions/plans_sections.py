"""The plans' part of a person's page (network_crm/sections.py)."""

from __future__ import annotations

from network_crm.sections import section_register


def register() -> None:
    from interactions.plans_views import plans_section

    section_register(
        page="contact.aside",
        name="plans",
        template="interactions/plans/_contact_plans.html",
        context=plans_section,
        order=15,
    )
