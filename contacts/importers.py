"""Reading other apps' contact files: vCard 2.1/3.0/4.0, Google Contacts CSV, LinkedIn's
Connections.csv. Each reader yields one ParsedContact or one ParseError per card or row, so a bad
card is reported and skipped while the rest of the file imports."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import vobject

from contacts.limits import (
    MAX_CARD_LINES,
    MAX_INTERESTS_PER_CARD,
    MAX_LINE_CHARS,
    MAX_METHODS_PER_KIND,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_LINE_CHARS,
)
from network_crm.text import fold

MAX_FIELD = 10_000  # longer values are cut, not refused
# vCard has no "how we met": our exports write it as the NOTE's last paragraph, "How we met: …"
# (so phones show it), and a Google CSV custom field of that label; both are read back into it.
HOW_WE_MET = "How we met"
_HOW_WE_MET_PARAGRAPH = re.compile(rf"(?:^|\n\n){HOW_WE_MET}: (.+)\Z", re.DOTALL)


def split_how_we_met(text: str) -> tuple[str, str]:
    """A NOTE's own notes and its "How we met: …" paragraph, as our vCard exports write them."""
    if match := _HOW_WE_MET_PARAGRAPH.search(text):
        return text[: match.start()][:MAX_FIELD], match.group(1).strip()[:MAX_FIELD]
    return text[:MAX_FIELD], ""


@dataclass
class ParsedContact:
    number: int  # card or row number in the file, for messages
    name: str
    nickname: str = ""
    company: str = ""
    role: str = ""
    city: str = ""
    country: str = ""
    notes: str = ""
    how_we_met: str = ""
    uid: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    phones: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    birthday: tuple[int, int, int | None] | None = None  # (month, day, year)
    interests: list[str] = field(default_factory=list)
    met_on: dt.date | None = None
    photo: bytes | None = None
    # What the limits left out of this card, in words for the preview ("kept the first 20 phone
    # numbers of 100,000"); kept apart from the fields so the rest of the import ignores it.
    cuts: list[str] = field(default_factory=list)


@dataclass
class ParseError:
    number: int
    reason: str


def _clean(value: object, limit: int = 200) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\x00", "").strip()
    # Lone surrogates can't be stored (PostgreSQL refuses them): replace them.
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text[:limit]


def decode_upload(raw: bytes) -> str:
    """Text of an uploaded file: UTF-16 when it starts with a byte-order mark, else UTF-8 (a few
    bad bytes are replaced, not a reason to misread the rest), else Windows-1252 (old Outlook)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = raw.decode("utf-8-sig", errors="replace")
        # Mostly UTF-8 with a stray bad byte: keep UTF-8. Otherwise it's an 8-bit encoding.
        bad = text.count("\ufffd")
        valid_non_ascii = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
        # Real UTF-8 text with a stray bad byte has valid accented letters too; an 8-bit file
        # (Windows-1252) has none.
        if error.start > 0 and valid_non_ascii > 0 and bad < len(text) // 10 + 4:
            return text
        return raw.decode("cp1252", errors="replace")


# --- Dates ------------------------------------------------------------------------------------

_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})"), ("y", "m", "d")),  # 1990-02-28, 19900228, ...T00
    (re.compile(r"^--(\d{2})-?(\d{2})$"), ("m", "d")),  # --0229, --02-29 (no year)
    (re.compile(r"^(\d{2})/(\d{2})/(\d{4})$"), ("m", "d", "y")),  # 02/28/1990 (Google, US)
]


def parse_month_day(value: str, *, omit_year: bool = False) -> tuple[int, int, int | None] | None:
    text = value.strip()
    for pattern, parts in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            found = dict(zip(parts, (int(g) for g in match.groups()), strict=True))
            month, day, year = found["m"], found["d"], found.get("y")
            if omit_year or year in (1604, 1900, 0):  # Apple's and Outlook's "no year" markers
                year = None
            if year is not None and not 1900 < year <= 2100:
                year = None  # kept as a yearly date; the year can't be right
            check_year = year or 2000
            try:
                dt.date(check_year, month, day)
            except ValueError:
                return None
            return month, day, year
    return None


# --- vCard ------------------------------------------------------------------------------------


def split_vcards(text: str) -> Iterator[tuple[int, str | None, str]]:
    """Yield (card number, card text or None, reason) for each BEGIN:VCARD block.

    Splitting first means an unclosed or garbled card is one error, not the end of the file.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    current: list[str] | None = None
    number = 0
    for line in lines:
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if current is not None:
                yield number, None, "this card has no END:VCARD"
            number += 1
            current = [line]
        elif upper == "END:VCARD" and current is not None:
            current.append(line)
            yield number, "\r\n".join(current) + "\r\n", ""
            current = None
        elif current is not None:
            current.append(line)
    if current is not None:
        yield number, None, "this card has no END:VCARD (the file may be cut short)"


