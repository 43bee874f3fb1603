"""Writes from a device: a card PUT (create or update, merged three ways) or DELETE, and what
the person's page offers afterwards (restore a replaced value, review a likely duplicate).

The rules (docs/architecture.md, "Sync with phones"):
- A card is read by ``dav.cards.card_parse``; a card we can't store without loss (malformed,
  over the limits of contacts/limits.py, a bad photo) raises ``CardRejected`` and nothing is
  written.
- An update merges three ways, field by field (``dav.cards.FIELDS``; emails, phones and links
  are one field each): the base is, among the versions the device may have read (the
  ``Card.history`` entries at or before ``DeviceSync.seq``, and the card as it stands), the one
  its card differs from least, the older on a tie (``_base_fields``). A field the device
  left as the base keeps the app's value; one it changed takes the device's value; one changed
  on both sides (to different values) takes the device's and keeps the app's in a
  ``CardConflict``, which the person's page offers to restore. The photo is the exception: when
  both changed it, the app's photo stays (the device most likely sent back the one it had).
- A new card joins the first chosen circle when only chosen circles sync and it names none of
  them, so the person made on the phone stays on the phone.
- A new card whose email or phone number is already someone's is created all the same and
  offered as a duplicate (a ``CardConflict`` row with ``field="duplicate"``, shown on the new
  person's page with a link to compare and merge): never merged silently.
- Every write goes through the contact's own save (search fields, ``updated_at``) and the due
  rule (``contact_recompute_due``); the card gets a new seq, fingerprint and history entry, so the
  next refresh finds nothing to do.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from contacts.models import Circle, Contact, ContactMethod, ImportantDate
from contacts.photos import PhotoError
from contacts.services import (
    contact_photo_remove,
    contact_photo_set,
    contact_recompute_due,
    contacts_bulk_delete,
)
from dav.cards import (
    FIELDS,
    METHOD_KINDS,
    TEXT_FIELDS,
    CardError,
    card_fields,
    card_fingerprint,
    card_parse,
    contacts_for_cards,
)
from dav.models import Card, CardConflict, DavSettings, DeviceSync, SyncCollection
from dav.sync import collection_next_seq
from network_crm.text import fold
from portability.duplicates import mark_not_duplicate

if TYPE_CHECKING:
    from accounts.models import AppPassword, User

HISTORY_KEPT = 5
DUPLICATE = "duplicate"  # CardConflict.field of a duplicate offer


class CardRejected(Exception):
    """A card the server won't store, with the reason in words (sent back to the client)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Card writes ------------------------------------------------------------------------------


def card_history_append(*, card: Card, fields: dict[str, Any]) -> None:
    """Remember this version's fields as a merge base (the last HISTORY_KEPT versions)."""
    entry = {"seq": card.seq, "fingerprint": card.fingerprint, "fields": fields}
    card.history = [*(card.history or []), entry][-HISTORY_KEPT:]


def _base_fields(
    *, card: Card, app_password: AppPassword | None, device: dict[str, Any], current: dict
) -> dict[str, Any]:
    """The version the device's card was edited from: among the versions it may have read (the
    card's history up to what it last listed, and the card as it stands), the one its card
    differs from least; on a tie, the older (a same-field edit is then kept as a conflict, never
    lost). Listing is not reading: a client that resolves its own conflicts (vdirsyncer, "b
    wins") lists the app's new version and still writes its edit of the old one."""
    seen = None
    if app_password is not None:
        seen = (
            DeviceSync.objects.filter(app_password=app_password, kind=SyncCollection.Kind.CARDS)
            .values_list("seq", flat=True)
            .first()
        )
    versions = [
        entry["fields"]
        for entry in card.history or []
        if seen is None or entry.get("seq", 0) <= seen
    ]
    versions.append(current)

    def distance(fields: dict[str, Any]) -> int:
        return sum(1 for name in FIELDS if fields.get(name) != device[name])

    return min(versions, key=distance)  # min() keeps the first (older) of equals


def _photo_bytes(contact: Contact) -> bytes | None:
    if not contact.photo:
        return None
    try:
        with contact.photo.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


def _set_methods(contact: Contact, kind: str, pairs: list[list[str]]) -> None:
    ContactMethod.objects.filter(contact=contact, kind=kind).delete()
    rows = []
    for position, (label, value) in enumerate(pairs):
        method = ContactMethod(
            owner=contact.owner,
            contact=contact,
            kind=kind,
            label=label,
            value=value,
            position=position,
        )
        method.fill_folded_fields()
        rows.append(method)
    ContactMethod.objects.bulk_create(rows)


