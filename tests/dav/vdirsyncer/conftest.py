"""vdirsyncer, a real CardDAV/CalDAV client, syncing a "phone" (a folder of .vcf/.ics files,
vdirsyncer's filesystem storage) with the running server (live_server), as the CLI does:
`vdirsyncer discover` once, then `vdirsyncer sync` (docs/architecture.md, "Sync with phones").

Runs on whichever database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from accounts.services import app_password_create

VDIRSYNCER = Path(sys.executable).with_name("vdirsyncer")

CONFIG = """\
[general]
status_path = "{root}/status/"

[pair contacts]
a = "crm_contacts"
b = "phone_contacts"
collections = ["from a"]
# The phone is b: on a card changed on both sides since the last sync, the phone's version is
# sent to the server, whose merge keeps the app's value of a field changed on both sides as a
# conflict to restore (dav.services.card_put): nothing is silently lost.
conflict_resolution = "b wins"
implicit = "create"

[storage crm_contacts]
type = "carddav"
url = "{url}/"
username = "{email}"
password = "{password}"

[storage phone_contacts]
type = "filesystem"
path = "{root}/phone/contacts/"
fileext = ".vcf"

[pair calendar]
a = "crm_calendar"
b = "phone_calendar"
collections = ["from a"]
conflict_resolution = "a wins"
implicit = "create"

[storage crm_calendar]
type = "caldav"
url = "{url}/"
username = "{email}"
password = "{password}"
read_only = true

[storage phone_calendar]
type = "filesystem"
path = "{root}/phone/calendar/"
fileext = ".ics"
"""


@dataclass
class Phone:
    """A phone's address book and calendar, kept by vdirsyncer as files."""

    root: Path
    config: Path
    discovered: bool = False

    def run(self, *args: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(VDIRSYNCER), "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=60,
            input="",
        )
        assert result.returncode == 0, (args, result.stdout[-3000:], result.stderr[-3000:])
        return result

    def sync(self, pair: str = "contacts") -> subprocess.CompletedProcess:
        if not self.discovered:
            self.run("discover")
            self.discovered = True
        return self.run("sync", pair)

    @property
    def book(self) -> Path:
        folders = [p for p in (self.root / "phone" / "contacts").iterdir() if p.is_dir()]
        assert len(folders) == 1, folders
        return folders[0]

    @property
    def calendar(self) -> Path:
        folders = [p for p in (self.root / "phone" / "calendar").iterdir() if p.is_dir()]
        assert len(folders) == 1, folders
        return folders[0]

    def cards(self) -> dict[str, str]:
        """File name -> vCard text, as the phone has them."""
        return {p.name: p.read_text() for p in sorted(self.book.glob("*.vcf"))}

    def card_named(self, name: str) -> Path:
        found = [p for p in self.book.glob("*.vcf") if f"FN:{name}" in p.read_text().splitlines()]
        assert len(found) == 1, (name, [p.read_text() for p in self.book.glob("*.vcf")])
        return found[0]

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text()
        assert old in text, text
        path.write_text(text.replace(old, new))

    def add(self, text: str) -> Path:
        path = self.book / f"{uuid.uuid4()}.vcf"
        path.write_text(text)
        return path

    def events(self) -> dict[str, str]:
        return {p.name: p.read_text() for p in sorted(self.calendar.glob("*.ics"))}


@pytest.fixture
def phone(live_server, tmp_path, alice) -> Phone:
    _, password = app_password_create(owner=alice, name="vdirsyncer")
    config = tmp_path / "config"
    config.write_text(
        CONFIG.format(root=tmp_path, url=live_server.url, email=alice.email, password=password)
    )
    return Phone(root=tmp_path, config=config)


def vcard(name: str, *, uid: str | None = None, email: str = "", tel: str = "") -> str:
    """A card as a phone writes it (vCard 3.0, CRLF)."""
    given, _, family = name.rpartition(" ")
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{uid or uuid.uuid4()}",
        f"FN:{name}",
        f"N:{family};{given};;;",
    ]
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET:{email}")
    if tel:
        lines.append(f"TEL;TYPE=CELL:{tel}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def uid_of(text: str) -> str:
    return next(line[4:] for line in text.splitlines() if line.startswith("UID:"))
