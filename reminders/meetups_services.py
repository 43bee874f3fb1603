"""Meetups instead of nudges: logging one as a single group interaction, and "Not now"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from interactions.services import interaction_log
from reminders.meetups import DISMISS_DAYS
from reminders.models import MeetupDismissal

if TYPE_CHECKING:
    from accounts.models import User
    from contacts.models import Contact
    from interactions.models import Interaction


@transaction.atomic
def meetup_log(
    *, owner: User, contacts: Sequence[Contact], kind: str, now: dt.datetime, today: dt.date
) -> Interaction:
    """One interaction with everyone who came: each of them is in touch again (the due rule
    moves them all through ``interaction_log``)."""
    if len(contacts) < 2:
        raise ValueError("A meetup is two people or more.")
    return interaction_log(owner=owner, contacts=contacts, kind=kind, occurred_at=now, today=today)


@transaction.atomic
def meetup_dismiss(*, owner: User, key: str, today: dt.date) -> MeetupDismissal:
    """ "Not now": the group is not suggested again for ``DISMISS_DAYS`` days (its people are
    single nudges meanwhile). Dismissals that have ended go at the same time, so the table
    holds only the live ones."""
    MeetupDismissal.objects.filter(owner=owner, until__lte=today).delete()
    dismissal, _ = MeetupDismissal.objects.update_or_create(
        owner=owner, key=key, defaults={"until": today + dt.timedelta(days=DISMISS_DAYS)}
    )
    return dismissal


def meetup_dismiss_undo(*, owner: User, key: str) -> bool:
    """Take a "Not now" back: the meetup is suggested again. False when there was none."""
    deleted, _ = MeetupDismissal.objects.filter(owner=owner, key=key).delete()
    return bool(deleted)
