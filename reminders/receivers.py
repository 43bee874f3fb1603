"""Reminders' answers to signals from the apps below it (connected in RemindersConfig.ready()).

Lower apps never import reminders: they announce what changed (contacts.signals,
interactions.signals, accounts.signals) and these receivers keep reminders in step, inside the
sender's transaction.
"""

from __future__ import annotations

from network_crm.clock import local_today
from reminders.models import Reminder
from reminders.services.actions import reminders_close_no_longer_due
from reminders.services.schedule import digest_schedule_update


def close_reminders_no_longer_due(sender, *, owner, contact_ids, today=None, **kwargs) -> None:
    """contacts.signals.due_changed: a live reach-out reminder of someone who is no longer due
    (logged, snoozed, "we're fine", a longer rhythm, a re-timed circle, a merge...) is closed.

    "Today" is the owner's local date. The sender passes it when it has it (views hand their
    ``today`` to snooze, "we're fine" and logging, and tests travel in time through them); paths
    that never needed a date (bulk edits, circles, imports, restore) send None, and then it is
    read from the clock now, in the owner's zone, as a view would have done a moment earlier.
    The due rule itself stays clock-free.
    """
    if today is None:
        today = local_today(owner)
    reminders_close_no_longer_due(owner=owner, contact_ids=contact_ids, today=today)


def drop_follow_ups_that_no_longer_fit(
    sender, *, interaction, contact_ids, follow_up_moved, **kwargs
) -> None:
    """interactions.signals.interaction_changed: when the promise's date moved, the old date's
    pending reminder goes (the new date gets its own when it comes); otherwise a promise stays
    with someone who was there, and the sweep re-files it if its person left."""
    pending = Reminder.objects.filter(
        interaction=interaction, kind=Reminder.Kind.FOLLOW_UP, state__in=Reminder.LIVE_STATES
    )
    if not follow_up_moved:
        pending = pending.exclude(contact_id__in=contact_ids)
    pending.delete()


def schedule_digest(sender, *, user_settings, now, **kwargs) -> None:
    """accounts.signals.user_settings_changed: a new account or new settings (frequency, hour,
    weekday, time zone) move ``next_digest_at``."""
    digest_schedule_update(user_settings=user_settings, now=now)
