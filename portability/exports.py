"""Your people out, in any of the export formats (portability.formats), streamed."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from contacts.models import Contact, ContactMethod, ImportantDate, Interest
from portability.formats import EXPORT_FORMATS


def contacts_for_export(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return contacts.select_related("circle").prefetch_related(
        Prefetch("methods", queryset=ContactMethod.objects.order_by("kind", "position", "pk")),
        Prefetch("dates", queryset=ImportantDate.objects.order_by("month", "day")),
        Prefetch("interests", queryset=Interest.objects.order_by("folded_name")),
    )


def export_chunks(contacts: QuerySet[Contact], export_format: str) -> Iterator[str]:
    """The file's text, streamed, for the given people in name order."""
    rows = contacts_for_export(contacts).order_by("sort_name", "pk")
    return EXPORT_FORMATS[export_format].write(rows.iterator(chunk_size=500))
