"""Contact <-> vCard for the address book: what a card says, in the dialect the client reads
(3.0 for Apple's clients, 4.0 otherwise), without losing what the CRM has no column for.

How nothing is lost (docs/architecture.md, "Sync with phones"):
- The CRM's columns (``card_fields``) are what the app shows and edits; a device's card is read
  into the same dict, so the merge compares like with like.
- ``Card.extra`` keeps every line of the device's last card except those regenerated from the
  columns every time (VERSION, PRODID, REV, UID, an inline PHOTO, CATEGORIES), unfolded, after
  a first ``VERSION:`` line naming the dialect they came in. Lines of properties the CRM has no
  column for (a second ADR, X- properties, IMPP, RELATED, item groups of their own...) are
  written back unchanged, always.
- Lines of mapped properties (FN, N, NICKNAME, ORG, TITLE, EMAIL, TEL, URL, BDAY, ANNIVERSARY,
  Apple's anniversary X-ABDATE, the first NOTE, with their item group's X-ABLabel) are kept
  too, as "shadows": when a card is written in the dialect they came in and the column still
  says what the line said, the line itself is written (with its TYPE=pref, its long label, its
  escaping), otherwise a fresh line is made from the column. A shadow is stored as one
  ``X-NETWORK-CRM-SHADOW;<property>:<base64 key>:<base64 lines>`` line (never served; a card
  that sends one is refused). N rides with FN: the device's N
  parts are written while the name is unchanged; a name edited in the app gives N from the name.
- The first ADR holds the city and country columns (its locality and country parts). Its other
  parts (street, postal code, region, its TYPE) are kept: a city edited in the app replaces only
  those two parts, in either dialect. ORG's first part is the company the same way (a
  department after it is kept).
- CATEGORIES: the first category naming one of the owner's circles is the circle; the others
  are kept as they were and written after the circle's name. A category naming no circle
  creates none.
- PHOTO: an inline picture becomes the contact's photo (checked and re-encoded by
  contacts/photos.py); it is written back inline (3.0: ENCODING=b, 4.0: a data: URI). A photo
  by URL is an ordinary kept line.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contacts.limits import (
    MAX_CARD_LINES,
    MAX_LINE_CHARS,
    MAX_METHODS_PER_CONTACT,
    MAX_PHOTO_LINE_CHARS,
)
from portability.formats.common import HOW_WE_MET, parse_month_day, split_how_we_met, split_name
from portability.formats.vcard import (
    V3_OMIT_YEAR,
    V3_TYPE_SYNONYMS,
    V3_TYPES,
    ItemGroups,
    escape_text,
    fold_line,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from contacts.models import Contact

VCARD_3 = "3.0"
VCARD_4 = "4.0"

# The fields a card and a contact share, in the order a card writes them; the merge's unit.
TEXT_FIELDS = ("name", "nickname", "company", "role", "city", "country", "notes", "how_we_met")
METHOD_FIELDS = {"emails": "EMAIL", "phones": "TEL", "links": "URL"}
METHOD_KINDS = {"emails": "email", "phones": "phone", "links": "link"}
DATE_FIELDS = ("birthday", "anniversary")
FIELDS = (*TEXT_FIELDS, *METHOD_FIELDS, *DATE_FIELDS, "circle", "photo")

# Column sizes (contacts.models): a card asking for more is refused rather than cut, since a cut
# value would travel back to the phone and lose what it had. Notes have no column size (the
# app's form has none either): MAX_LINE_CHARS bounds them.
FIELD_LIMITS = {
    "name": 200,
    "nickname": 100,
    "company": 200,
    "role": 200,
    "city": 120,
    "country": 120,
}
MAX_METHOD_VALUE = 254
MAX_LABEL = 40

# vCard 4.0's TYPE values per property (RFC 6350 6.4.1, 6.4.2, 6.7.8): a label that is one of
# these is written as TYPE=; any other rides in an item group with X-ABLabel (which DAVx5 and
# Apple read), so a label comes back exactly as typed.
V4_TYPES = {
    "TEL": {"home", "work", "cell", "fax", "pager", "video", "textphone"},
    "EMAIL": {"home", "work"},
    "URL": {"home", "work"},
}
# TYPE values that say nothing a user would call a label.
_IGNORED_TYPES = {"internet", "pref", "voice", "x400", "text", "uri"}
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_ANNIVERSARY_LABEL = "_$!<Anniversary>!$_"

# Regenerated on every write: never kept in extra.
_REGENERATED = {"BEGIN", "END", "VERSION", "PRODID", "REV", "UID", "CATEGORIES"}
_SINGLE = {"FN", "N", "NICKNAME", "ORG", "TITLE", "NOTE", "BDAY", "ANNIVERSARY", "ADR"}


class CardError(ValueError):
    """Why a card can't be read or stored, in words for the client's log."""


# --- Content lines ----------------------------------------------------------------------------

_CONTENT_LINE = re.compile(
    r'^(?:(?P<group>[A-Za-z0-9_-]+)\.)?(?P<name>[A-Za-z0-9_-]+)(?P<params>(?:;(?:[^:";]|"[^"]*")*)*):'
    r"(?P<value>.*)$",
    re.DOTALL,
)
_PARAM = re.compile(r';((?:[^;"]|"[^"]*")*)')


@dataclass
class Line:
    raw: str  # the unfolded line as received
    group: str
    name: str  # upper case
    params: list[tuple[str, str]]  # (NAME upper case, value as written)
    value: str

    def param_values(self, name: str) -> list[str]:
        """The values of a parameter, lists ("cell,voice", quoted or not) split."""
        out: list[str] = []
        for key, value in self.params:
            if key == name:
                out.extend(part.strip() for part in value.replace('"', "").split(","))
        return out

    def has_param(self, name: str) -> bool:
        return any(key == name for key, _ in self.params)


def _content_line(raw: str) -> Line | None:
    match = _CONTENT_LINE.match(raw)
    if not match:
        return None
    params: list[tuple[str, str]] = []
    for part in _PARAM.findall(match.group("params")):
        key, sep, value = part.partition("=")
        # vCard 2.1's bare parameters (TEL;CELL) are TYPE values.
        params.append((key.upper(), value) if sep else ("TYPE", key))
    return Line(
        raw, match.group("group") or "", match.group("name").upper(), params, match.group("value")
    )


def _unfold(text: str) -> list[str]:
    """Logical lines: a physical line starting with a space or tab continues the one before."""
    lines: list[str] = []
    for physical in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if physical[:1] in (" ", "\t") and lines:
            lines[-1] += physical[1:]
        elif physical.strip():
            lines.append(physical)
    return lines


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _split(value: str, separator: str) -> list[str]:
    """Split on a separator that isn't escaped; the parts stay escaped."""
    parts, current, escaped = [], [], False
    for ch in value:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            current.append(ch)
            escaped = True
        elif ch == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _escape_uri(value: str) -> str:
    """A URI value: only what would break the line or its reading is escaped."""
    return (
        value.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    )


