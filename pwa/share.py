"""What a phone shares to the installed app (the manifest's share_target: GET /share/?title=&text=&url=)
can also become a note on one of the owner's people (docs/architecture.md, "Logging offline and sharing").

The share target itself opens Things to share (giving); this is the "note on a person" way, kept
at /share/note/ as a secondary link from that form."""

from __future__ import annotations

import re

from accounts.models import User
from contacts.models import Contact
from interactions import services
from interactions.models import Interaction
from network_crm.clock import local_today, now

# The note is an interaction's notes (10,000 characters); each shared part is cut well below it.
PART_LIMIT = 4_000
NOTE_LIMIT = 10_000

# NUL and other control characters (not tab or newline) come from broken share sheets; PostgreSQL
# refuses NUL in text, and none of them mean anything in a note.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n"))[:PART_LIMIT].strip()


def shared_note(*, title: str = "", text: str = "", url: str = "") -> str:
    """The note proposed for what was shared: its title, text and link, each once (Android puts
    the link inside the text, iOS sends it apart)."""
    parts: list[str] = []
    for part in (_clean(title), _clean(text), _clean(url)):
        if part and not any(part in earlier for earlier in parts):
            parts.append(part)
    return "\n".join(parts)[:NOTE_LIMIT]


def share_contacts(owner: User):
    """Whom a shared link can be saved on: the owner's people, archived ones left out."""
    return Contact.objects.filter(owner=owner, archived=False).order_by("name", "pk")


def share_save(*, owner: User, contact: Contact, kind: str, notes: str) -> Interaction:
    """Log what was shared as an interaction with ``contact``, now."""
    return services.interaction_log(
        owner=owner,
        contacts=[contact],
        kind=kind,
        occurred_at=now(),
        today=local_today(owner),
        notes=notes,
    )