def _set_date(contact: Contact, kind: str, value: list | None) -> None:
    current = ImportantDate.objects.filter(contact=contact, kind=kind, label="").order_by("pk")
    first = current.first()
    if value is None:
        if first is not None:
            first.delete()
        return
    month, day, year = value
    if first is None:
        first = ImportantDate(owner=contact.owner, contact=contact, kind=kind, label="")
    first.month, first.day, first.year = month, day, year
    first.save()


def _apply(
    contact: Contact, name: str, value: Any, *, circles: dict[str, Circle], photo: bytes | None
) -> None:
    """Write one field's value (in ``card_fields``' shape) to a saved contact."""
    if name in METHOD_KINDS:
        _set_methods(contact, METHOD_KINDS[name], value)
    elif name in ("birthday", "anniversary"):
        _set_date(contact, name, value)
    elif name == "circle":
        contact.circle = circles.get(value)
    elif name == "photo":
        if photo is None:
            contact_photo_remove(contact=contact)
        else:
            try:
                contact_photo_set(contact=contact, upload=SimpleUploadedFile("card-photo", photo))
            except PhotoError as error:
                raise CardRejected(f"The card's photo: {error}") from None
    else:
        setattr(contact, name, value)


def _circle_that_syncs(owner: User, circle: Circle | None) -> Circle | None:
    """A person made on the phone stays on the phone: when only chosen circles sync and the card
    names none of them, they join the first chosen one (else the next refresh would remove the
    card the phone just made)."""
    settings = DavSettings.objects.filter(owner=owner).first()
    if settings is None or settings.sync_everyone:
        return circle
    chosen = list(settings.circles.order_by("cadence_days", "name"))
    return circle if not chosen or circle in chosen else chosen[0]


def _as_text(value: Any) -> str:
    """A field's value for CardConflict: text as is, lists and dates as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _from_text(field: str, text: str) -> Any:
    return text if field in (*TEXT_FIELDS, "circle", "photo") else json.loads(text)


@transaction.atomic
def card_put(
    *,
    owner: User,
    href: str,
    text: str,
    card: Card | None,
    app_password: AppPassword | None,
    now: dt.datetime,
) -> Card:
    """Store a card a device PUT at ``href`` (``card``: the one already there, if any)."""
    circles = {circle.name: circle for circle in Circle.objects.filter(owner=owner)}
    try:
        parsed = card_parse(text, circle_names=list(circles))
    except CardError as error:
        raise CardRejected(str(error)) from None
    if len(parsed.uid) > 200:
        raise CardRejected("The card's UID is longer than 200 characters.")
    device = parsed.fields
    today = now.date()
    contact = card.contact if card is not None and not card.deleted else None
    device_name = app_password.name if app_password is not None else ""
    if contact is not None and contact.owner_id != owner.pk:
        contact = None  # never: cards are owner-scoped; a guard, not a path
    if contact is None:
        contact = Contact(owner=owner, added_on=today)
        if parsed.uid:
            contact.uid = parsed.uid
        for name in TEXT_FIELDS:
            setattr(contact, name, device[name])
        contact.circle = _circle_that_syncs(owner, circles.get(device["circle"]))
        contact.save()
        for name in (*METHOD_KINDS, "birthday", "anniversary"):
            _apply(contact, name, device[name], circles=circles, photo=None)
        if parsed.photo is not None:
            _apply(contact, "photo", "new", circles=circles, photo=parsed.photo)
        _offer_duplicate(contact=contact, fields=device, device_name=device_name)
    else:
        contact = contacts_for_cards(Contact.objects.filter(pk=contact.pk)).get()
        current = card_fields(contact)
        base = _base_fields(card=card, app_password=app_password, device=device, current=current)
        if base["circle"] and base["circle"] not in circles and base["circle"] in parsed.categories:
            # The circle was renamed in the app since the device read the card: its old name
            # on the card means "unchanged", not a category of its own.
            parsed = card_parse(text, circle_names=[*circles, base["circle"]])
            device = parsed.fields
        # The device's photo in the app's terms: the file we have when it sent that back.
        if parsed.photo is not None and parsed.photo == _photo_bytes(contact):
            device = {**device, "photo": current["photo"]}
        for name in FIELDS:
            theirs, ours, was = device[name], current[name], base.get(name)
            if theirs in (was, ours):
                continue
            if name == "photo" and ours != was:
                continue  # both changed the photo: the app's stays (see the module's doc)
            if ours != was:
                CardConflict.objects.create(
                    owner=owner,
                    contact=contact,
                    field=name,
                    device_value=_as_text(theirs),
                    replaced_value=_as_text(ours),
                    device_name=device_name,
                )
            _apply(contact, name, theirs, circles=circles, photo=parsed.photo)
        contact.save()
    contact_recompute_due(contact=contact, today=today)
    contact = contacts_for_cards(Contact.objects.filter(pk=contact.pk)).get()
    if card is None:
        # A tombstone at this href (a card deleted earlier) is reused: one row per href.
        card = Card.objects.filter(owner=owner, href=href).first() or Card(owner=owner, href=href)
    card.contact = contact
    card.uid = contact.uid
    card.deleted = False
    card.extra = parsed.extra
    card.fingerprint = card_fingerprint(contact, extra=card.extra)
    card.contact_updated_at = contact.updated_at
    card.seq = collection_next_seq(owner=owner, kind=SyncCollection.Kind.CARDS)
    card_history_append(card=card, fields=card_fields(contact))
    card.save()
    return card


def card_remove(*, owner: User, card: Card, now: dt.datetime) -> None:
    """A device deleted the card: archive the person (history kept, undo from the app) or, when
    the owner chose so in their sync settings, delete them. The card becomes a tombstone."""
    settings = DavSettings.objects.filter(owner=owner).first()
    delete = settings is not None and settings.on_phone_delete == DavSettings.OnPhoneDelete.DELETE
    with transaction.atomic():
        if card.contact_id is not None:
            if delete:
                contacts_bulk_delete(owner=owner, contact_ids=[card.contact_id])
            else:
                # An archived person leaves the address book (dav.sync.synced_contacts).
                Contact.objects.filter(owner=owner, pk=card.contact_id).update(
                    archived=True, updated_at=now
                )
        card.refresh_from_db(fields=["contact"])
        card.deleted = True
        card.seq = collection_next_seq(owner=owner, kind=SyncCollection.Kind.CARDS)
        card.save(update_fields=["deleted", "seq", "updated_at"])


# --- Duplicates -------------------------------------------------------------------------------


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _offer_duplicate(*, contact: Contact, fields: dict[str, Any], device_name: str) -> None:
    """A new card whose email or phone is already someone's: the pair shows on the duplicates
    page (portability.duplicates finds it from the data) and, so the user notices, on the new
    person's page."""
    others = ContactMethod.objects.filter(owner=contact.owner, contact__archived=False).exclude(
        contact=contact
    )
    # The duplicates page's rules (portability/duplicates.py): the same email once folded, the
    # same last nine digits of a phone number (folded_value ends with the number's digits).
    emails = [fold(value)[:400] for _, value in fields["emails"]]
    match = others.filter(kind=ContactMethod.Kind.EMAIL, folded_value__in=emails).first()
    for _, value in fields["phones"]:
        if match is not None:
            break
        digits = _digits(value)
        if len(digits) >= 6:
            match = others.filter(
                kind=ContactMethod.Kind.PHONE, folded_value__endswith=digits[-9:]
            ).first()
    if match is not None:
        CardConflict.objects.create(
            owner=contact.owner,
            contact=contact,
            field=DUPLICATE,
            device_value=match.value,
            replaced_value=str(match.contact_id),
            device_name=device_name,
        )


