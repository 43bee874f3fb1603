"""What the user does to a reminder: done or dismissed from the dashboard, snooze, "we're fine"
or a coffee from a signed email link, and the closing of reach-out reminders no longer due."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q

from contacts.services import contact_mark_fine, contact_snooze
from interactions.services import interaction_log
from network_crm.clock import local_today
from reminders.models import Reminder

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User


def reminders_close_no_longer_due(
    *,
    owner: User,
    contact_ids: Iterable[int] | None,
    today: dt.date,
    state: str = Reminder.State.DONE,
) -> int:
    """Close live reach-out reminders of contacts who are no longer due (logged, snoozed...);
    ``contact_ids=None``: all of the owner's."""
    reminders = Reminder.objects.filter(
        owner=owner, kind=Reminder.Kind.REACH_OUT, state__in=Reminder.LIVE_STATES
    )
    if contact_ids is not None:
        reminders = reminders.filter(contact_id__in=list(contact_ids))
    return reminders.filter(
        Q(contact__next_reach_out_on__gt=today) | Q(contact__next_reach_out_on=None)
    ).update(state=state, closed_at=dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC))


def reminder_close(*, reminder: Reminder, state: str, now: dt.datetime) -> Reminder:
    """Mark a reminder done or dismissed."""
    Reminder.objects.filter(pk=reminder.pk).update(state=state, closed_at=now)
    reminder.state, reminder.closed_at = state, now
    return reminder


@transaction.atomic
def reminder_reopen(*, reminder: Reminder, state: str, closed_at: dt.datetime) -> Reminder:
    """Undo of "done" on a follow-up: back to ``state`` (open or snoozed), only while the
    reminder is still closed as that click left it (ReminderGone otherwise). Reach-out
    reminders are not reopened: whether someone is due is the contact's rule, not the row's."""
    if reminder.kind == Reminder.Kind.REACH_OUT or state not in Reminder.LIVE_STATES:
        raise ReminderGone
    reopened = Reminder.objects.filter(
        pk=reminder.pk, state=Reminder.State.DONE, closed_at=closed_at
    ).update(state=state, closed_at=None)
    if not reopened:
        raise ReminderGone
    reminder.state, reminder.closed_at = state, None
    return reminder


class ReminderGone(Exception):
    """The reminder was already acted on (or no longer exists)."""


@transaction.atomic
def reminder_act(
    *, reminder: Reminder, action: str, version: int | None, now: dt.datetime
) -> Reminder:
    """Apply an email-link action. ``version`` must match the reminder's, and acting bumps it,
    so each signed link works once (a conditional UPDATE settles two clicks racing)."""
    claim = Reminder.objects.filter(pk=reminder.pk, state__in=Reminder.LIVE_STATES)
    if version is not None:
        claim = claim.filter(version=version)
    if not claim.update(version=F("version") + 1):
        raise ReminderGone
    owner = reminder.owner
    today = local_today(owner, now)
    contact = reminder.contact
    if action == "snooze":
        contact_snooze(contact=contact, until=today + dt.timedelta(days=7), today=today)
        Reminder.objects.filter(pk=reminder.pk).update(
            state=Reminder.State.SNOOZED,
            snoozed_until=today + dt.timedelta(days=7),
            nudge_count=0,  # acted on: "don't hound" counts afresh when it comes back
        )
    elif action == "coffee":
        interaction_log(
            owner=owner, contacts=[contact], kind="coffee", occurred_at=now, today=today
        )
        reminder_close(reminder=reminder, state=Reminder.State.DONE, now=now)
    elif action == "done":
        if reminder.kind == Reminder.Kind.REACH_OUT:
            contact_mark_fine(contact=contact, today=today)
        reminder_close(reminder=reminder, state=Reminder.State.DONE, now=now)
    else:
        raise ValueError(f"Unknown action {action!r}")
    reminder.refresh_from_db()
    return reminder
