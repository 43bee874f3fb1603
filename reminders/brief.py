"""The brief: one phone-sized screen about a person before you meet them (docs/architecture.md,
"Give first"). The brief page and the digest's planned meetings read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from contacts.limits import MAX_DATES_PER_CONTACT
from contacts.models import Contact, Interest
from giving.models import ShareItem
from giving.things_selectors import items_for_contact
from interactions.models import Interaction
from reminders.models import Reminder
from reminders.selectors import UpcomingDate

if TYPE_CHECKING:
    from accounts.models import User

LAST_INTERACTIONS = 3
ASK_NEXT_TIME = 3
PROMISES = 5
SHARED_INTERESTS = 12
DATES_WITHIN_DAYS = 60
DATES = 3


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


def _promises(*, contact: Contact) -> list[Reminder]:
    """Open promises to ``contact``: each interaction with them that carries a follow-up date and
    whose follow-up reminder is not closed. A live reminder is shown as it is (snoozed, say);
    a promise not come due yet (the sweep opens its reminder on the day) is shown as an unsaved
    Reminder, so the page and the digest read one shape."""
    closed = Reminder.objects.filter(
        interaction=OuterRef("pk"),
        kind=Reminder.Kind.FOLLOW_UP,
        due_on=OuterRef("follow_up_on"),
    ).exclude(state__in=Reminder.LIVE_STATES)
    interactions = list(
        Interaction.objects.filter(owner=contact.owner_id, contacts=contact)
        .filter(follow_up_on__isnull=False)
        .filter(~Exists(closed))
        .order_by("follow_up_on", "pk")[:PROMISES]
    )
    live = {
        reminder.interaction_id: reminder
        for reminder in Reminder.objects.filter(
            interaction__in=interactions,
            kind=Reminder.Kind.FOLLOW_UP,
            state__in=Reminder.LIVE_STATES,
        )
    }
    return [
        live.get(interaction.pk)
        or Reminder(
            owner_id=contact.owner_id,
            contact=contact,
            interaction=interaction,
            kind=Reminder.Kind.FOLLOW_UP,
            due_on=interaction.follow_up_on,
            note=interaction.follow_up_note,
        )
        for interaction in interactions
    ]


def _dates(*, contact: Contact, today: dt.date) -> list[UpcomingDate]:
    """Their birthdays and other yearly dates in the next two months, soonest first (a person
    has at most a few: contacts/limits.py caps them)."""
    upcoming = []
    for date in contact.dates.all()[:MAX_DATES_PER_CONTACT]:
        on = date.next_occurrence(today)
        if (on - today).days <= DATES_WITHIN_DAYS:
            upcoming.append(UpcomingDate(date=date, on=on, days_away=(on - today).days))
    return sorted(upcoming, key=lambda upcoming: (upcoming.on, upcoming.date.pk))[:DATES]


def contact_brief(*, owner: User, contact: Contact, today: dt.date) -> Brief:
    """The brief of one of ``owner``'s people (the caller has checked the contact is theirs).

    A fixed number of queries whatever the size of the network or of their history: the last
    three interactions, the last "ask next time" notes, the open promises (two), the shared
    interests, the things to share, their dates (and ``introduced_by`` unless select_related)."""
    mine = Interaction.objects.filter(owner=owner, contacts=contact).order_by("-occurred_at", "-pk")
    asks = mine.exclude(ask_next_time="").values_list("ask_next_time", flat=True)
    introducer = contact.introduced_by
    story = contact.how_we_met.strip()
    if introducer is not None and story.rstrip(".") == f"Introduced by {introducer.name}":
        story = ""  # the brief's own "Introduced by <link>" line says it, once
    return Brief(
        contact=contact,
        how_we_met=story,
        introduced_by=introducer,
        last_interactions=list(mine[:LAST_INTERACTIONS]),
        ask_next_time=list(asks[:ASK_NEXT_TIME]),
        promises=_promises(contact=contact),
        shared_interests=list(
            contact.interests.filter(Q(mine=True)).order_by("folded_name")[:SHARED_INTERESTS]
        ),
        things_to_share=items_for_contact(owner=owner, contact=contact, today=today),
        dates=_dates(contact=contact, today=today),
    )
