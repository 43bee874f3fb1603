"""Writes from a device: a card PUT or DELETE.

placeholder: the card helper (B) writes the real module (merge, conflicts, duplicates); these
bodies exist only so the server's protocol tests run before it lands."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import vobject

from contacts.models import Contact
from dav.cards import card_fingerprint
from dav.models import Card
from dav.sync import collection_next_seq

if TYPE_CHECKING:
    from accounts.models import AppPassword, User


class CardRejected(Exception):  # placeholder
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def card_put(
    *,
    owner: User,
    href: str,
    text: str,
    card: Card | None,
    app_password: AppPassword | None,
    now: dt.datetime,
) -> Card:  # placeholder: the name only
    try:
        parsed = vobject.readOne(text)
        name = parsed.fn.value.strip()
        uid = parsed.uid.value.strip()
    except Exception as error:
        raise CardRejected(f"Not a card this server can read: {error}") from None
    if card is not None and card.contact is not None:
        contact = card.contact
        contact.name = name
        contact.save()
    else:
        contact = Contact.objects.create(owner=owner, name=name, added_on=now.date(), uid=uid)
    seq = collection_next_seq(owner=owner, kind="cards")
    fingerprint = card_fingerprint(contact, extra="")
    card, _ = Card.objects.update_or_create(
        owner=owner,
        href=href,
        defaults={
            "contact": contact,
            "uid": uid,
            "fingerprint": fingerprint,
            "seq": seq,
            "deleted": False,
        },
    )
    return card


def card_remove(*, owner: User, card: Card, now: dt.datetime) -> None:  # placeholder
    if card.contact is not None:
        Contact.objects.filter(pk=card.contact_id).update(archived=True, updated_at=now)
    card.deleted = True
    card.seq = collection_next_seq(owner=owner, kind="cards")
    card.save()
