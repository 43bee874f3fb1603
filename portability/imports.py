"""Importing contacts: upload, preview, import (in batches, with progress), undo.

Re-importing the same file creates no duplicates: a card matches an existing contact (or one
earlier in the same file) by vCard UID, email address or phone number. A card matching a contact
you have adds the details that contact lacks (portability.import_merge says exactly which); a card
repeating one earlier in the file is skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from contacts.limits import IMPORT_SYNC_MAX_LINES, MAX_INTERESTS_PER_OWNER
from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from contacts.photos import PhotoError, photo_prepare
from contacts.services import (
    InterestLimitReached,
    contacts_bulk_delete,
    contacts_recompute_due,
    interest_get_or_create,
)
from network_crm.clock import local_today
from network_crm.text import fold
from portability.formats import parse_file
from portability.formats.common import ParsedContact, ParseError, decode_upload
from portability.formats.csv import csv_headers, detect_csv, guess_mapping
from portability.import_merge import MergePlan, MergePlanner, merges_apply, merges_undo
from portability.models import ImportBatch, ImportedContact

if TYPE_CHECKING:
    from accounts.models import User

BATCH_SIZE = 500
SAMPLES = 20


class ImportRefused(ValueError):
    """Why the file can't be imported, in words for the user."""


def import_upload(*, owner: User, upload: UploadedFile) -> ImportBatch:
    """Keep an uploaded file (vCard, Google or LinkedIn CSV) for preview."""
    limit = settings.IMPORT_MAX_BYTES
    if upload.size and upload.size > limit:
        raise ImportRefused(
            f"That file is {upload.size / 2**20:.1f} MB; the limit is {limit // 2**20} MB. "
            "Split it, or ask whoever runs this server to raise IMPORT_MAX_MB."
        )
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise ImportRefused(f"That file is larger than {limit // 2**20} MB.")
    head = raw[:4096]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    if not raw.strip() or (
        controls > len(head) // 100 and not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        raise ImportRefused(
            "That isn't a contacts file: we can read vCard files (.vcf) and CSV files with a "
            "header row."
        )
    text = decode_upload(raw).replace("\x00", "")
    if "BEGIN:VCARD" in text.upper()[:100_000]:
        kind = "vcard"
    else:
        kind = detect_csv(text)
        if kind == "unknown":
            headers = csv_headers(text)
            if len(headers) < 2 or not any(headers):
                raise ImportRefused(
                    "We can read vCard files (.vcf) and CSV files with a header row; "
                    "this file looks like neither."
                )
            # Any other CSV: the user says which column is what before the preview.
            return ImportBatch.objects.create(
                owner=owner,
                kind="csv",
                filename=(upload.name or "")[:255],
                text=text,
                summary={"headers": headers, "mapping": guess_mapping(headers)},
            )
    return ImportBatch.objects.create(
        owner=owner, kind=kind, filename=(upload.name or "")[:255], text=text
    )


@dataclass
class _Known:
    """What the owner already has, to match cards against (and cards seen earlier in the file).

    Each key maps to the existing contact it belongs to, or to None for a card earlier in this
    file: a card matching an existing contact can add details to it (portability.import_merge)."""

    uids: dict[str, int | None] = field(default_factory=dict)
    emails: dict[str, int | None] = field(default_factory=dict)
    phones: dict[str, int | None] = field(default_factory=dict)
    # LinkedIn rows often have only a profile URL
    links: dict[str, int | None] = field(default_factory=dict)
    # For a card with nothing else to go by (no UID, email, phone or link): its folded name.
    bare_names: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, owner: User) -> _Known:
        known = cls()
        for pk, uid, sort_name in Contact.objects.filter(owner=owner).values_list(
            "pk", "uid", "sort_name"
        ):
            known.uids.setdefault(uid, pk)
            known.bare_names.add(sort_name)
        for contact_id, kind, value in ContactMethod.objects.filter(owner=owner).values_list(
            "contact_id", "kind", "value"
        ):
            known._keys(kind).setdefault(_key(kind, value), contact_id)
        return known

    def _keys(self, kind: str) -> dict[str, int | None]:
        return {"email": self.emails, "phone": self.phones, "link": self.links}[kind]

    def matches(self, card: ParsedContact) -> bool:
        if not (card.uid or card.emails or card.phones or card.links):
            return fold(card.name)[:200] in self.bare_names
        return bool(
            (card.uid and card.uid in self.uids)
            or any(_key("email", v) in self.emails for _, v in card.emails)
            or any(_key("phone", v) in self.phones for _, v in card.phones if _key("phone", v))
            or any(_key("link", v) in self.links for _, v in card.links)
        )

    def existing_contact(self, card: ParsedContact) -> int | None:
        """The id of the existing contact the card matches by UID, email, phone or link (a match
        by name alone is too loose to add anything to)."""
        candidates = [self.uids.get(card.uid) if card.uid else None]
        for kind, values in (("email", card.emails), ("phone", card.phones), ("link", card.links)):
            candidates += [self._keys(kind).get(k) for _, v in values if (k := _key(kind, v))]
        return next((pk for pk in candidates if pk is not None), None)

    def claim(self, kind: str, value: str, contact_id: int) -> bool:
        """True (and from now on it's this contact's) if nobody has this address or number."""
        key = _key(kind, value)
        if not key or key in self._keys(kind):
            return False
        self._keys(kind)[key] = contact_id
        return True

    def add(self, card: ParsedContact) -> None:
        self.bare_names.add(fold(card.name)[:200])
        if card.uid:
            self.uids.setdefault(card.uid, None)
        for kind, values in (("email", card.emails), ("phone", card.phones), ("link", card.links)):
            for _, value in values:
                if key := _key(kind, value):
                    self._keys(kind).setdefault(key, None)