# --- Conflicts on the person's page -----------------------------------------------------------


def conflict_value_text(conflict: CardConflict, value: str) -> str:
    """A stored value in words for the page: "a@x.org (work), +33 6…" or the text itself."""
    try:
        data = _from_text(conflict.field, value)
    except ValueError:
        return value
    if data is None or data == "" or data == []:
        return "(empty)"
    if conflict.field in METHOD_KINDS:
        return ", ".join(f"{v} ({label})" if label else v for label, v in data)
    if conflict.field in ("birthday", "anniversary"):
        month, day, year = data
        written = f"{day} {calendar.month_name[month]}"
        return f"{written} {year}" if year else written
    if conflict.field == "photo":
        return "the photo you had"
    return str(data)


@transaction.atomic
def card_conflict_restore(*, conflict: CardConflict, now: dt.datetime) -> Contact:
    """Put back the app's value a device's edit replaced; the phone gets it on its next sync."""
    contact = conflict.contact
    if conflict.field not in FIELDS or conflict.field == "photo":
        raise ValueError(f"{conflict.field} can't be restored")
    value = _from_text(conflict.field, conflict.replaced_value)
    circles = {c.name: c for c in Circle.objects.filter(owner=conflict.owner)}
    _apply(contact, conflict.field, value, circles=circles, photo=None)
    contact.updated_at = now
    contact.save()
    contact_recompute_due(contact=contact, today=now.date())
    card_conflict_dismiss(conflict=conflict, now=now)
    return contact


def card_conflict_dismiss(*, conflict: CardConflict, now: dt.datetime) -> None:
    """Keep the phone's value; for a duplicate offer, "keep both": they are different people."""
    if conflict.field == DUPLICATE:
        other = Contact.objects.filter(owner=conflict.owner, pk=conflict.replaced_value).first()
        if other is not None:
            mark_not_duplicate(owner=conflict.owner, first=conflict.contact, second=other)
    conflict.resolved_at = now
    conflict.save(update_fields=["resolved_at"])
