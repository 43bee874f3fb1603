"""Contact <-> vCard for the address book: what a card says, in the dialect the client reads
(3.0 for Apple's clients, 4.0 otherwise), keeping the lines the CRM has no column for.

A first version built on the export's writer; the mapping work makes it lossless
(docs/architecture.md, "Sync with phones")."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from portability.formats.vcard import vcard

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from contacts.models import Contact

VCARD_3 = "3.0"
VCARD_4 = "4.0"


def contacts_for_cards(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """``contacts`` with what a card reads fetched in a fixed number of queries."""
    return contacts.select_related("circle").prefetch_related("methods", "dates", "interests")


def card_render(contact: Contact, *, extra: str, version: str) -> str:
    text = vcard(contact, version=version)
    if extra:
        text = text.replace("END:VCARD\r\n", extra.rstrip("\r\n") + "\r\nEND:VCARD\r\n")
    return text


def card_fingerprint(contact: Contact, *, extra: str) -> str:
    """Changes exactly when the card's content does, whichever dialect is served."""
    return hashlib.sha256(card_render(contact, extra=extra, version=VCARD_4).encode()).hexdigest()


def card_fields(contact: Contact) -> dict:  # placeholder: B's mapping replaces it
    return {"name": contact.name, "nickname": contact.nickname, "notes": contact.notes}