# --- The fields -------------------------------------------------------------------------------


def contacts_for_cards(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """``contacts`` with what a card reads fetched in a fixed number of queries."""
    return contacts.select_related("circle").prefetch_related("methods", "dates")


def _newlines(text: str) -> str:
    # A browser's textarea sends CRLF; a card carries LF: compare and merge LF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def card_fields(contact: Contact) -> dict[str, Any]:
    """What a card shows of ``contact``, as plain JSON: the base of a three-way merge (kept in
    ``Card.history``) and what ``card_render`` writes."""
    from contacts.models import ImportantDate

    fields: dict[str, Any] = {name: getattr(contact, name) for name in TEXT_FIELDS}
    fields["notes"] = _newlines(fields["notes"])
    fields["how_we_met"] = _newlines(fields["how_we_met"])
    methods = sorted(contact.methods.all(), key=lambda m: (m.position, m.pk or 0))
    for name, kind in METHOD_KINDS.items():
        fields[name] = [[m.label, m.value] for m in methods if m.kind == kind]
    fields["birthday"] = fields["anniversary"] = None
    for date in sorted(contact.dates.all(), key=lambda d: d.pk or 0):
        if date.label:
            continue  # "Mia's birthday": the CRM's own, not the person's card
        key = {
            ImportantDate.Kind.BIRTHDAY: "birthday",
            ImportantDate.Kind.ANNIVERSARY: "anniversary",
        }
        name = key.get(date.kind)
        if name and fields[name] is None:
            fields[name] = [date.month, date.day, date.year]
    fields["circle"] = contact.circle.name if contact.circle_id else ""
    # The stored file's name: random per upload, so it changes exactly when the photo does.
    fields["photo"] = contact.photo.name if contact.photo else ""
    return fields


# --- Writing ----------------------------------------------------------------------------------


def _date_value(prop: str, date: list, version: str) -> str:
    month, day, year = date
    if version == VCARD_3:
        if year:
            return f"{prop}:{year:04d}-{month:02d}-{day:02d}"
        return f"{prop};X-APPLE-OMIT-YEAR={V3_OMIT_YEAR}:{V3_OMIT_YEAR:04d}-{month:02d}-{day:02d}"
    return f"{prop}:{year:04d}{month:02d}{day:02d}" if year else f"{prop}:--{month:02d}{day:02d}"


def _method_lines(prop: str, label: str, value: str, version: str, items: ItemGroups) -> list[str]:
    written = _escape_uri(value) if prop == "URL" else escape_text(value)
    types = V3_TYPES[prop] if version == VCARD_3 else V4_TYPES[prop]
    token = label.strip().lower()
    token = V3_TYPE_SYNONYMS.get(token, token) if prop == "TEL" else token
    known = token in types and token not in _IGNORED_TYPES
    type_param = f";TYPE={token}" if known else ""
    if not label or (label == token and known):
        return [f"{prop}{type_param}:{written}"]
    group = items.next()
    return [f"{group}.{prop}{type_param}:{written}", f"{group}.X-ABLabel:{escape_text(label)}"]


@dataclass
class _Extra:
    """``Card.extra`` read back: its dialect, the lines always written, and the shadows."""

    version: str = ""
    kept: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    # (key, lines) per mapped property: key is what the column must still say for the lines
    # to be written instead of fresh ones.
    shadows: dict[str, list[tuple[Any, list[str]]]] = field(default_factory=dict)
    adr: Line | None = None
    org: Line | None = None
    max_item: int = 0


def _read_extra(extra: str) -> _Extra:
    out = _Extra()
    if not extra:
        return out
    lines = extra.split("\r\n")
    if lines and lines[0].startswith("VERSION:"):
        out.version = lines[0][8:]
        lines = lines[1:]
    for raw in lines:
        if not raw:
            continue
        item = re.match(r"^item(\d+)\.", raw, re.IGNORECASE)
        if item:
            out.max_item = max(out.max_item, int(item.group(1)))
        if raw.startswith("X-NETWORK-CRM-SHADOW;"):
            prop, key, encoded = raw[len("X-NETWORK-CRM-SHADOW;") :].split(":")
            shadow_lines = base64.b64decode(encoded).decode().split("\r\n")
            out.shadows.setdefault(prop, []).append((_b64_text(key), shadow_lines))
            for line in shadow_lines:  # fresh groups must not reuse a shadow's number either
                if item := re.match(r"^item(\d+)\.", line, re.IGNORECASE):
                    out.max_item = max(out.max_item, int(item.group(1)))
            continue
        if raw.startswith("CATEGORIES:"):
            out.categories.extend(unescape(v) for v in _split(raw[11:], ",") if v)
            continue
        line = _content_line(raw)
        if line and line.name == "ADR" and out.adr is None:
            out.adr = line
        elif line and line.name == "ORG" and out.org is None:
            out.org = line
        else:
            out.kept.append(raw)
    return out


def _shadow_key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _b64_text(value: str) -> str:
    return base64.b64decode(value).decode()


def _replace_parts(line: Line, replacements: dict[int, str]) -> str:
    """``line`` with some of its structured value's parts replaced, the rest as written."""
    parts = _split(line.value, ";")
    for index, value in replacements.items():
        if unescape(parts[index] if index < len(parts) else "") == value:
            continue
        parts.extend([""] * (index + 1 - len(parts)))
        parts[index] = escape_text(value)
    head = line.raw[: len(line.raw) - len(line.value)]
    return head + ";".join(parts)


def _render_lines(
    fields: dict[str, Any], *, uid: str, extra: str, version: str, photo: str | None
) -> list[str]:
    stored = _read_extra(extra)
    use_shadows = stored.version == version
    items = ItemGroups()
    items.count = stored.max_item
    taken: set[int] = set()

    def shadow(prop: str, key: Any) -> list[str] | None:
        if not use_shadows:
            return None
        wanted = _shadow_key(key)
        for index, (shadow_key, lines) in enumerate(stored.shadows.get(prop, [])):
            if (prop, index) not in taken and shadow_key == wanted:
                taken.add((prop, index))
                return lines
        return None

    lines = ["BEGIN:VCARD", f"VERSION:{version}", "PRODID:-//network-crm//CardDAV//EN"]
    lines.append(f"UID:{escape_text(uid)}")
    name = fields["name"]
    if named := shadow("FN", name):
        lines.extend(named)
    else:
        lines.append(f"FN:{escape_text(name)}")
    if parts := shadow("N", name):
        lines.extend(parts)
    else:
        family, given = split_name(name)
        lines.append(f"N:{escape_text(family)};{escape_text(given)};;;")
    if fields["nickname"]:
        lines.extend(
            shadow("NICKNAME", fields["nickname"])
            or [f"NICKNAME:{escape_text(fields['nickname'])}"]
        )
    if stored.org is not None:
        lines.append(_replace_parts(stored.org, {0: fields["company"]}))
    elif fields["company"]:
        lines.append(f"ORG:{escape_text(fields['company'])}")
    if fields["role"]:
        lines.extend(shadow("TITLE", fields["role"]) or [f"TITLE:{escape_text(fields['role'])}"])
    for name_, prop in METHOD_FIELDS.items():
        for label, value in fields[name_]:
            lines.extend(
                shadow(prop, [label, value]) or _method_lines(prop, label, value, version, items)
            )
    if stored.adr is not None:
        lines.append(_replace_parts(stored.adr, {3: fields["city"], 6: fields["country"]}))
    elif fields["city"] or fields["country"]:
        lines.append(f"ADR:;;;{escape_text(fields['city'])};;;{escape_text(fields['country'])}")
    if fields["birthday"]:
        lines.extend(
            shadow("BDAY", fields["birthday"]) or [_date_value("BDAY", fields["birthday"], version)]
        )
    if fields["anniversary"]:
        if version == VCARD_3:
            fresh = [
                _date_value(f"{items.next()}.X-ABDATE", fields["anniversary"], version),
                f"item{items.count}.X-ABLabel:{_ANNIVERSARY_LABEL}",
            ]
        else:
            fresh = [_date_value("ANNIVERSARY", fields["anniversary"], version)]
        lines.extend(shadow("ANNIVERSARY", fields["anniversary"]) or fresh)
    categories = ([fields["circle"]] if fields["circle"] else []) + stored.categories
    if categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in categories))
    note = _note(fields)
    if note:
        lines.extend(shadow("NOTE", note) or [f"NOTE:{escape_text(note)}"])
    if photo:
        if version == VCARD_3:
            lines.append(f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}")
        else:
            lines.append(f"PHOTO:data:image/jpeg;base64,{photo}")
    lines.extend(stored.kept)
    lines.append("END:VCARD")
    return lines