_IGNORED_TYPES = {"internet", "pref", "voice", "x400", "text", "uri"}


def _label(line) -> str:
    """A label from TYPE parameters, including vCard 2.1's bare ones (TEL;CELL) and 4.0's
    quoted lists (TYPE="cell,voice")."""
    types: list[str] = []
    for value in list(line.params.get("TYPE", [])) + list(getattr(line, "singletonparams", [])):
        types.extend(part.strip().strip('"').lower() for part in str(value).split(","))
    useful = [t for t in types if t and t not in _IGNORED_TYPES]
    # Lower-case before cutting: lower() can lengthen text ("İ" -> "i̇").
    return _clean(useful[0] if useful else "", 40)


def _value(line, limit: int = 254) -> str:
    value = _clean(line.value, limit)
    return value[4:] if value.lower().startswith("tel:") else value


# vCard 2.1 doesn't escape commas, but vobject reads an unescaped comma in these as the end of
# the value; escaping them first keeps "Collègue de Jürgen, rencontrée à Arles" whole.
_V21_TEXT = re.compile(r"^((?:[\w-]+\.)?(?:FN|NOTE|TITLE)(?:;[^:]*)?:)(.*)$", re.IGNORECASE)


def _escape_v21_commas(card_text: str) -> str:
    if not re.search(r"^VERSION:2\.1\s*$", card_text, re.IGNORECASE | re.MULTILINE):
        return card_text
    lines = []
    for line in card_text.split("\r\n"):
        match = _V21_TEXT.match(line)
        if match:
            line = match.group(1) + re.sub(r"(?<!\\),", r"\\,", match.group(2))
        lines.append(line)
    return "\r\n".join(lines)


def _logical_lines(lines: list[str]) -> Iterator[list[str]]:
    """Physical lines grouped into vCard lines: a line starting with a space or tab continues
    the one before (folding), so a folded photo counts as one line, not hundreds."""
    group: list[str] = []
    for line in lines:
        if group and line.startswith((" ", "\t")):
            group.append(line)
            continue
        if group:
            yield group
        group = [line]
    if group:
        yield group


# Lines of these properties beyond their limit are dropped before parsing, and counted for the
# preview: (limit, what the user calls them).
_CAPPED_PROPERTIES = {
    "TEL": (MAX_METHODS_PER_KIND, "phone numbers"),
    "EMAIL": (MAX_METHODS_PER_KIND, "email addresses"),
    "URL": (MAX_METHODS_PER_KIND, "web addresses"),
    "CATEGORIES": (MAX_INTERESTS_PER_CARD, "categories"),
}
_PROPERTY = re.compile(r"^(?:[\w-]+\.)?([A-Za-z-]+)")


def cap_card(card_text: str) -> tuple[str, list[str]]:
    """The card within the per-card limits, and what was cut, in words: at most
    MAX_METHODS_PER_KIND phone, email and web lines, MAX_INTERESTS_PER_CARD category lines,
    MAX_CARD_LINES lines in all, each at most MAX_LINE_CHARS long (a photo up to
    MAX_PHOTO_LINE_CHARS). A hostile card then costs the parser little."""
    physical = card_text.split("\r\n")
    begin, body, end = physical[0], physical[1:-2], physical[-2]
    kept: list[str] = [begin]
    seen: dict[str, int] = {}
    dropped_categories = total = long_lines = 0
    photo_dropped = False
    for group in _logical_lines(body):
        match = _PROPERTY.match(group[0])
        prop = match.group(1).upper() if match else ""
        if prop in _CAPPED_PROPERTIES:
            seen[prop] = seen.get(prop, 0) + 1
            if seen[prop] > _CAPPED_PROPERTIES[prop][0]:
                if prop == "CATEGORIES":
                    dropped_categories += "".join(group).count(",") + 1
                continue
        total += 1
        if total > MAX_CARD_LINES:
            continue
        length = sum(len(part) for part in group)
        if prop == "PHOTO":
            if length > MAX_PHOTO_LINE_CHARS:
                photo_dropped = True
                continue
        elif length > MAX_LINE_CHARS:
            long_lines += 1
            budget = MAX_LINE_CHARS
            cut = []
            for part in group:
                cut.append(part[:budget])
                budget -= len(part)
                if budget <= 0:
                    break
            group = cut
        kept.extend(group)
    kept.append(end)
    cuts = [
        f"kept the first {limit} {words} of {seen[prop]:,}"
        for prop, (limit, words) in _CAPPED_PROPERTIES.items()
        if prop != "CATEGORIES" and seen.get(prop, 0) > limit
    ]
    if dropped_categories:
        cuts.append(
            f"{dropped_categories:,} categories beyond the first {MAX_INTERESTS_PER_CARD} "
            "were not imported"
        )
    if total > MAX_CARD_LINES:
        cuts.append(f"only the first {MAX_CARD_LINES:,} of its {total:,} lines were read")
    if long_lines:
        cuts.append(
            f"{long_lines:,} line{'s' if long_lines > 1 else ''} longer than "
            f"{MAX_LINE_CHARS:,} characters {'were' if long_lines > 1 else 'was'} cut short"
        )
    if photo_dropped:
        cuts.append(f"its photo is larger than {MAX_PHOTO_BYTES // 2**20} MB and was not imported")
    return "\r\n".join(kept) + "\r\n", cuts


