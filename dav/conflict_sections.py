"""The sync's part of a person's page (network_crm/sections.py): what a phone's write could not
settle there, a value it replaced (with "Restore") or a likely duplicate it created."""

from __future__ import annotations

from dav.models import CardConflict
from dav.services import DUPLICATE, conflict_value_text
from network_crm.sections import section_register


def _conflicts(*, contact, **kwargs) -> dict:
    open_ = CardConflict.objects.filter(contact=contact, resolved_at=None).order_by("pk")[:20]
    replaced, duplicates = [], []
    for conflict in open_:
        if conflict.field == DUPLICATE:
            duplicates.append(conflict)
            continue
        conflict.device_text = conflict_value_text(conflict, conflict.device_value)
        conflict.replaced_text = conflict_value_text(conflict, conflict.replaced_value)
        conflict.field_words = conflict.field.replace("_", " ")
        replaced.append(conflict)
    return {"card_conflicts": replaced, "card_duplicates": duplicates}


def register() -> None:
    section_register(
        page="contact.aside",
        name="card_conflicts",
        template="dav/_contact_card_conflicts.html",
        context=_conflicts,
        order=5,
    )
