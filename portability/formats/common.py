"""What every format's reader shares: the parsed card, text cleaning, decoding an upload,
dates, and the per-card limits. Each reader (portability.formats.vcard, portability.formats.csv)
yields one ParsedContact or one ParseError per card or row, so a bad card is reported and skipped
while the rest of the file imports."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from contacts.limits import MAX_INTERESTS_PER_CARD, MAX_METHODS_PER_KIND
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


def clean(value: object, limit: int = 200) -> str:
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


def date_text(date) -> str:
    """An ImportantDate as ISO text, or --MM-DD without a year (as vCard 4.0 writes it)."""
    return (
        f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
        if date.year
        else f"--{date.month:02d}-{date.day:02d}"
    )


def split_name(name: str) -> tuple[str, str]:
    """(family, given) of a full name: the last word is the family name."""
    parts = name.rsplit(" ", 1)
    return (parts[1], parts[0]) if len(parts) == 2 else (name, "")


# --- Per-card limits ---------------------------------------------------------------------------


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