def _key(kind: str, value: str) -> str:
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        return digits[-9:] if len(digits) >= 6 else ""  # ignore country-code spelling
    if kind == "link":
        return (
            fold(value)
            .removeprefix("https://")
            .removeprefix("http://")
            .removeprefix("www.")
            .rstrip("/")
        )
    return fold(value)


def _merge_plan(planner: MergePlanner, known: _Known, card: ParsedContact) -> MergePlan | None:
    """What a card matching an existing contact adds to it (None: it matches no one existing)."""
    contact_id = known.existing_contact(card)
    if contact_id is None:
        return None
    return planner.plan(
        contact_id, card, claim=lambda kind, value: known.claim(kind, value, contact_id)
    )


def import_preview(*, batch: ImportBatch) -> dict:
    """Count new cards, matches (and what each adds to the person) and errors (with card or row
    numbers), with a few samples."""
    known = _Known.load(batch.owner)
    planner = MergePlanner(batch.owner)
    summary = {
        "new": 0,
        "matching": 0,
        "updating": 0,  # matches that bring new details
        "errors": 0,
        "new_samples": [],
        "matching_samples": [],
        "update_samples": [],
        "error_samples": [],
    }
    cuts = _Cuts(owner=batch.owner)
    total = 0
    for item in parse_file(kind=batch.kind, text=batch.text, mapping=batch.summary.get("mapping")):
        total += 1
        cuts.note(item)
        if isinstance(item, ParseError):
            summary["errors"] += 1
            if len(summary["error_samples"]) < SAMPLES:
                summary["error_samples"].append({"number": item.number, "reason": item.reason})
        elif known.matches(item):
            summary["matching"] += 1
            plan = _merge_plan(planner, known, item)
            if plan:
                summary["updating"] += 1
                if len(summary["update_samples"]) < SAMPLES:
                    summary["update_samples"].append(
                        {
                            "number": item.number,
                            **plan.sample(),
                            # Matched by an address, a number or a UID, not by the name: say so.
                            "card_name": item.name if fold(item.name) != fold(plan.name) else "",
                        }
                    )
            elif len(summary["matching_samples"]) < SAMPLES:
                summary["matching_samples"].append(
                    {
                        "number": item.number,
                        "name": item.name if plan is None else plan.name,
                        "not_changed": [] if plan is None else plan.not_changed,
                    }
                )
        else:
            known.add(item)
            cuts.new_interests(item)
            summary["new"] += 1
            if len(summary["new_samples"]) < SAMPLES:
                summary["new_samples"].append(
                    {
                        "number": item.number,
                        "name": item.name,
                        "emails": [v for _, v in item.emails][:2],
                    }
                )
    batch.total = total
    batch.summary = {**batch.summary, "preview": summary, "cuts": cuts.summary()}
    batch.save(update_fields=["total", "summary"])
    return summary


