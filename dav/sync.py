"""The change log behind the DAV sync tokens (RFC 6578): one ``SyncCollection`` per owner and
kind counts changes in ``seq``; every ``Card``/``CalendarEntry`` row carries the seq of its last
change, and a removed one stays as a tombstone (``deleted``) so a token taken before the removal
reports it. A token names one value of ``seq``: ``http://network-crm/sync/<kind>/<seq>``.

The log is brought up to date lazily, once per DAV request, before anything is read
(docs/architecture.md, "Sync with phones"):

- ``addressbook_refresh`` re-fingerprints only the contacts whose ``updated_at`` moved since the
  last refresh (minus a slack for transactions that committed late) and whose card was not
  fingerprinted at that very ``updated_at`` (``Card.contact_updated_at``), which is why every
  write that changes what a card shows must bump ``Contact.updated_at``. Its cost is a fixed number of
  queries whatever the size of the address book, and it renders no card that did not change.
  ``refreshed_at = None`` (``addressbook_invalidate``) asks for a full pass, after "which people
  sync" changed.
- ``calendar_refresh`` diffs a snapshot of every event (a bounded set) against the entries.

Writers take the collection's row first (``select_for_update`` on PostgreSQL; SQLite runs
IMMEDIATE transactions, network_crm/settings.py, so the first write lock already serialises them)
and keep it until their rows are written: a client that read token N has then seen every change
numbered N or less.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q

from contacts.models import Contact
from dav.calendar import calendar_fingerprints
from dav.cards import card_fields, card_fingerprint, contacts_for_cards
from dav.models import CalendarEntry, Card, DavSettings, SyncCollection

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User

# A contact saved just before a refresh may commit just after it: its updated_at is then older
# than refreshed_at. Re-reading everyone touched in the last few minutes catches it.
REFRESH_SLACK = dt.timedelta(minutes=5)
# Card.history keeps this many versions: the bases of a device's three-way merge.
HISTORY_LENGTH = 5
# Rows per UPDATE/INSERT of a full refresh (Django builds one CASE per field and row; bigger
# batches get slower, not faster).
BATCH = 500
TOKEN_PREFIX = "http://network-crm/sync/"

_SAFE_HREF = re.compile(r"[A-Za-z0-9._:@-]{1,200}")


class InvalidToken(Exception):
    """A sync token this collection never gave out (ahead of it, or not one of ours): RFC 6578
    asks for the DAV:valid-sync-token precondition error, and the client starts over."""


# --- Tokens -----------------------------------------------------------------------------------


def sync_token(*, kind: str, seq: int) -> str:
    return f"{TOKEN_PREFIX}{kind}/{seq}"


def sync_token_seq(*, kind: str, token: str) -> int:
    """The seq a token names; ``InvalidToken`` for anything we did not write for ``kind``."""
    prefix = f"{TOKEN_PREFIX}{kind}/"
    digits = token[len(prefix) :] if token.startswith(prefix) else ""
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
        raise InvalidToken(token)
    return int(digits)


# --- Who syncs --------------------------------------------------------------------------------


def _in_synced_set(owner: User) -> Q:
    """ "Everyone, or the chosen circles; never the archived", as a condition on Contact that
    runs inside the query (no settings read beforehand, so it costs no query of its own)."""
    chosen_only = Exists(DavSettings.objects.filter(owner=owner, sync_everyone=False))
    circle_chosen = Exists(
        DavSettings.circles.through.objects.filter(
            davsettings__owner=owner, circle_id=OuterRef("circle_id")
        )
    )
    return Q(archived=False) & (~chosen_only | circle_chosen)


def synced_contacts(*, owner: User) -> QuerySet[Contact]:
    """The people the address book serves (DavSettings: everyone or chosen circles; never the
    archived)."""
    return Contact.objects.filter(owner=owner).filter(_in_synced_set(owner))


# --- The collection's counter -----------------------------------------------------------------


def _collection_locked(*, owner: User, kind: str) -> SyncCollection:
    """The collection row, locked until the surrounding transaction ends (made on first use)."""
    collection = SyncCollection.objects.select_for_update().filter(owner=owner, kind=kind).first()
    if collection is None:
        SyncCollection.objects.get_or_create(owner=owner, kind=kind)
        collection = SyncCollection.objects.select_for_update().get(owner=owner, kind=kind)
    return collection


def collection_next_seq(*, owner: User, kind: str) -> int:
    """A new seq for one change of ``owner``'s ``kind`` collection.

    Call it inside ``transaction.atomic()`` and write the changed row in the same transaction:
    the increment locks the collection's row (an UPDATE does on PostgreSQL and on SQLite), so
    concurrent writers get distinct numbers and commit in the order of them."""
    with transaction.atomic():
        bumped = SyncCollection.objects.filter(owner=owner, kind=kind).update(seq=F("seq") + 1)
        if not bumped:
            SyncCollection.objects.get_or_create(owner=owner, kind=kind)
            SyncCollection.objects.filter(owner=owner, kind=kind).update(seq=F("seq") + 1)
        return SyncCollection.objects.values_list("seq", flat=True).get(owner=owner, kind=kind)


def addressbook_invalidate(*, owner: User) -> None:
    """The next refresh re-reads everyone (called when "which people sync" changes)."""
    SyncCollection.objects.filter(owner=owner, kind=SyncCollection.Kind.CARDS).update(
        refreshed_at=None
    )


# --- Address book -----------------------------------------------------------------------------


def card_href(uid: str) -> str:
    """``<uid>.vcf`` for a card made in the app; a UID that is no safe path segment (a slash, a
    space, too long: imported cards carry anything) is hashed instead."""
    if _SAFE_HREF.fullmatch(uid):
        return f"{uid}.vcf"
    return f"{hashlib.sha256(uid.encode()).hexdigest()[:32]}.vcf"


def _history_add(card: Card, *, contact: Contact) -> None:
    entry = {"seq": card.seq, "fingerprint": card.fingerprint, "fields": card_fields(contact)}
    card.history = [*card.history, entry][-HISTORY_LENGTH:]


def addressbook_refresh(*, owner: User, now: dt.datetime) -> None:
    """Bring ``owner``'s card log up to date with the contacts (see the module's docstring)."""
    with transaction.atomic():
        collection = _collection_locked(owner=owner, kind=SyncCollection.Kind.CARDS)
        full = collection.refreshed_at is None
        seq = collection.seq + 1  # one number for everything this refresh changes
        synced = _in_synced_set(owner)
        if full:
            touched = Contact.objects.filter(owner=owner)
        else:
            touched = Contact.objects.filter(
                owner=owner, updated_at__gte=collection.refreshed_at - REFRESH_SLACK
            )

        # Leavers (archived, circle no longer synced) and cards whose contact is gone become
        # tombstones: one UPDATE.
        leavers = touched.exclude(synced).values("pk")
        changed = (
            Card.objects.filter(owner=owner, deleted=False)
            .filter(Q(contact__isnull=True) | Q(contact__in=leavers))
            .update(deleted=True, seq=seq)
        )

        # Entering or changed: only the contacts written since their card's fingerprint are
        # rendered (a live card taken at the contact's current updated_at can't have changed).
        unchanged = Q(card__deleted=False, card__contact_updated_at=F("updated_at"))
        # Ordered by id, not the list's name order, so the (owner, updated_at) index leads.
        contacts = contacts_for_cards(
            touched.filter(synced).exclude(unchanged).order_by("pk")
        ).select_related("card")
        updates: list[Card] = []
        stamped: list[Card] = []
        fresh: list[tuple[Contact, str]] = []
        for contact in contacts:
            card = getattr(contact, "card", None)
            fingerprint = card_fingerprint(contact, extra=card.extra if card else "")
            if card is None:
                fresh.append((contact, fingerprint))
                continue
            card.contact_updated_at = contact.updated_at
            if card.deleted or card.fingerprint != fingerprint:
                card.deleted, card.fingerprint, card.seq = False, fingerprint, seq
                card.updated_at = now
                _history_add(card, contact=contact)
                updates.append(card)
            else:
                stamped.append(card)  # saved without a change to the card: no new seq
        if updates:
            Card.objects.bulk_update(
                updates,
                ["deleted", "fingerprint", "seq", "history", "updated_at", "contact_updated_at"],
                batch_size=BATCH,
            )
        if stamped:
            Card.objects.bulk_update(stamped, ["contact_updated_at"], batch_size=BATCH)
        if fresh:
            _cards_create(owner=owner, fresh=fresh, seq=seq, now=now)
        if changed or updates or fresh:
            collection.seq = seq
        collection.refreshed_at = now
        collection.save(update_fields=["seq", "refreshed_at"])


def _cards_create(
    *, owner: User, fresh: list[tuple[Contact, str]], seq: int, now: dt.datetime
) -> None:
    """Cards for contacts that have none. An href already taken by a card whose contact is gone
    (the same UID imported again after a delete) takes that row back, so a device that still has
    the old card sees it change rather than a second copy; one held by another person's card (two
    contacts with one UID) gets a suffix."""
    hrefs = {contact.pk: card_href(contact.uid) for contact, _ in fresh}
    taken = {
        card.href: card
        for card in Card.objects.filter(owner=owner, href__in=hrefs.values()).only(
            "pk", "href", "contact_id", "history", "extra", "uid"
        )
    }
    new: list[Card] = []
    reused: list[Card] = []
    used: set[str] = set()
    for contact, fingerprint in fresh:
        href = hrefs[contact.pk]
        card = taken.get(href)
        if card is not None and card.contact_id is None and href not in used:
            used.add(href)
            card.contact, card.uid, card.deleted = contact, contact.uid, False
            # The lines the phone kept belonged to the person deleted; the fingerprint was made
            # without them.
            card.extra = ""
            card.fingerprint, card.seq, card.updated_at = fingerprint, seq, now
            card.contact_updated_at = contact.updated_at
            _history_add(card, contact=contact)
            reused.append(card)
            continue
        if card is not None or href in used:
            href = f"{href.removesuffix('.vcf')}-{contact.pk}.vcf"
        used.add(href)
        card = Card(
            owner=owner,
            contact=contact,
            href=href,
            uid=contact.uid,
            fingerprint=fingerprint,
            contact_updated_at=contact.updated_at,
        )
        card.seq = seq
        _history_add(card, contact=contact)
        new.append(card)
    if reused:
        Card.objects.bulk_update(
            reused,
            [
                "contact",
                "uid",
                "deleted",
                "extra",
                "fingerprint",
                "seq",
                "history",
                "updated_at",
                "contact_updated_at",
            ],
            batch_size=BATCH,
        )
    Card.objects.bulk_create(new, batch_size=BATCH)


# --- Calendar ---------------------------------------------------------------------------------


def calendar_refresh(*, owner: User, now: dt.datetime) -> None:
    """Diff today's events against the entries last served: new, changed and gone ones get a
    new seq (gone ones as tombstones; one that comes back is revived)."""
    fingerprints = calendar_fingerprints(owner=owner)
    with transaction.atomic():
        collection = _collection_locked(owner=owner, kind=SyncCollection.Kind.CALENDAR)
        seq = collection.seq + 1
        # Plain tuples: rows are made only for the entries that change.
        entries = {
            href: (pk, fingerprint, deleted)
            for pk, href, fingerprint, deleted in CalendarEntry.objects.filter(
                owner=owner
            ).values_list("pk", "href", "fingerprint", "deleted")
        }
        updates: list[CalendarEntry] = []
        for href, (pk, old_fingerprint, deleted) in entries.items():
            fingerprint = fingerprints.get(href)
            if fingerprint is None:
                if not deleted:
                    updates.append(
                        CalendarEntry(pk=pk, deleted=True, fingerprint=old_fingerprint, seq=seq)
                    )
            elif deleted or old_fingerprint != fingerprint:
                updates.append(
                    CalendarEntry(pk=pk, deleted=False, fingerprint=fingerprint, seq=seq)
                )
        new = [
            CalendarEntry(owner=owner, href=href, fingerprint=fingerprint, seq=seq)
            for href, fingerprint in fingerprints.items()
            if href not in entries
        ]
        if updates:
            CalendarEntry.objects.bulk_update(
                updates, ["deleted", "fingerprint", "seq"], batch_size=BATCH
            )
        if new:
            CalendarEntry.objects.bulk_create(new, batch_size=BATCH)
        if updates or new:
            collection.seq = seq
            collection.refreshed_at = now
            collection.save(update_fields=["seq", "refreshed_at"])


# --- Reading the log --------------------------------------------------------------------------


def changes_since(*, owner: User, kind: str, seq: int) -> tuple[int, list[str]]:
    """The collection's current seq and the hrefs changed after ``seq`` (tombstones included,
    so the client deletes them). ``seq`` 0 is a first sync: only the live members.
    ``InvalidToken`` for a seq the collection has not reached."""
    current = (
        SyncCollection.objects.filter(owner=owner, kind=kind).values_list("seq", flat=True).first()
    ) or 0
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0 or seq > current:
        raise InvalidToken(str(seq))
    model = Card if kind == SyncCollection.Kind.CARDS else CalendarEntry
    rows = model.objects.filter(owner=owner, seq__gt=seq)
    if seq == 0:
        rows = rows.filter(deleted=False)
    return current, list(rows.order_by("seq", "href").values_list("href", flat=True))
