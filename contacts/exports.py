"""Your data out: vCard (4.0, or 3.0 on request), CSV for spreadsheets, Google Contacts CSV and
a full JSON backup.

Written by hand rather than through a library so the output is exactly what the RFCs ask for:
escaped text values, CRLF line ends and lines folded at 75 octets.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Prefetch, QuerySet

from contacts.importers import HOW_WE_MET
from contacts.limits import MAX_INTERESTS_PER_OWNER
from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest

if TYPE_CHECKING:
    from accounts.models import User

CSV_COLUMNS = [
    "Name",
    "Nickname",
    "Emails",
    "Phones",
    "Links",
    "Company",
    "Role",
    "City",
    "Country",
    "Birthday",
    "Circle",
    "Reach out every (days)",
    "Interests",
    "How we met",
    "Notes",
    "Last in touch",
    "Next reach-out",
    "Paused",
    "Archived",
]
# A spreadsheet runs a cell starting with these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def contacts_for_export(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return contacts.select_related("circle").prefetch_related(
        Prefetch("methods", queryset=ContactMethod.objects.order_by("kind", "position", "pk")),
        Prefetch("dates", queryset=ImportantDate.objects.order_by("month", "day")),
        Prefetch("interests", queryset=Interest.objects.order_by("folded_name")),
    )


# --- vCard -----------------------------------------------------------------------------------


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def _param(value: str) -> str:
    """A parameter value: quoted, with characters that can't appear in one removed."""
    cleaned = "".join(ch for ch in value if ch not in '"\r\n;:,')
    return f'"{cleaned}"' if cleaned else ""


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (RFC 6350 section 3.2)."""
    out, current, size = [], [], 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def _split_name(name: str) -> tuple[str, str]:
    parts = name.rsplit(" ", 1)
    return (parts[1], parts[0]) if len(parts) == 2 else (name, "")


# The vCard 3.0 dialect (RFC 2426), in one place. The same details as 4.0, spelled the way 3.0
# readers (Apple Contacts, older Android, Outlook) and the RFC expect:
# - a date is an ISO 8601 date with its year (BDAY:1985-04-12); a date without a year, which 3.0
#   cannot express, is written in Apple's form, year 1604 marked as meaningless
#   (BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-14), which Apple and our importer read back as year-less;
# - a label that is a 3.0 TYPE value (home, work, cell, fax...; "mobile" is TYPE=cell) becomes a
#   TYPE= parameter; a label spelled otherwise also rides in an Apple item group
#   (item1.TEL;TYPE=cell:... with item1.X-ABLabel:Mobile), so it comes back exactly as typed;
# - nothing 4.0-only: no ANNIVERSARY (Apple's X-ABDATE with its Anniversary label instead), no
#   KIND, GENDER, quoted TYPE lists or VALUE=text dates.
V3_TYPES = {
    "TEL": {"home", "work", "cell", "voice", "fax", "pager", "msg", "video", "car", "isdn", "pcs"},
    "EMAIL": {"home", "work", "internet", "x400"},
    "URL": set(),  # RFC 2426 gives URL no TYPE: every label goes in an item group
}
V3_TYPE_SYNONYMS = {"mobile": "cell", "phone": "voice"}
V3_OMIT_YEAR = 1604  # Apple's marker year (a leap year, so 29 February fits)


def _v3_date(prop: str, date: ImportantDate) -> str:
    if date.year:
        return f"{prop}:{date.year:04d}-{date.month:02d}-{date.day:02d}"
    year = V3_OMIT_YEAR
    return f"{prop};X-APPLE-OMIT-YEAR={year}:{year:04d}-{date.month:02d}-{date.day:02d}"


def _v4_date(date: ImportantDate) -> str:
    year = f"{date.year:04d}" if date.year else "--"
    return f"{year}{date.month:02d}{date.day:02d}"


class _Items:
    """Apple's item groups (item1.TEL + item1.X-ABLabel), numbered within one card."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"item{self.count}"


def _v3_method(prop: str, label: str, value: str, items: _Items) -> list[str]:
    token = label.strip().lower()
    token = V3_TYPE_SYNONYMS.get(token, token) if prop == "TEL" else token
    type_param = f";TYPE={token}" if token in V3_TYPES[prop] else ""
    if not label or (label == token and type_param):
        return [f"{prop}{type_param}:{_escape(value)}"]
    group = items.next()
    return [f"{group}.{prop}{type_param}:{_escape(value)}", f"{group}.X-ABLabel:{_escape(label)}"]