def _note(fields: dict[str, Any]) -> str:
    how = fields["how_we_met"]
    return "\n\n".join(filter(None, [fields["notes"], how and f"{HOW_WE_MET}: {how}"]))


def _photo_base64(contact: Contact) -> str | None:
    if not contact.photo:
        return None
    try:
        with contact.photo.open("rb") as handle:
            return base64.b64encode(handle.read()).decode("ascii")
    except OSError:
        return None  # a missing file: the card goes without its photo


def card_render(contact: Contact, *, extra: str, version: str) -> str:
    lines = _render_lines(
        card_fields(contact),
        uid=contact.uid,
        extra=extra,
        version=version,
        photo=_photo_base64(contact),
    )
    return "".join(fold_line(line) + "\r\n" for line in lines)


def card_render_fields(
    fields: dict[str, Any], *, uid: str, extra: str, version: str, photo: str | None = None
) -> str:
    """``card_render`` from fields already read (tests, and a card before its contact exists)."""
    lines = _render_lines(fields, uid=uid, extra=extra, version=version, photo=photo)
    return "".join(fold_line(line) + "\r\n" for line in lines)


def card_fingerprint(contact: Contact, *, extra: str) -> str:
    """Changes exactly when the card's content does, whichever dialect is served: the 4.0
    rendering with the photo's file name standing for its bytes (no file read per contact), and
    the kept lines, whose 3.0 shadows the 4.0 rendering doesn't show."""
    fields = card_fields(contact)
    text = "\r\n".join(
        _render_lines(fields, uid=contact.uid, extra=extra, version=VCARD_4, photo=fields["photo"])
    )
    return hashlib.sha256(f"{text}\r\n{extra}".encode()).hexdigest()


