"""Reads about things to share, for this app's pages and for the apps above (the digest's line,
the brief)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from contacts.models import Contact
from giving.models import ShareItem

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class ShareSuggestion:
    item: ShareItem
    contact: Contact


def share_suggestion_for_digest(*, owner: User, today: dt.date) -> ShareSuggestion | None:
    """At most one "something to share with …" for the day's digest (None: nothing fits)."""
    return None


def items_for_contact(
    *, owner: User, contact: Contact, today: dt.date, limit: int = 3
) -> list[ShareItem]:
    """Saved things this person would enjoy (their interests match the topics), best first."""
    return []