def parse_vcard_text(text: str) -> Iterator[ParsedContact | ParseError]:
    for number, card_text, reason in split_vcards(text):
        if card_text is None:
            yield ParseError(number, reason)
            continue
        card_text, cuts = cap_card(card_text)
        try:
            card = vobject.readOne(_escape_v21_commas(card_text), allowQP=True)
            parsed = _from_vcard(number, card)
        except Exception as exc:  # vobject raises many types for broken input
            yield ParseError(number, f"this card can't be read ({type(exc).__name__})")
            continue
        if isinstance(parsed, ParsedContact):
            parsed.cuts[:0] = cuts
        yield parsed


def _from_vcard(number: int, card) -> ParsedContact | ParseError:
    contents = card.contents
    labels = {
        line.group: _clean(line.value, 40) for line in contents.get("x-ablabel", []) if line.group
    }

    def label_of(line) -> str:
        custom = labels.get(line.group, "") if line.group else ""
        builtin = re.match(r"^_\$!<(.*)>!\$_$", custom)
        label = (builtin.group(1).lower() if builtin else custom) or _label(line)
        return label[:40]

    name = _clean(contents["fn"][0].value) if "fn" in contents else ""
    if not name and "n" in contents:
        n = contents["n"][0].value
        name = _clean(" ".join(filter(None, [n.prefix, n.given, n.additional, n.family, n.suffix])))
    if not name and "org" in contents:
        name = _clean(" ".join(contents["org"][0].value))
    if not name:
        return ParseError(number, "this card has no name")
    parsed = ParsedContact(number=number, name=name)
    if "nickname" in contents:
        parsed.nickname = _clean(contents["nickname"][0].value, 100)
    if "org" in contents:
        org = contents["org"][0].value
        parsed.company = _clean(org[0] if isinstance(org, list) and org else org)
    if "title" in contents:
        parsed.role = _clean(contents["title"][0].value)
    if "uid" in contents:
        parsed.uid = _clean(contents["uid"][0].value)
    for line in contents.get("email", []):
        if value := _value(line):
            parsed.emails.append((label_of(line), value))
    for line in contents.get("tel", []):
        if value := _value(line):
            parsed.phones.append((label_of(line), value))
    for line in contents.get("url", []):
        if value := _value(line):
            parsed.links.append((label_of(line), value))
    if "adr" in contents:
        address = contents["adr"][0].value
        parsed.city = _clean(getattr(address, "city", ""), 120)
        parsed.country = _clean(getattr(address, "country", ""), 120)
    if "bday" in contents:
        line = contents["bday"][0]
        omit = "X-APPLE-OMIT-YEAR" in line.params
        parsed.birthday = parse_month_day(str(line.value), omit_year=omit)
    notes = [_clean(line.value, MAX_FIELD) for line in contents.get("note", [])]
    parsed.notes, parsed.how_we_met = split_how_we_met("\n\n".join(filter(None, notes)))
    for line in contents.get("categories", []):
        values = line.value if isinstance(line.value, list) else str(line.value).split(",")
        parsed.interests.extend(_clean(v, 80) for v in values if _clean(v, 80))
    if "photo" in contents:
        parsed.photo = _photo_bytes(contents["photo"][0])
    return parsed


def _photo_bytes(line) -> bytes | None:
    value = line.value
    if isinstance(value, bytes):
        return value
    if isinstance(value, str) and value.startswith("data:") and "," in value:
        try:
            return base64.b64decode(value.split(",", 1)[1])
        except ValueError:
            return None
    return None


