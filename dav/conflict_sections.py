"""The sync's part of a person's page (network_crm/sections.py): what a phone's write could not
settle there, a value it replaced (with "Restore") or a likely duplicate it created."""

from __future__ import annotations

from django.db import connection

from dav.models import CardConflict
from dav.services import DUPLICATE, conflict_value_text
from network_crm.sections import section_register


def _conflicts(*, contact, **kwargs) -> dict:
    # One raw statement (the ORM's Python cost of the query was ten times its SQL on every
    # person's page, where there is almost never a conflict: issue 21).
    with connection.cursor() as cursor:
        cursor.execute(_OPEN_SQL, [contact.pk])
        rows = cursor.fetchall()
    replaced, duplicates = [], []
    for pk, field, device_value, replaced_value, device_name in rows:
        conflict = CardConflict(
            pk=pk,
            owner_id=contact.owner_id,
            contact=contact,
            field=field,
            device_value=device_value,
            replaced_value=replaced_value,
            device_name=device_name,
        )
        if conflict.field == DUPLICATE:
            duplicates.append(conflict)
            continue
        conflict.device_text = conflict_value_text(conflict, conflict.device_value)
        conflict.replaced_text = conflict_value_text(conflict, conflict.replaced_value)
        conflict.field_words = conflict.field.replace("_", " ")
        replaced.append(conflict)
    return {"card_conflicts": replaced, "card_duplicates": duplicates}


# By contact only (the contact is the owner's), so the contact's index is the one used.
_OPEN_SQL = (
    "SELECT id, field, device_value, replaced_value, device_name "
    f"FROM {connection.ops.quote_name(CardConflict._meta.db_table)} "
    "WHERE contact_id = %s AND resolved_at IS NULL ORDER BY id LIMIT 20"
)


def register() -> None:
    section_register(
        page="contact.aside",
        name="card_conflicts",
        template="dav/_contact_card_conflicts.html",
        context=_conflicts,
        order=5,
    )