# --- Reading ----------------------------------------------------------------------------------


@dataclass
class ParsedCard:
    uid: str
    version: str
    fields: dict[str, Any]
    extra: str
    photo: bytes | None = None  # an inline photo's bytes, not yet checked
    categories: list[str] = field(default_factory=list)


def _label(line: Line, labels: dict[str, str]) -> str:
    custom = labels.get(line.group.lower(), "") if line.group else ""
    if custom:
        builtin = _APPLE_LABEL.match(custom)
        return (builtin.group(1).lower() if builtin else custom)[:MAX_LABEL]
    for value in line.param_values("TYPE"):
        token = value.lower()
        if token and token not in _IGNORED_TYPES:
            return token[:MAX_LABEL]
    return ""


def _method_value(line: Line) -> str:
    value = unescape(line.value)
    if line.name == "TEL" and value.lower().startswith("tel:"):
        value = value[4:]
    return value


def _photo(line: Line) -> bytes | None:
    """An inline photo's bytes; None for a photo by URL (kept as an ordinary line)."""
    value = line.value.strip()
    encoding = [v.lower() for v in line.param_values("ENCODING")]
    if value.lower().startswith("data:"):
        head, comma, data = value.partition(",")
        if not comma or ";base64" not in head.lower():
            raise CardError("The card's photo isn't a base64 data: URI.")
    elif "b" in encoding or "base64" in encoding:
        data = value
    else:
        return None
    try:
        return base64.b64decode(re.sub(r"\s", "", data), validate=True)
    except (binascii.Error, ValueError):
        raise CardError("The card's photo isn't valid base64.") from None


