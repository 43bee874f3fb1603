"""vCard, read and written: 2.1/3.0/4.0 in (through vobject, within the per-card limits), 4.0 or
3.0 out.

Written by hand rather than through a library so the output is exactly what the RFCs ask for:
escaped text values, CRLF line ends and lines folded at 75 octets.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Iterator

import vobject

from contacts.limits import (
    MAX_CARD_LINES,
    MAX_INTERESTS_PER_CARD,
    MAX_LINE_CHARS,
    MAX_METHODS_PER_KIND,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_LINE_CHARS,
)
from contacts.models import Contact, ImportantDate
from portability.formats.common import (
    HOW_WE_MET,
    MAX_FIELD,
    ParsedContact,
    ParseError,
    clean,
    parse_month_day,
    split_how_we_met,
    split_name,
)

# --- Reading ----------------------------------------------------------------------------------


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
    return clean(useful[0] if useful else "", 40)


def _value(line, limit: int = 254) -> str:
    value = clean(line.value, limit)
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
        line.group: clean(line.value, 40) for line in contents.get("x-ablabel", []) if line.group
    }

    def label_of(line) -> str:
        custom = labels.get(line.group, "") if line.group else ""
        builtin = re.match(r"^_\$!<(.*)>!\$_$", custom)
        label = (builtin.group(1).lower() if builtin else custom) or _label(line)
        return label[:40]

    name = clean(contents["fn"][0].value) if "fn" in contents else ""
    if not name and "n" in contents:
        n = contents["n"][0].value
        name = clean(" ".join(filter(None, [n.prefix, n.given, n.additional, n.family, n.suffix])))
    if not name and "org" in contents:
        name = clean(" ".join(contents["org"][0].value))
    if not name:
        return ParseError(number, "this card has no name")
    parsed = ParsedContact(number=number, name=name)
    if "nickname" in contents:
        parsed.nickname = clean(contents["nickname"][0].value, 100)
    if "org" in contents:
        org = contents["org"][0].value
        parsed.company = clean(org[0] if isinstance(org, list) and org else org)
    if "title" in contents:
        parsed.role = clean(contents["title"][0].value)
    if "uid" in contents:
        parsed.uid = clean(contents["uid"][0].value)
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
        parsed.city = clean(getattr(address, "city", ""), 120)
        parsed.country = clean(getattr(address, "country", ""), 120)
    if "bday" in contents:
        line = contents["bday"][0]
        omit = "X-APPLE-OMIT-YEAR" in line.params
        parsed.birthday = parse_month_day(str(line.value), omit_year=omit)
    notes = [clean(line.value, MAX_FIELD) for line in contents.get("note", [])]
    parsed.notes, parsed.how_we_met = split_how_we_met("\n\n".join(filter(None, notes)))
    for line in contents.get("categories", []):
        values = line.value if isinstance(line.value, list) else str(line.value).split(",")
        parsed.interests.extend(clean(v, 80) for v in values if clean(v, 80))
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


# --- Writing ----------------------------------------------------------------------------------


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def param_value(value: str) -> str:
    """A parameter value: quoted, with characters that can't appear in one removed."""
    cleaned = "".join(ch for ch in value if ch not in '"\r\n;:,')
    return f'"{cleaned}"' if cleaned else ""


def fold_line(line: str) -> str:
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


def v3_date(prop: str, date: ImportantDate) -> str:
    if date.year:
        return f"{prop}:{date.year:04d}-{date.month:02d}-{date.day:02d}"
    year = V3_OMIT_YEAR
    return f"{prop};X-APPLE-OMIT-YEAR={year}:{year:04d}-{date.month:02d}-{date.day:02d}"


def v4_date(date: ImportantDate) -> str:
    year = f"{date.year:04d}" if date.year else "--"
    return f"{year}{date.month:02d}{date.day:02d}"


class ItemGroups:
    """Apple's item groups (item1.TEL + item1.X-ABLabel), numbered within one card."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"item{self.count}"


def v3_method(prop: str, label: str, value: str, items: ItemGroups) -> list[str]:
    token = label.strip().lower()
    token = V3_TYPE_SYNONYMS.get(token, token) if prop == "TEL" else token
    type_param = f";TYPE={token}" if token in V3_TYPES[prop] else ""
    if not label or (label == token and type_param):
        return [f"{prop}{type_param}:{escape_text(value)}"]
    group = items.next()
    return [
        f"{group}.{prop}{type_param}:{escape_text(value)}",
        f"{group}.X-ABLabel:{escape_text(label)}",
    ]


def vcard(contact: Contact, *, version: str = "4.0") -> str:
    v3 = version == "3.0"
    items = ItemGroups()
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    family, given = split_name(contact.name)
    lines.append(f"UID:{escape_text(contact.uid)}")
    lines.append(f"FN:{escape_text(contact.name)}")
    lines.append(f"N:{escape_text(family)};{escape_text(given)};;;")
    if contact.nickname:
        lines.append(f"NICKNAME:{escape_text(contact.nickname)}")
    if contact.company:
        lines.append(f"ORG:{escape_text(contact.company)}")
    if contact.role:
        lines.append(f"TITLE:{escape_text(contact.role)}")
    for method in contact.methods.all():
        prop = {"email": "EMAIL", "phone": "TEL", "link": "URL"}[method.kind]
        if v3:
            lines.extend(v3_method(prop, method.label, method.value, items))
            continue
        label = (
            f";TYPE={param_value(method.label)}"
            if method.label and param_value(method.label)
            else ""
        )
        lines.append(f"{prop}{label}:{escape_text(method.value)}")
    if contact.city or contact.country:
        lines.append(f"ADR:;;;{escape_text(contact.city)};;;{escape_text(contact.country)}")
    for date in contact.dates.all():
        if date.label:
            continue
        if date.kind == ImportantDate.Kind.BIRTHDAY:
            lines.append(v3_date("BDAY", date) if v3 else f"BDAY:{v4_date(date)}")
        elif date.kind == ImportantDate.Kind.ANNIVERSARY:
            if v3:
                group = items.next()
                lines.append(v3_date(f"{group}.X-ABDATE", date))
                lines.append(f"{group}.X-ABLabel:_$!<Anniversary>!$_")
            else:
                lines.append(f"ANNIVERSARY:{v4_date(date)}")
    interests = [interest.name for interest in contact.interests.all()]
    if interests:
        lines.append("CATEGORIES:" + ",".join(escape_text(name) for name in interests))
    notes = "\n\n".join(
        filter(None, [contact.notes, contact.how_we_met and f"{HOW_WE_MET}: {contact.how_we_met}"])
    )
    if notes:
        lines.append(f"NOTE:{escape_text(notes)}")
    lines.append("END:VCARD")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def vcards(contacts: Iterable[Contact], *, version: str = "4.0") -> Iterator[str]:
    for contact in contacts:
        yield vcard(contact, version=version)
