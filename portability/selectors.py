"""Reads for the portability pages: who an export takes, a CSV's columns, a merge's rows."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from contacts.models import Contact
from contacts.selectors import ContactFilters, contacts_search
from portability.duplicates import MERGEABLE_FIELDS
from portability.models import ImportBatch

if TYPE_CHECKING:
    from accounts.models import User


def contacts_to_export(
    *, owner: User, filters: ContactFilters, today: dt.date, everyone: bool
) -> QuerySet[Contact]:
    """The export page's people: the list's search, except that with no status asked for
    ("everyone"), everyone means everyone, archived people included."""
    if everyone and not (filters.query or filters.circle_id or filters.interest_id):
        return Contact.objects.for_owner(owner)
    return contacts_search(owner=owner, filters=filters, today=today)


def import_columns(*, batch: ImportBatch) -> list[tuple[str, str]]:
    """(header, mapped field) for each column of a CSV still waiting for its mapping."""
    if batch.kind != "csv" or batch.state != ImportBatch.State.UPLOADED:
        return []
    summary = batch.summary
    return list(zip(summary.get("headers", []), summary.get("mapping", []), strict=False))


def merge_rows(*, survivor: Contact, other: Contact) -> list[dict]:
    """The fields either person has, side by side, with the value kept by default."""
    rows = []
    for name in MERGEABLE_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(other, name)
        if mine or theirs:
            rows.append(
                {
                    "name": name,
                    "label": Contact._meta.get_field(name).verbose_name.capitalize(),
                    "mine": mine,
                    "theirs": theirs,
                    "default": "other" if (not mine and theirs) else "survivor",
                }
            )
    return rows