def vcard(contact: Contact, *, version: str = "4.0") -> str:
    v3 = version == "3.0"
    items = _Items()
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    family, given = _split_name(contact.name)
    lines.append(f"UID:{_escape(contact.uid)}")
    lines.append(f"FN:{_escape(contact.name)}")
    lines.append(f"N:{_escape(family)};{_escape(given)};;;")
    if contact.nickname:
        lines.append(f"NICKNAME:{_escape(contact.nickname)}")
    if contact.company:
        lines.append(f"ORG:{_escape(contact.company)}")
    if contact.role:
        lines.append(f"TITLE:{_escape(contact.role)}")
    for method in contact.methods.all():
        prop = {"email": "EMAIL", "phone": "TEL", "link": "URL"}[method.kind]
        if v3:
            lines.extend(_v3_method(prop, method.label, method.value, items))
            continue
        label = f";TYPE={_param(method.label)}" if method.label and _param(method.label) else ""
        lines.append(f"{prop}{label}:{_escape(method.value)}")
    if contact.city or contact.country:
        lines.append(f"ADR:;;;{_escape(contact.city)};;;{_escape(contact.country)}")
    for date in contact.dates.all():
        if date.label:
            continue
        if date.kind == ImportantDate.Kind.BIRTHDAY:
            lines.append(_v3_date("BDAY", date) if v3 else f"BDAY:{_v4_date(date)}")
        elif date.kind == ImportantDate.Kind.ANNIVERSARY:
            if v3:
                group = items.next()
                lines.append(_v3_date(f"{group}.X-ABDATE", date))
                lines.append(f"{group}.X-ABLabel:_$!<Anniversary>!$_")
            else:
                lines.append(f"ANNIVERSARY:{_v4_date(date)}")
    interests = [interest.name for interest in contact.interests.all()]
    if interests:
        lines.append("CATEGORIES:" + ",".join(_escape(name) for name in interests))
    notes = "\n\n".join(
        filter(None, [contact.notes, contact.how_we_met and f"{HOW_WE_MET}: {contact.how_we_met}"])
    )
    if notes:
        lines.append(f"NOTE:{_escape(notes)}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def vcards(contacts: Iterable[Contact], *, version: str = "4.0") -> Iterator[str]:
    for contact in contacts:
        yield vcard(contact, version=version)


# --- CSV -----------------------------------------------------------------------------------------


def _safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _date_text(date: ImportantDate) -> str:
    return (
        f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
        if date.year
        else f"--{date.month:02d}-{date.day:02d}"
    )


def csv_rows(contacts: Iterable[Contact]) -> Iterator[str]:
    """CSV text, a header then one row per contact, streamed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()  # a BOM so spreadsheet apps read UTF-8 names right
    for contact in contacts:
        methods = list(contact.methods.all())
        birthday = next(
            (d for d in contact.dates.all() if d.kind == "birthday" and not d.label), None
        )
        row = [
            contact.name,
            contact.nickname,
            "; ".join(m.value for m in methods if m.kind == "email"),
            "; ".join(m.value for m in methods if m.kind == "phone"),
            "; ".join(m.value for m in methods if m.kind == "link"),
            contact.company,
            contact.role,
            contact.city,
            contact.country,
            _date_text(birthday) if birthday else "",
            contact.circle.name if contact.circle else "",
            contact.cadence_days or "",
            "; ".join(i.name for i in contact.interests.all()),
            contact.how_we_met,
            contact.notes,
            contact.last_interaction_on or "",
            contact.next_reach_out_on or "",
            "yes" if contact.paused else "",
            "yes" if contact.archived else "",
        ]
        writer.writerow([_safe_cell(cell) for cell in row])
        yield flush()


# --- Google Contacts CSV ------------------------------------------------------------------------

# Google Contacts' own export columns (contacts.google.com → Export → Google CSV), for importing
# into Google. Five slots per kind, as our importer reads; a sixth address or more shares the fifth
# slot, joined by " ::: " as Google itself does.
GOOGLE_SLOTS = 5
GOOGLE_EVENTS = 3
GOOGLE_COLUMNS = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
    *(f"E-mail {n} - {part}" for n in range(1, GOOGLE_SLOTS + 1) for part in ("Label", "Value")),
    *(f"Phone {n} - {part}" for n in range(1, GOOGLE_SLOTS + 1) for part in ("Label", "Value")),
    "Address 1 - Label",
    "Address 1 - Formatted",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - PO Box",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
    "Address 1 - Extended Address",
    *(f"Website {n} - {part}" for n in range(1, GOOGLE_SLOTS + 1) for part in ("Label", "Value")),
    *(f"Event {n} - {part}" for n in range(1, GOOGLE_EVENTS + 1) for part in ("Label", "Value")),
    "Custom Field 1 - Label",
    "Custom Field 1 - Value",
]
GOOGLE_SEPARATOR = " ::: "  # Google's separator for several values in one cell


def _google_slots(prefix: str, methods: list[ContactMethod]) -> dict[str, str]:
    cells = {}
    head, rest = methods[: GOOGLE_SLOTS - 1], methods[GOOGLE_SLOTS - 1 :]
    slots = [(m.label, m.value) for m in head]
    if rest:
        slots.append((rest[0].label, GOOGLE_SEPARATOR.join(m.value for m in rest)))
    for n, (label, value) in enumerate(slots, start=1):
        cells[f"{prefix} {n} - Label"] = label
        cells[f"{prefix} {n} - Value"] = value
    return cells


def google_csv_rows(contacts: Iterable[Contact]) -> Iterator[str]:
    """Google Contacts CSV, a header then one row per contact, streamed. Values are written as
    typed (a phone stays "+34 …"): the file is for Google, not for a spreadsheet, so unlike
    csv_rows nothing is neutralised. A circle and the interests become Google labels."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=GOOGLE_COLUMNS)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writeheader()
    yield flush()
    for contact in contacts:
        family, given = _split_name(contact.name)
        if not given:  # a one-word name is a first name to Google
            given, family = family, ""
        methods = list(contact.methods.all())
        dates = list(contact.dates.all())
        birthday = next((d for d in dates if d.kind == "birthday" and not d.label), None)
        events = [d for d in dates if d is not birthday][:GOOGLE_EVENTS]
        labels = ["* myContacts"]
        if contact.circle:
            labels.append(contact.circle.name)
        labels.extend(interest.name for interest in contact.interests.all())
        row = {
            "First Name": given,
            "Last Name": family,
            "Nickname": contact.nickname,
            "Organization Name": contact.company,
            "Organization Title": contact.role,
            "Birthday": _date_text(birthday) if birthday else "",
            "Notes": contact.notes,
            "Labels": GOOGLE_SEPARATOR.join(labels),
            "Address 1 - City": contact.city,
            "Address 1 - Country": contact.country,
        }
        for prefix, kind in (("E-mail", "email"), ("Phone", "phone"), ("Website", "link")):
            row |= _google_slots(prefix, [m for m in methods if m.kind == kind])
        if contact.city or contact.country:
            row["Address 1 - Label"] = "Home"
        for n, date in enumerate(events, start=1):
            row[f"Event {n} - Label"] = date.title
            row[f"Event {n} - Value"] = _date_text(date)
        if contact.how_we_met:
            row["Custom Field 1 - Label"] = HOW_WE_MET
            row["Custom Field 1 - Value"] = contact.how_we_met
        writer.writerow(row)
        yield flush()


# --- Formats --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    content_type: str
    suffix: str  # ends the file name, so two formats never download under the same name
    write: Callable[[Iterable[Contact]], Iterator[str]]


EXPORT_FORMATS = {
    "vcard": ExportFormat(
        "text/vcard; charset=utf-8", "vcard4.vcf", partial(vcards, version="4.0")
    ),
    "vcard3": ExportFormat(
        "text/vcard; charset=utf-8", "vcard3.vcf", partial(vcards, version="3.0")
    ),
    "csv": ExportFormat("text/csv; charset=utf-8", "spreadsheet.csv", csv_rows),
    "google": ExportFormat("text/csv; charset=utf-8", "google.csv", google_csv_rows),
}


def export_filename(stem: str, export_format: str) -> str:
    """network-crm-contacts-vcard3.vcf, network-crm-selection-google.csv..."""
    return f"{stem}-{EXPORT_FORMATS[export_format].suffix}"


def export_chunks(contacts: QuerySet[Contact], export_format: str) -> Iterator[str]:
    """The file's text, streamed, for the given people in name order."""
    rows = contacts_for_export(contacts).order_by("sort_name", "pk")
    return EXPORT_FORMATS[export_format].write(rows.iterator(chunk_size=500))


# --- Full JSON backup ------------------------------------------------------------------------


def backup_json(*, owner: User) -> Iterator[str]:
    """Everything the user owns, as JSON, streamed table by table."""
    from interactions.models import Interaction
    from interactions.services import EDITABLE_FIELDS as INTERACTION_FIELDS
    from reminders.models import Reminder

    settings_row = owner.settings
    yield '{"format": "network-crm-backup", "version": 1'
    yield ', "account": ' + json.dumps(
        {
            "email": owner.email,
            "name": owner.name,
            "time_zone": settings_row.time_zone,
            "digest_frequency": settings_row.digest_frequency,
            "digest_weekday": settings_row.digest_weekday,
            "digest_hour": settings_row.digest_hour,
            "daily_limit": settings_row.daily_limit,
        }
    )
    tables = [
        ("circles", Circle.objects.filter(owner=owner).values("id", "name", "cadence_days")),
        ("interests", Interest.objects.filter(owner=owner).values("id", "name", "mine")),
        (
            "contacts",
            Contact.objects.filter(owner=owner).values(
                "id",
                "uid",
                *Contact.TEXT_FIELDS,
                "circle_id",
                "cadence_days",
                "paused",
                "archived",
                "added_on",
                "cadence_restarted_on",
                "snoozed_until",
                "introduced_by_id",
            ),
        ),
        (
            "contact_interests",
            Contact.interests.through.objects.filter(contact__owner=owner).values(
                "contact_id", "interest_id"
            ),
        ),
        (
            "contact_methods",
            ContactMethod.objects.filter(owner=owner).values(
                "contact_id", "kind", "label", "value", "position"
            ),
        ),
        (
            "important_dates",
            ImportantDate.objects.filter(owner=owner).values(
                "contact_id", "kind", "label", "day", "month", "year"
            ),
        ),
        (
            "interactions",
            # Every field the user can edit, as the interaction services name them.
            Interaction.objects.filter(owner=owner).values("id", *INTERACTION_FIELDS),
        ),
        (
            "interaction_contacts",
            Interaction.contacts.through.objects.filter(interaction__owner=owner).values(
                "interaction_id", "contact_id"
            ),
        ),
        (
            "reminders",
            Reminder.objects.filter(owner=owner).values(
                "contact_id", "interaction_id", "kind", "due_on", "state", "snoozed_until", "note"
            ),
        ),
    ]
    for name, rows in tables:
        yield f', "{name}": ['
        for index, row in enumerate(rows.order_by().iterator(chunk_size=2000)):
            yield ("," if index else "") + json.dumps(
                row, cls=DjangoJSONEncoder, ensure_ascii=False
            )
        yield "]"
    yield "}\n"


# --- Restore ---------------------------------------------------------------------------------


class RestoreRefused(ValueError):
    """Why a backup can't be restored, in words for the user."""


def _validated[M: models.Model](row: M, *, exclude: list[str]) -> M:
    row.full_clean(exclude=exclude)
    row.save()
    return row


def backup_restore(*, owner: User, data: dict) -> int:
    """Recreate everything from a backup in an account that has no people yet; returns how many
    people came back. New rows get new ids; every link between them is kept."""
    from django.db import transaction
    from django.utils.dateparse import parse_date, parse_datetime

    from interactions.models import Interaction
    from interactions.services import activity_recount, contacts_recompute_from_log
    from network_crm.clock import user_zone
    from reminders.models import Reminder

    if not isinstance(data, dict) or data.get("format") != "network-crm-backup":
        raise RestoreRefused("That file isn't a network-crm backup.")
    if Contact.objects.filter(owner=owner).exists():
        raise RestoreRefused("A backup can only be restored into an account with no people yet.")
    backup_interests = data.get("interests")
    if isinstance(backup_interests, list) and len(backup_interests) > MAX_INTERESTS_PER_OWNER:
        raise RestoreRefused(
            f"This backup has {len(backup_interests):,} interests; an account holds at most "
            f"{MAX_INTERESTS_PER_OWNER:,}. Remove some from the file, then restore it."
        )
    try:
        with transaction.atomic():
            Circle.objects.filter(owner=owner).delete()  # the defaults; the backup has its own
            # Every row is validated as a form would (lengths, choices, ranges) before it is
            # saved, so a hand-edited backup is refused the same way on SQLite as on PostgreSQL.
            circles = {
                row["id"]: _validated(
                    Circle(owner=owner, name=row["name"], cadence_days=row["cadence_days"]),
                    exclude=["owner"],
                )
                for row in data.get("circles", [])
            }
            interests = {
                row["id"]: _validated(
                    Interest(owner=owner, name=row["name"], mine=row["mine"]),
                    exclude=["owner", "folded_name"],
                )
                for row in data.get("interests", [])
            }
            contacts = {}
            for row in data.get("contacts", []):
                contact = Contact(
                    owner=owner,
                    **{
                        k: row[k]
                        for k in ("uid", *Contact.TEXT_FIELDS, "cadence_days", "paused", "archived")
                    },
                    circle=circles.get(row["circle_id"]),
                    added_on=parse_date(row["added_on"]),
                    cadence_restarted_on=parse_date(row["cadence_restarted_on"] or "")
                    if row["cadence_restarted_on"]
                    else None,
                    snoozed_until=parse_date(row["snoozed_until"])
                    if row["snoozed_until"]
                    else None,
                )
                contacts[row["id"]] = _validated(
                    contact, exclude=["owner", "circle", "introduced_by", "import_batch", "uid"]
                )
            for row in data.get("contacts", []):
                if row.get("introduced_by_id") in contacts:
                    Contact.objects.filter(pk=contacts[row["id"]].pk).update(
                        introduced_by=contacts[row["introduced_by_id"]]
                    )
            Contact.interests.through.objects.bulk_create(
                [
                    Contact.interests.through(
                        contact_id=contacts[r["contact_id"]].pk,
                        interest_id=interests[r["interest_id"]].pk,
                    )
                    for r in data.get("contact_interests", [])
                ]
            )
            for r in data.get("contact_methods", []):
                method = ContactMethod(
                    owner=owner,
                    contact=contacts[r["contact_id"]],
                    kind=r["kind"],
                    label=r["label"],
                    value=r["value"],
                    position=r["position"],
                )
                # Lengths and kinds only: an address the app once accepted (an import keeps
                # what it can't parse) must not stop the person's own backup from restoring.
                method.clean_fields(exclude=["owner", "contact", "folded_value"])
                method.save()
            for r in data.get("important_dates", []):
                date = ImportantDate(
                    owner=owner,
                    contact=contacts[r["contact_id"]],
                    kind=r["kind"],
                    label=r["label"],
                    day=r["day"],
                    month=r["month"],
                    year=r["year"],
                )
                _validated(date, exclude=["owner", "contact"])
            zone = user_zone(owner)
            interactions = {}
            for r in data.get("interactions", []):
                occurred_at = parse_datetime(r["occurred_at"])
                interactions[r["id"]] = Interaction.objects.create(
                    owner=owner,
                    kind=r["kind"],
                    occurred_at=occurred_at,
                    occurred_on=occurred_at.astimezone(zone).date(),
                    duration_minutes=r["duration_minutes"],
                    place=r["place"],
                    notes=r["notes"],
                    initiated_by=r["initiated_by"],
                    follow_up_on=parse_date(r["follow_up_on"]) if r["follow_up_on"] else None,
                    follow_up_note=r["follow_up_note"],
                    ask_next_time=r["ask_next_time"],
                )
            Interaction.contacts.through.objects.bulk_create(
                [
                    Interaction.contacts.through(
                        interaction_id=interactions[r["interaction_id"]].pk,
                        contact_id=contacts[r["contact_id"]].pk,
                    )
                    for r in data.get("interaction_contacts", [])
                ]
            )
            activity_recount(owner=owner)
            for r in data.get("reminders", []):
                Reminder.objects.create(
                    owner=owner,
                    contact=contacts[r["contact_id"]],
                    interaction=interactions.get(r["interaction_id"]),
                    kind=r["kind"],
                    due_on=parse_date(r["due_on"]),
                    state=r["state"],
                    snoozed_until=parse_date(r["snoozed_until"]) if r["snoozed_until"] else None,
                    note=r["note"],
                )
            contacts_recompute_from_log(owner=owner)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RestoreRefused(
            f"That backup is damaged or incomplete ({type(exc).__name__}); nothing was restored."
        ) from None
    except Exception as exc:  # e.g. a ValidationError or IntegrityError from hostile data
        raise RestoreRefused(
            f"That backup can't be restored ({type(exc).__name__}); nothing was restored."
        ) from None
    return len(contacts)
