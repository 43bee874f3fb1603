"""CSV, read and written: Google Contacts CSV both ways, LinkedIn's Connections.csv and any other
CSV (through a column mapping) in, a CSV for spreadsheets out."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator

from contacts.models import Contact, ContactMethod
from network_crm.text import fold
from portability.formats.common import (
    HOW_WE_MET,
    MAX_FIELD,
    ParsedContact,
    ParseError,
    clean,
    date_text,
    parse_month_day,
    split_name,
)

# --- Reading ----------------------------------------------------------------------------------


def _safe_rows(reader) -> Iterator[tuple[object, str]]:
    """Rows of a csv reader; a row the csv module can't read (a huge cell, a stray NUL) becomes
    an error for that row instead of the end of the import."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield None, f"this row can't be read ({error})"
            continue
        yield row, ""


def _csv_reader(text: str, header_starts: tuple[str, ...]) -> tuple[csv.DictReader, int]:
    """A DictReader starting at the header line (LinkedIn puts notes above it)."""
    lines = text.splitlines(keepends=True)
    start = 0
    for index, line in enumerate(lines[:50]):
        if line.lstrip("\ufeff").startswith(header_starts):
            start = index
            break
    return csv.DictReader(io.StringIO("".join(lines[start:]))), start + 1


def detect_csv(text: str) -> str:
    head = text[:4000]
    if "Connected On" in head and "First Name" in head:
        return "linkedin"
    google_columns = (
        "E-mail 1 - Value",
        "Phone 1 - Value",
        "Given Name",
        "Organization 1 - Name",
        "Organization Name",
        "File As",
        "Group Membership",
    )
    if any(column in head for column in google_columns):
        return "google"
    return "unknown"


def parse_google_csv(text: str) -> Iterator[ParsedContact | ParseError]:
    reader, header_line = _csv_reader(text, ("Name", "First Name", "Given Name"))
    for index, (row, problem) in enumerate(_safe_rows(reader), start=1):
        number = header_line + index
        if problem:
            yield ParseError(number, problem)
            continue
        row = {k or "": v or "" for k, v in row.items() if not isinstance(v, list)}
        name = clean(row.get("Name")) or clean(
            " ".join(
                filter(
                    None,
                    [
                        row.get("First Name") or row.get("Given Name"),
                        row.get("Middle Name") or row.get("Additional Name"),
                        row.get("Last Name") or row.get("Family Name"),
                    ],
                )
            )
        )
        if not name:
            yield ParseError(number, "this row has no name")
            continue
        parsed = ParsedContact(number=number, name=name)
        parsed.nickname = clean(row.get("Nickname"), 100)
        parsed.company = clean(row.get("Organization Name") or row.get("Organization 1 - Name"))
        parsed.role = clean(row.get("Organization Title") or row.get("Organization 1 - Title"))
        parsed.notes = clean(row.get("Notes"), MAX_FIELD)
        for n in range(1, 6):
            if fold(clean(row.get(f"Custom Field {n} - Label"))) == fold(HOW_WE_MET):
                parsed.how_we_met = clean(row.get(f"Custom Field {n} - Value"), MAX_FIELD)
            for kind, bucket in (
                ("E-mail", parsed.emails),
                ("Phone", parsed.phones),
                ("Website", parsed.links),
            ):
                for value in clean(row.get(f"{kind} {n} - Value"), 1000).split(" ::: "):
                    if value.strip():
                        bucket.append(
                            (
                                clean(
                                    row.get(f"{kind} {n} - Label") or row.get(f"{kind} {n} - Type"),
                                    40,
                                )
                                .lstrip("* ")
                                .lower()[:40],
                                value.strip()[:254],
                            )
                        )
        if birthday := clean(row.get("Birthday")):
            parsed.birthday = parse_month_day(birthday)
        labels = clean(row.get("Labels") or row.get("Group Membership"), 1000)
        parsed.interests = [
            label.strip().lstrip("* ")[:80]
            for label in labels.split(" ::: ")
            if label.strip()
            and label.strip().lstrip("* ") not in ("myContacts", "starred", "My Contacts")
        ]
        parsed.city = clean(row.get("Address 1 - City"), 120)
        parsed.country = clean(row.get("Address 1 - Country"), 120)
        yield parsed


