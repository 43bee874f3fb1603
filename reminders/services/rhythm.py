"""Don't hound: a reach-out nudge the digests carried three times without anything done about it
stretches that person's rhythm gently, says so, and can be undone (docs/architecture.md, "The
due rule").

- Each digest counts one nudge for every live reach-out reminder it carries
  (``rhythm_count_nudges``, when the day's Digest row is created: once per local day).
  Acting on the reminder (a log, "we're fine", a snooze) closes it, so the next one starts at 0.
- When the next digest is owed and a reminder has gone by ``NUDGES_BEFORE_STRETCH`` times, still
  live, ``rhythm_stretch_ignored`` lengthens the person's rhythm (``stretched_cadence``),
  records a ``RhythmStretch`` and dismisses the reminder. Without digests, nothing is counted
  and nobody is stretched.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F

from contacts.models import Contact
from contacts.services import contacts_set_cadence
from reminders.models import Reminder, RhythmStretch

if TYPE_CHECKING:
    from accounts.models import User
    from reminders.selectors import DigestContents

NUDGES_BEFORE_STRETCH = 3
STRETCH_FACTOR = 1.25
STRETCH_AT_LEAST_DAYS = 3
STRETCH_AT_MOST_DAYS = 30  # one stretch adds at most a month
LONGEST_RHYTHM_DAYS = 365  # and never makes a rhythm longer than a year


class StretchGone(Exception):
    """Already undone, or the rhythm was changed since (the undo would overwrite that)."""


def stretched_cadence(days: int) -> int:
    """The gentler rhythm: × 1.25 rounded to whole days (half up), at least 3 days more, at most
    30 more and a year in all; never shorter than ``days`` (a rhythm already over a year stays)."""
    longer = max(int(days * STRETCH_FACTOR + 0.5), days + STRETCH_AT_LEAST_DAYS)
    longer = min(longer, days + STRETCH_AT_MOST_DAYS, LONGEST_RHYTHM_DAYS)
    return max(longer, days)


def rhythm_count_nudges(*, owner: User, contents: DigestContents) -> int:
    """The day's digest carries these reach-out reminders: one more nudge for each (one UPDATE).
    Called once per Digest row, which is unique per local day."""
    carried = [
        reminder.pk
        for contact in contents.due.items
        if (reminder := contents.reach_out_reminders.get(contact.pk)) is not None
    ]
    if not carried:
        return 0
    return Reminder.objects.filter(
        owner=owner, pk__in=carried, state__in=Reminder.LIVE_STATES
    ).update(nudge_count=F("nudge_count") + 1)


@transaction.atomic
def rhythm_stretch_ignored(*, owner: User, today: dt.date, now: dt.datetime) -> list[RhythmStretch]:
    """Stretch the rhythm of everyone whose live reach-out reminder went by in
    ``NUDGES_BEFORE_STRETCH`` digests, and dismiss those reminders. Bounded: only reminders
    the digests carried (at most the daily limit a day) reach the count."""
    ignored = list(
        Reminder.objects.filter(
            owner=owner,
            kind=Reminder.Kind.REACH_OUT,
            state__in=Reminder.LIVE_STATES,
            nudge_count__gte=NUDGES_BEFORE_STRETCH,
            contact__archived=False,
            contact__paused=False,
        ).select_related("contact__circle")
    )
    stretches: list[RhythmStretch] = []
    cadences: dict[int, int] = {}
    for reminder in ignored:
        contact = reminder.contact
        current = contact.effective_cadence_days
        if not current or stretched_cadence(current) <= current:
            continue  # no rhythm any more, or as long as it gets: nothing to stretch
        cadences[contact.pk] = stretched_cadence(current)
        stretches.append(
            RhythmStretch(
                owner=owner,
                contact=contact,
                previous_cadence_days=contact.cadence_days,
                new_cadence_days=cadences[contact.pk],
                stretched_on=today,
            )
        )
    Reminder.objects.filter(pk__in=[r.pk for r in ignored]).update(
        state=Reminder.State.DISMISSED, closed_at=now
    )
    contacts_set_cadence(owner=owner, cadences=cadences, today=today)
    return RhythmStretch.objects.bulk_create(stretches)


@transaction.atomic
def rhythm_stretch_undo(*, stretch: RhythmStretch, today: dt.date, now: dt.datetime) -> Contact:
    """The rhythm as it was before the stretch (None: the circle's again). Only while the
    stretch is in force: once undone, or once the rhythm was changed by hand, ``StretchGone``."""
    contact = stretch.contact
    in_force = Contact.objects.filter(pk=contact.pk, cadence_days=stretch.new_cadence_days)
    if not in_force.exists():
        raise StretchGone
    if not RhythmStretch.objects.filter(pk=stretch.pk, undone_at=None).update(undone_at=now):
        raise StretchGone
    contacts_set_cadence(
        owner=stretch.owner,
        cadences={contact.pk: stretch.previous_cadence_days},
        today=today,
    )
    stretch.undone_at = now
    contact.refresh_from_db(fields=["cadence_days", "next_reach_out_on"])
    return contact