class _Cuts:
    """What the limits leave out of a file, card by card, for the preview."""

    def __init__(self, *, owner: User) -> None:
        self.cards = 0
        self.samples: list[dict] = []
        self.known_interests = set(
            Interest.objects.filter(owner=owner).values_list("folded_name", flat=True)
        )
        self.added_interests: set[str] = set()

    def note(self, item: ParsedContact | ParseError) -> None:
        if isinstance(item, ParsedContact) and item.cuts:
            self.cards += 1
            if len(self.samples) < SAMPLES:
                self.samples.append({"number": item.number, "name": item.name, "notes": item.cuts})

    def new_interests(self, item: ParsedContact) -> None:
        for name in item.interests:
            key = Interest.fold_name(" ".join(name.split()))
            if key not in self.known_interests:
                self.added_interests.add(key)

    def summary(self) -> dict:
        room = max(MAX_INTERESTS_PER_OWNER - len(self.known_interests), 0)
        return {
            "cards": self.cards,
            "samples": self.samples,
            "interests_beyond_limit": max(len(self.added_interests) - room, 0),
            "interest_limit": MAX_INTERESTS_PER_OWNER,
        }


def import_runs_in_request(*, batch: ImportBatch) -> bool:
    """Small files import while the user waits; anything with more cards or more lines than the
    limits goes to the worker, so one request never parses a huge file twice over."""
    return (
        batch.total <= settings.IMPORT_SYNC_LIMIT and batch.text.count("\n") < IMPORT_SYNC_MAX_LINES
    )


def import_run(*, batch: ImportBatch, now: dt.datetime) -> ImportBatch:
    """Create the new contacts in batches (bulk inserts), add what matching cards bring to the
    people they match, skip repeats and bad cards; progress is saved after each batch so the page
    can show it, and what was added to existing people is recorded with it, for undo."""
    claimed = ImportBatch.objects.filter(
        pk=batch.pk, state__in=[ImportBatch.State.UPLOADED, ImportBatch.State.QUEUED]
    ).update(state=ImportBatch.State.IMPORTING, processed=0)
    if not claimed:
        batch.refresh_from_db()
        return batch
    owner = batch.owner
    known = _Known.load(owner)
    planner = MergePlanner(owner)
    plans: list[MergePlan] = []
    merged: list[dict] = []  # what was added to existing people, for undo
    interests = {i.folded_name: i for i in Interest.objects.filter(owner=owner)}
    today = local_today(owner, now)
    counts = {"created": 0, "skipped": 0, "errors": 0}
    pending: list[ParsedContact] = []
    processed = 0
    try:
        for item in parse_file(
            kind=batch.kind, text=batch.text, mapping=batch.summary.get("mapping")
        ):
            processed += 1
            if isinstance(item, ParseError):
                counts["errors"] += 1
            elif known.matches(item):
                counts["skipped"] += 1
                if plan := _merge_plan(planner, known, item):
                    plans.append(plan)
            else:
                known.add(item)
                pending.append(item)
            flushed = False
            if len(pending) >= BATCH_SIZE:
                counts["created"] += _create(batch, pending, interests, today)
                pending, flushed = [], True
            if len(plans) >= BATCH_SIZE:
                _merge(batch, plans, merged)
                plans, flushed = [], True
            # Every BATCH_SIZE cards too, so a file of people you mostly have already (or of
            # unreadable cards) moves the progress bar instead of sitting at 0 until the end.
            if flushed or processed % BATCH_SIZE == 0:
                ImportBatch.objects.filter(pk=batch.pk).update(processed=processed)
        counts["created"] += _create(batch, pending, interests, today)
        _merge(batch, plans, merged)
        if left_out := sum(1 for interest in interests.values() if interest is None):
            counts["interests_not_added"] = left_out
        created_ids = ImportedContact.objects.filter(batch=batch).values_list(
            "contact_id", flat=True
        )
        contacts_recompute_due(owner=owner, contact_ids=created_ids)
        summary = {**batch.summary, "result": counts, "merged": merged}
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportBatch.State.DONE,
            processed=processed,
            total=processed,
            summary=summary,
            finished_at=now,
        )
    except Exception:
        # What was added stays and can be undone; the page stops polling.
        summary = {**batch.summary, "result": counts, "merged": merged}
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportBatch.State.FAILED, summary=summary, finished_at=now
        )
        raise
    batch.refresh_from_db()
    return batch


def _merge(batch: ImportBatch, plans: list[MergePlan], merged: list[dict]) -> None:
    """Add what the plans bring to existing people, and record it on the batch in the same
    transaction, so an import that stops half-way can still be undone exactly."""
    if not plans:
        return
    with transaction.atomic():
        records = merges_apply(owner=batch.owner, plans=plans)
        ImportBatch.objects.filter(pk=batch.pk).update(
            summary={**batch.summary, "merged": [*merged, *records]}
        )
    merged.extend(records)