def parse_linkedin_csv(text: str) -> Iterator[ParsedContact | ParseError]:
    reader, header_line = _csv_reader(text, ("First Name",))
    for index, (row, problem) in enumerate(_safe_rows(reader), start=1):
        number = header_line + index
        if problem:
            yield ParseError(number, problem)
            continue
        row = {k or "": v or "" for k, v in row.items() if not isinstance(v, list)}
        name = clean(" ".join(filter(None, [row.get("First Name"), row.get("Last Name")])))
        if not name:
            yield ParseError(number, "this row has no name")
            continue
        parsed = ParsedContact(number=number, name=name)
        parsed.company = clean(row.get("Company"))
        parsed.role = clean(row.get("Position"))
        if email := clean(row.get("Email Address"), 254):
            parsed.emails.append(("", email))
        if url := clean(row.get("URL"), 254):
            parsed.links.append(("linkedin", url))
        if connected := clean(row.get("Connected On")):
            for pattern in ("%d %b %Y", "%Y-%m-%d", "%m/%d/%Y"):
                try:
                    parsed.met_on = dt.datetime.strptime(connected, pattern).date()  # noqa: DTZ007 - a date
                    break
                except ValueError:
                    continue
        yield parsed


# --- Any other CSV, through a column mapping ------------------------------------------------

MAPPABLE_FIELDS = [
    ("", "Skip this column"),
    ("name", "Full name"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("nickname", "Nickname"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("link", "Web address"),
    ("company", "Company"),
    ("role", "Role"),
    ("city", "City"),
    ("country", "Country"),
    ("birthday", "Birthday"),
    ("notes", "Notes"),
    ("interests", "Interests (separated by ; or ,)"),
]
_GUESSES = {
    "name": ("name", "full name", "display name", "nom"),
    "first_name": ("first name", "first", "given name", "prénom", "prenom"),
    "last_name": ("last name", "last", "surname", "family name"),
    "nickname": ("nickname",),
    "email": ("email", "e-mail", "email address", "mail"),
    "phone": ("phone", "mobile", "telephone", "tel", "phone number"),
    "link": ("url", "website", "web", "linkedin"),
    "company": ("company", "organisation", "organization", "employer"),
    "role": ("role", "title", "job title", "position"),
    "city": ("city", "town"),
    "country": ("country",),
    "birthday": ("birthday", "birth date", "date of birth", "dob"),
    "notes": ("notes", "note", "comments"),
    "interests": ("interests", "tags", "labels", "categories"),
}


def csv_headers(text: str) -> list[str]:
    try:
        return [clean(h, 100) for h in next(csv.reader(io.StringIO(text)), [])]
    except csv.Error:
        return []


def guess_mapping(headers: list[str]) -> list[str]:
    guesses = []
    for header in headers:
        key = header.strip().lower()
        guesses.append(next((field for field, names in _GUESSES.items() if key in names), ""))
    return guesses


def parse_mapped_csv(text: str, mapping: list[str]) -> Iterator[ParsedContact | ParseError]:
    reader = csv.reader(io.StringIO(text))
    next(_safe_rows(reader), None)
    for number, (row, problem) in enumerate(_safe_rows(reader), start=2):
        if problem:
            yield ParseError(number, problem)
            continue
        values: dict[str, list[str]] = {}
        for field_name, cell in zip(mapping, row, strict=False):
            if field_name and (cell or "").strip():
                values.setdefault(field_name, []).append(clean(cell, MAX_FIELD))

        def first(key: str, limit: int = 200, values=values) -> str:
            return (values.get(key) or [""])[0][:limit]

        name = first("name") or " ".join(filter(None, [first("first_name"), first("last_name")]))
        if not name:
            if any(values.values()):
                yield ParseError(number, "this row has no name")
            continue
        parsed = ParsedContact(number=number, name=name[:200])
        parsed.nickname = first("nickname", 100)
        parsed.company, parsed.role = first("company"), first("role")
        parsed.city, parsed.country = first("city", 120), first("country", 120)
        parsed.notes = "\n".join(values.get("notes", []))[:MAX_FIELD]
        parsed.emails = [("", v[:254]) for v in values.get("email", [])]
        parsed.phones = [("", v[:254]) for v in values.get("phone", [])]
        parsed.links = [("", v[:254]) for v in values.get("link", [])]
        if birthday := first("birthday"):
            parsed.birthday = parse_month_day(birthday)
        for cell in values.get("interests", []):
            parsed.interests.extend(t.strip()[:80] for t in re.split(r"[;,]", cell) if t.strip())
        yield parsed


# --- Writing: CSV for spreadsheets ----------------------------------------------------------

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


def _safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


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
            date_text(birthday) if birthday else "",
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
        family, given = split_name(contact.name)
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
            "Birthday": date_text(birthday) if birthday else "",
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
            row[f"Event {n} - Value"] = date_text(date)
        if contact.how_we_met:
            row["Custom Field 1 - Label"] = HOW_WE_MET
            row["Custom Field 1 - Value"] = contact.how_we_met
        writer.writerow(row)
        yield flush()