# --- CSV ----------------------------------------------------------------------------------------


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
        name = _clean(row.get("Name")) or _clean(
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
        parsed.nickname = _clean(row.get("Nickname"), 100)
        parsed.company = _clean(row.get("Organization Name") or row.get("Organization 1 - Name"))
        parsed.role = _clean(row.get("Organization Title") or row.get("Organization 1 - Title"))
        parsed.notes = _clean(row.get("Notes"), MAX_FIELD)
        for n in range(1, 6):
            if fold(_clean(row.get(f"Custom Field {n} - Label"))) == fold(HOW_WE_MET):
                parsed.how_we_met = _clean(row.get(f"Custom Field {n} - Value"), MAX_FIELD)
            for kind, bucket in (
                ("E-mail", parsed.emails),
                ("Phone", parsed.phones),
                ("Website", parsed.links),
            ):
                for value in _clean(row.get(f"{kind} {n} - Value"), 1000).split(" ::: "):
                    if value.strip():
                        bucket.append(
                            (
                                _clean(
                                    row.get(f"{kind} {n} - Label") or row.get(f"{kind} {n} - Type"),
                                    40,
                                )
                                .lstrip("* ")
                                .lower()[:40],
                                value.strip()[:254],
                            )
                        )
        if birthday := _clean(row.get("Birthday")):
            parsed.birthday = parse_month_day(birthday)
        labels = _clean(row.get("Labels") or row.get("Group Membership"), 1000)
        parsed.interests = [
            label.strip().lstrip("* ")[:80]
            for label in labels.split(" ::: ")
            if label.strip()
            and label.strip().lstrip("* ") not in ("myContacts", "starred", "My Contacts")
        ]
        parsed.city = _clean(row.get("Address 1 - City"), 120)
        parsed.country = _clean(row.get("Address 1 - Country"), 120)
        yield parsed


def parse_linkedin_csv(text: str) -> Iterator[ParsedContact | ParseError]:
    reader, header_line = _csv_reader(text, ("First Name",))
    for index, (row, problem) in enumerate(_safe_rows(reader), start=1):
        number = header_line + index
        if problem:
            yield ParseError(number, problem)
            continue
        row = {k or "": v or "" for k, v in row.items() if not isinstance(v, list)}
        name = _clean(" ".join(filter(None, [row.get("First Name"), row.get("Last Name")])))
        if not name:
            yield ParseError(number, "this row has no name")
            continue
        parsed = ParsedContact(number=number, name=name)
        parsed.company = _clean(row.get("Company"))
        parsed.role = _clean(row.get("Position"))
        if email := _clean(row.get("Email Address"), 254):
            parsed.emails.append(("", email))
        if url := _clean(row.get("URL"), 254):
            parsed.links.append(("linkedin", url))
        if connected := _clean(row.get("Connected On")):
            for pattern in ("%d %b %Y", "%Y-%m-%d", "%m/%d/%Y"):
                try:
                    parsed.met_on = dt.datetime.strptime(connected, pattern).date()  # noqa: DTZ007 - a date
                    break
                except ValueError:
                    continue
        yield parsed


def parse_file(
    *, kind: str, text: str, mapping: list[str] | None = None
) -> Iterator[ParsedContact | ParseError]:
    readers = {
        "csv": lambda: parse_mapped_csv(text, mapping or []),
        "vcard": lambda: parse_vcard_text(text),
        "linkedin": lambda: parse_linkedin_csv(text),
        "google": lambda: parse_google_csv(text),
    }
    if kind not in readers:
        raise ValueError(kind)
    return (cap_contact(item) for item in readers[kind]())


def _interest_key(name: str) -> str:
    return fold(" ".join(name.split()))


_METHOD_WORDS = {"emails": "email addresses", "phones": "phone numbers", "links": "web addresses"}


def cap_contact(item: ParsedContact | ParseError) -> ParsedContact | ParseError:
    """Keep the first MAX_METHODS_PER_KIND of each way to reach and the first
    MAX_INTERESTS_PER_CARD distinct interests of a card, and say what was left out."""
    if isinstance(item, ParseError):
        return item
    for name, words in _METHOD_WORDS.items():
        values = getattr(item, name)
        if len(values) > MAX_METHODS_PER_KIND:
            setattr(item, name, values[:MAX_METHODS_PER_KIND])
            item.cuts.append(f"kept the first {MAX_METHODS_PER_KIND} {words} of {len(values):,}")
    keys = list(dict.fromkeys(_interest_key(name) for name in item.interests))
    if len(keys) > MAX_INTERESTS_PER_CARD:
        beyond = len(keys) - MAX_INTERESTS_PER_CARD
        item.cuts.append(
            f"{beyond:,} categor{'ies' if beyond > 1 else 'y'} beyond the first "
            f"{MAX_INTERESTS_PER_CARD} {'were' if beyond > 1 else 'was'} not imported"
        )
        keep = set(keys[:MAX_INTERESTS_PER_CARD])
        item.interests = [name for name in item.interests if _interest_key(name) in keep]
    return item


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
        return [_clean(h, 100) for h in next(csv.reader(io.StringIO(text)), [])]
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
                values.setdefault(field_name, []).append(_clean(cell, MAX_FIELD))

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
