"""The brief: one phone-sized screen about a person before you meet them (docs/architecture.md,
"Give first"). The brief page and the digest's planned meetings read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from contacts.models import Contact, Interest
from giving.models import ShareItem
from interactions.models import Interaction
from reminders.models import Reminder
from reminders.selectors import UpcomingDate

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class Brief:
    contact: Contact
    how_we_met: str
    introduced_by: Contact | None
    last_interactions: list[Interaction] = field(default_factory=list)  # the last three
    ask_next_time: list[str] = field(default_factory=list)
    promises: list[Reminder] = field(default_factory=list)  # open follow-ups, with dates
    shared_interests: list[Interest] = field(default_factory=list)
    things_to_share: list[ShareItem] = field(default_factory=list)
    dates: list[UpcomingDate] = field(default_factory=list)


def contact_brief(*, owner: User, contact: Contact, today: dt.date) -> Brief:
    """The brief of one of ``owner``'s people (the caller has checked the contact is theirs)."""
    return Brief(contact=contact, how_we_met=contact.how_we_met, introduced_by=contact.introduced_by)