def _check_limits(lines: list[str]) -> None:
    if len(lines) > MAX_CARD_LINES:
        raise CardError(f"This card has {len(lines):,} lines; the limit is {MAX_CARD_LINES:,}.")
    for raw in lines:
        is_photo = re.match(r"^(?:[\w-]+\.)?PHOTO[;:]", raw, re.IGNORECASE)
        limit = MAX_PHOTO_LINE_CHARS if is_photo else MAX_LINE_CHARS
        if len(raw) > limit:
            what = "Its photo is" if is_photo else "A line is"
            raise CardError(f"{what} longer than {limit:,} characters.")


def card_parse(text: str, *, circle_names: list[str] | tuple[str, ...] = ()) -> ParsedCard:
    """A device's card read into ``card_fields``' shape and the ``extra`` to keep; CardError
    (with a message for the client) when it is not a card we can store without loss."""
    if "\x00" in text:
        raise CardError("The card contains a NUL character.")
    raw_lines = _unfold(text.removeprefix("\ufeff"))
    _check_limits(raw_lines)
    if not raw_lines or raw_lines[0].strip().upper() != "BEGIN:VCARD":
        raise CardError("This is not a vCard (it doesn't start with BEGIN:VCARD).")
    if raw_lines[-1].strip().upper() != "END:VCARD":
        raise CardError("The card doesn't end with END:VCARD.")
    body = raw_lines[1:-1]
    if any(raw.strip().upper() == "BEGIN:VCARD" for raw in body):
        raise CardError("One resource holds one card; this one holds several.")
    lines: list[Line] = []
    for raw in body:
        line = _content_line(raw)
        if line is None:
            raise CardError(f"This line can't be read: {raw[:60]!r}.")
        lines.append(line)
    if any(line.name == "X-NETWORK-CRM-SHADOW" for line in lines):
        raise CardError("X-NETWORK-CRM-SHADOW is this server's own property; a card can't set it.")
    versions = [line.value.strip() for line in lines if line.name == "VERSION"]
    version = versions[0] if versions else ""
    if version not in (VCARD_3, VCARD_4):
        raise CardError("Only vCard 3.0 and 4.0 are accepted.")
    labels = {
        line.group.lower(): unescape(line.value)
        for line in lines
        if line.group and line.name == "X-ABLABEL"
    }
    by_group: dict[str, list[Line]] = {}
    for line in lines:
        if line.group:
            by_group.setdefault(line.group.lower(), []).append(line)

    fields: dict[str, Any] = {name: "" for name in TEXT_FIELDS}
    fields.update(
        {name: [] for name in METHOD_FIELDS}, birthday=None, anniversary=None, circle="", photo=""
    )
    shadows: list[tuple[str, Any, Line]] = []  # (property, key, line) of mapped lines
    mapped: set[int] = set()
    seen: set[str] = set()
    uid, photo, categories = "", None, []
    fn_line = n_line = None
    org_line = adr_line = None
    for index, line in enumerate(lines):
        name = line.name
        first = name not in seen
        seen.add(name)
        if name in ("VERSION", "PRODID", "REV"):
            mapped.add(index)
        elif name == "UID":
            uid = unescape(line.value).strip()
            mapped.add(index)
        elif name == "CATEGORIES":
            categories.extend(unescape(v).strip() for v in _split(line.value, ","))
            mapped.add(index)
        elif name == "FN" and first:
            fn_line = line
        elif name == "N" and first:
            n_line = line
        elif name == "NICKNAME" and first:
            fields["nickname"] = unescape(line.value)
            shadows.append(("NICKNAME", fields["nickname"], line))
        elif name == "ORG" and first:
            org_line = line
            fields["company"] = unescape(_split(line.value, ";")[0])
        elif name == "TITLE" and first:
            fields["role"] = unescape(line.value)
            shadows.append(("TITLE", fields["role"], line))
        elif name in ("EMAIL", "TEL", "URL"):
            key = {"EMAIL": "emails", "TEL": "phones", "URL": "links"}[name]
            value = _method_value(line)
            if not value.strip():
                continue  # an empty one is kept as written
            if len(fields[key]) >= MAX_METHODS_PER_CONTACT:
                # The contact form's limit, not the import's per-kind one: a card the app
                # wrote must come back whole.
                raise CardError(
                    f"This card has more than {MAX_METHODS_PER_CONTACT} {key}; that is the limit."
                )
            if len(value) > MAX_METHOD_VALUE:
                raise CardError(f"A value of {name} is longer than {MAX_METHOD_VALUE} characters.")
            pair = [_label(line, labels), value]
            fields[key].append(pair)
            shadows.append((name, pair, line))
        elif name == "ADR" and first:
            adr_line = line
            parts = [unescape(p) for p in _split(line.value, ";")] + [""] * 7
            fields["city"], fields["country"] = parts[3], parts[6]
        elif name == "BDAY" and first:
            date = parse_month_day(line.value, omit_year=line.has_param("X-APPLE-OMIT-YEAR"))
            if date:
                fields["birthday"] = list(date)
                shadows.append(("BDAY", fields["birthday"], line))
        elif name in ("ANNIVERSARY", "X-ABDATE") and fields["anniversary"] is None:
            if (
                name == "X-ABDATE"
                and labels.get(line.group.lower(), "").lower() != _ANNIVERSARY_LABEL.lower()
            ):
                continue
            date = parse_month_day(line.value, omit_year=line.has_param("X-APPLE-OMIT-YEAR"))
            if date:
                fields["anniversary"] = list(date)
                shadows.append(("ANNIVERSARY", fields["anniversary"], line))
        elif name == "NOTE" and first:
            note = unescape(line.value)
            fields["notes"], fields["how_we_met"] = split_how_we_met(note)
            shadows.append(("NOTE", note, line))
        elif name == "PHOTO" and first:
            photo = _photo(line)
            if photo is not None:
                mapped.add(index)
                fields["photo"] = hashlib.sha256(photo).hexdigest()
    if fn_line is not None:
        fields["name"] = unescape(fn_line.value).strip()
    if not fields["name"] and n_line is not None:
        n = [unescape(p) for p in _split(n_line.value, ";")] + [""] * 5
        fields["name"] = " ".join(filter(None, [n[3], n[1], n[2], n[0], n[4]]))
    if not fields["name"]:
        fields["name"] = fields["company"] or next(
            (v for key in ("emails", "phones") for _, v in fields[key]), ""
        )
    if not fields["name"].strip():
        raise CardError("This card has no name (FN), nor anything to call the person by.")
    if fn_line is not None:
        shadows.append(("FN", fields["name"], fn_line))
    if n_line is not None:
        shadows.append(("N", fields["name"], n_line))
    for name, limit in FIELD_LIMITS.items():
        if len(fields[name]) > limit:
            raise CardError(
                f"The card's {name.replace('_', ' ')} is longer than {limit:,} characters."
            )
    folded = [c.casefold() for c in circle_names]
    others = []
    for category in filter(None, categories):
        if not fields["circle"] and category.casefold() in folded:
            fields["circle"] = circle_names[folded.index(category.casefold())]
        else:
            others.append(category)

    # What extra keeps: the shadows (each with its group's other lines), ADR/ORG, the rest.
    shadow_ids = {id(line) for _, _, line in shadows}
    owned_groups: dict[str, int] = {}
    for _, _, line in shadows:
        if line.group:
            owned_groups.setdefault(line.group.lower(), id(line))
    out = [f"VERSION:{version}"]
    for prop, key, line in shadows:
        group_lines = [line.raw]
        if line.group and owned_groups.get(line.group.lower()) == id(line):
            # Its label goes with it (a fresh line gets a fresh label); any other line of the
            # group is kept like every unknown line.
            group_lines += [
                mate.raw
                for mate in by_group[line.group.lower()]
                if mate.name == "X-ABLABEL" and id(mate) not in shadow_ids
            ]
        encoded = base64.b64encode("\r\n".join(group_lines).encode()).decode()
        key_text = base64.b64encode(_shadow_key(key).encode()).decode()
        out.append(f"X-NETWORK-CRM-SHADOW;{prop}:{key_text}:{encoded}")
    for special in (adr_line, org_line):
        if special is not None:
            out.append(special.raw)
    if others:
        out.append("CATEGORIES:" + ",".join(escape_text(c) for c in others))
    for index, line in enumerate(lines):
        if index in mapped or id(line) in shadow_ids or line is adr_line or line is org_line:
            continue
        if line.name == "X-ABLABEL" and line.group.lower() in owned_groups:
            continue  # written with its shadow
        out.append(line.raw)
    extra = "\r\n".join(out) if len(out) > 1 else ""
    return ParsedCard(
        uid=uid, version=version, fields=fields, extra=extra, photo=photo, categories=others
    )
