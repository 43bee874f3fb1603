"""The change log behind sync tokens.

placeholder: the change-log helper (E) writes the real module; these bodies exist only so the
server's protocol tests run before it lands (docs/architecture.md, "Sync with phones")."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from contacts.models import Contact
from dav.calendar import calendar_items
from dav.cards import card_fingerprint, contacts_for_cards
from dav.models import CalendarEntry, Card, SyncCollection

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User


class InvalidToken(Exception):  # placeholder
    pass


TOKEN_PREFIX = "http://network-crm/sync/"  # placeholder


def sync_token(*, kind: str, seq: int) -> str:  # placeholder
    return f"{TOKEN_PREFIX}{kind}/{seq}"


def sync_token_seq(*, kind: str, token: str) -> int:  # placeholder
    digits = token.removeprefix(f"{TOKEN_PREFIX}{kind}/")
    if digits == token or not (digits.isascii() and digits.isdigit()):
        raise InvalidToken(token)
    return int(digits)


def synced_contacts(*, owner: User) -> QuerySet[Contact]:  # placeholder
    return Contact.objects.filter(owner=owner, archived=False)


@transaction.atomic
def collection_next_seq(*, owner: User, kind: str) -> int:  # placeholder
    SyncCollection.objects.get_or_create(owner=owner, kind=kind)
    collection = SyncCollection.objects.select_for_update().get(owner=owner, kind=kind)
    collection.seq += 1
    collection.save(update_fields=["seq"])
    return collection.seq


@transaction.atomic
def addressbook_refresh(*, owner: User, now: dt.datetime) -> None:  # placeholder: full scan
    cards = {card.contact_id: card for card in Card.objects.filter(owner=owner)}
    live = set()
    for contact in contacts_for_cards(synced_contacts(owner=owner)):
        live.add(contact.pk)
        card = cards.get(contact.pk)
        fingerprint = card_fingerprint(contact, extra=card.extra if card else "")
        if card is None:
            Card.objects.create(
                owner=owner,
                contact=contact,
                href=f"{contact.uid}.vcf",
                uid=contact.uid,
                fingerprint=fingerprint,
                seq=collection_next_seq(owner=owner, kind="cards"),
            )
        elif card.fingerprint != fingerprint or card.deleted:
            card.fingerprint, card.deleted = fingerprint, False
            card.seq = collection_next_seq(owner=owner, kind="cards")
            card.save()
    for card in Card.objects.filter(owner=owner, deleted=False).exclude(contact_id__in=live):
        card.deleted, card.seq = True, collection_next_seq(owner=owner, kind="cards")
        card.save()


@transaction.atomic
def calendar_refresh(*, owner: User, now: dt.datetime) -> None:  # placeholder
    import hashlib

    items = calendar_items(owner=owner, now=now)
    entries = {entry.href: entry for entry in CalendarEntry.objects.filter(owner=owner)}
    for href, text in items.items():
        fingerprint = hashlib.sha256(text.encode()).hexdigest()
        entry = entries.get(href)
        if entry is None or entry.fingerprint != fingerprint or entry.deleted:
            seq = collection_next_seq(owner=owner, kind="calendar")
            CalendarEntry.objects.update_or_create(
                owner=owner,
                href=href,
                defaults={"fingerprint": fingerprint, "seq": seq, "deleted": False},
            )
    for href, entry in entries.items():
        if href not in items and not entry.deleted:
            entry.deleted, entry.seq = True, collection_next_seq(owner=owner, kind="calendar")
            entry.save()


def addressbook_invalidate(*, owner: User) -> None:  # placeholder
    SyncCollection.objects.filter(owner=owner, kind="cards").update(refreshed_at=None)


def changes_since(*, owner: User, kind: str, seq: int) -> tuple[int, list[str]]:  # placeholder
    current = SyncCollection.objects.filter(owner=owner, kind=kind).values_list("seq", flat=True)
    current_seq = current.first() or 0
    if seq > current_seq:
        raise InvalidToken(seq)
    model = Card if kind == "cards" else CalendarEntry
    hrefs = model.objects.filter(owner=owner, seq__gt=seq).values_list("href", flat=True)
    return current_seq, list(hrefs)