@transaction.atomic
def _create(batch: ImportBatch, cards: list[ParsedContact], interests: dict, today: dt.date) -> int:
    """Create ``cards``. ``interests`` maps folded names to the owner's interests, and to None
    for those left out because the account has MAX_INTERESTS_PER_OWNER already."""
    if not cards:
        return 0
    owner = batch.owner
    # A label or category named like one of the owner's circles puts the person in that circle
    # (our Google CSV export writes the circle as a label) instead of becoming an interest.
    circles = {fold(c.name): c for c in Circle.objects.filter(owner=owner)}
    contacts = []
    for card in cards:
        contact = Contact(
            owner=owner,
            name=card.name,
            nickname=card.nickname,
            company=card.company,
            role=card.role,
            city=card.city,
            country=card.country,
            notes=card.notes,
            circle=next((circles[fold(n)] for n in card.interests if fold(n) in circles), None),
            added_on=today,
            how_we_met=card.how_we_met
            or (f"Connected on LinkedIn on {card.met_on:%d %B %Y}." if card.met_on else ""),
        )
        if card.uid:
            contact.uid = card.uid[:200]
        contact.fill_folded_fields()
        contacts.append(contact)
    Contact.objects.bulk_create(contacts)
    ImportedContact.objects.bulk_create(
        [ImportedContact(batch=batch, contact=contact) for contact in contacts]
    )
    methods, dates, links = [], [], []
    for contact, card in zip(contacts, cards, strict=True):
        for kind, values in (("email", card.emails), ("phone", card.phones), ("link", card.links)):
            for position, (label, value) in enumerate(values):
                method = ContactMethod(
                    owner=owner,
                    contact=contact,
                    kind=kind,
                    label=label,
                    value=value,
                    position=position,
                )
                method.fill_folded_fields()
                methods.append(method)
        if card.birthday:
            month, day, year = card.birthday
            dates.append(
                ImportantDate(
                    owner=owner, contact=contact, kind="birthday", month=month, day=day, year=year
                )
            )
        for name in dict.fromkeys(card.interests):
            if fold(name) in circles:
                continue
            key = Interest.fold_name(" ".join(name.split()))
            if key not in interests:
                try:
                    interests[key] = interest_get_or_create(owner=owner, name=name)
                except InterestLimitReached:
                    interests[key] = None
            if interests[key] is None:
                continue
            links.append(
                Contact.interests.through(contact_id=contact.pk, interest_id=interests[key].pk)
            )
    ContactMethod.objects.bulk_create(methods)
    ImportantDate.objects.bulk_create(dates)
    Contact.interests.through.objects.bulk_create(links, ignore_conflicts=True)
    for contact, card in zip(contacts, cards, strict=True):
        if card.photo:
            _attach_photo(contact, card.photo)
    return len(contacts)


def _attach_photo(contact: Contact, data: bytes) -> None:
    """Keep a card's photo as the contact's (checked and shrunk); a bad one is just skipped."""
    try:
        prepared = photo_prepare(SimpleUploadedFile("photo", data))
    except PhotoError:
        return
    contact.photo.save(prepared.name, prepared, save=False)
    # updated_at too: phone sync reads only contacts changed since it last looked.
    Contact.objects.filter(pk=contact.pk).update(
        photo=contact.photo.name, updated_at=timezone.now()
    )


@transaction.atomic
def import_undo(*, batch: ImportBatch) -> tuple[int, int]:
    """Remove every contact this import created, with everything attached to them (as a bulk
    delete does: interactions left with nobody go too), and take back what it added to people
    who were already there. Returns (people removed, people whose new details were taken back)."""
    ids = list(
        Contact.objects.filter(owner=batch.owner, import_batches=batch).values_list("pk", flat=True)
    )
    removed = contacts_bulk_delete(owner=batch.owner, contact_ids=ids)
    taken_back = merges_undo(owner=batch.owner, records=batch.summary.get("merged", []))
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.UNDONE)
    return removed, taken_back


def import_set_mapping(*, batch: ImportBatch, mapping: list[str]) -> dict:
    """Save which CSV column is what, then preview with it."""
    batch.summary = {**batch.summary, "mapping": mapping}
    batch.save(update_fields=["summary"])
    return import_preview(batch=batch)
