"""The sweep: beat runs it every SWEEP_INTERVAL_SECONDS. It opens the reminders that came due,
creates the digests owed by ``now`` and lists what to send (docs/architecture.md, "The picture
of a digest's life")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef

from contacts.models import Contact
from interactions.models import Interaction
from network_crm.clock import local_date
from network_crm.owner_cache import bump_everyone
from reminders.models import Reminder, SchedulerHeartbeat
from reminders.selectors import SCHEDULER_STALE_AFTER
from reminders.services.digests import digests_create_due, digests_needing_delivery
from reminders.signals import reminders_opened

# Anywhere on Earth, the local date is at most one day ahead of UTC's (UTC+14).
_MAX_ZONE_LEAD = dt.timedelta(days=1)


@dataclass
class SweepReport:
    reminders_opened: int = 0
    reminders_reopened: int = 0
    digests_created: list[int] = field(default_factory=list)
    digests_to_deliver: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.reminders_opened} reminder(s) opened, {self.reminders_reopened} back from snooze, "
            f"{len(self.digests_created)} digest(s) created, "
            f"{len(self.digests_to_deliver)} digest(s) to send"
        )


def sweep_run(*, now: dt.datetime, dry_run: bool = False) -> SweepReport:
    """Open reminders that came due, create the digests owed by ``now``, and list what to send.

    The caller delivers ``digests_to_deliver`` after this returns (so after commit): the Celery task
    enqueues them, ``run_reminders`` sends them in-process. With ``dry_run`` nothing is written.
    """
    report = SweepReport()
    with transaction.atomic():
        report.reminders_reopened = _reminders_reopen_snoozed(now=now, dry_run=dry_run)
        report.reminders_opened = _reminders_open_due(now=now, dry_run=dry_run)
        report.reminders_opened += _reminders_open_follow_ups(now=now, dry_run=dry_run)
        report.digests_created = digests_create_due(now=now, dry_run=dry_run)
        report.digests_to_deliver = report.digests_created + digests_needing_delivery(
            now=now, exclude=report.digests_created
        )
        if not dry_run:
            heartbeat_record(name="sweep", now=now)
    return report


def _is_on_or_before_local_today(day: dt.date, zone_name: str, now: dt.datetime) -> bool:
    return day <= local_date(now, ZoneInfo(zone_name))


def _reminders_open_due(*, now: dt.datetime, dry_run: bool) -> int:
    """Open a reach-out reminder for each active contact that became due in its owner's zone.

    The query is bounded by due contacts without a live reminder, not by all contacts. It is
    not ``Contact.objects.due(today)``: there is no one "today" across owners, so the candidates
    are bounded by UTC's date plus the most any zone is ahead, and each owner's own local date
    decides below (docs/architecture.md, "Time").
    """
    live_reminder = Reminder.objects.filter(
        contact_id=OuterRef("pk"), kind=Reminder.Kind.REACH_OUT, state__in=Reminder.LIVE_STATES
    )
    candidates = (
        Contact.objects.active()
        .filter(next_reach_out_on__lte=now.date() + _MAX_ZONE_LEAD)
        .filter(~Exists(live_reminder))
        .values_list(
            "pk",
            "owner_id",
            "next_reach_out_on",
            "owner__settings__time_zone",
            "owner__settings__vacation_until",
        )
        .order_by()  # any order will do: no sort of everything that is due
    )
    new = [
        Reminder(owner_id=owner_id, contact_id=pk, kind=Reminder.Kind.REACH_OUT, due_on=due_on)
        for pk, owner_id, due_on, zone, vacation in candidates
        if _is_on_or_before_local_today(due_on, zone or "UTC", now)
        # On a break: nothing is opened until the day they are back.
        and not (vacation and not _is_on_or_before_local_today(vacation, zone or "UTC", now))
    ]
    if new and not dry_run:
        Reminder.objects.bulk_create(new, ignore_conflicts=True)
        reminders_opened.send(
            sender=Reminder,
            reminders=[(each.owner_id, each.contact_id, each.due_on) for each in new],
        )
    return len(new)


def _reminders_open_follow_ups(*, now: dt.datetime, dry_run: bool) -> int:
    """Open a follow-up reminder for each promise ("send her the article by Friday") that came due."""
    has_reminder = Reminder.objects.filter(
        interaction_id=OuterRef("pk"), kind=Reminder.Kind.FOLLOW_UP, due_on=OuterRef("follow_up_on")
    )
    # A promise to an archived person (only) is not nudged about.
    someone_active = Interaction.contacts.through.objects.filter(
        interaction_id=OuterRef("pk"), contact__archived=False
    )
    candidates = (
        Interaction.objects.filter(follow_up_on__lte=now.date() + _MAX_ZONE_LEAD)
        .filter(~Exists(has_reminder), Exists(someone_active))
        .values_list(
            "pk", "owner_id", "follow_up_on", "follow_up_note", "owner__settings__time_zone"
        )
    )
    due = [row for row in candidates if _is_on_or_before_local_today(row[2], row[4] or "UTC", now)]
    if not due:
        return 0
    first_contact = dict(
        Interaction.contacts.through.objects.filter(interaction_id__in=[row[0] for row in due])
        .order_by("interaction_id", "-contact_id")
        .values_list("interaction_id", "contact_id")
    )
    new = [
        Reminder(
            owner_id=owner_id,
            contact_id=first_contact[pk],
            interaction_id=pk,
            kind=Reminder.Kind.FOLLOW_UP,
            due_on=due_on,
            note=note,
        )
        for pk, owner_id, due_on, note, _zone in due
        if pk in first_contact
    ]
    if new and not dry_run:
        Reminder.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _reminders_reopen_snoozed(*, now: dt.datetime, dry_run: bool) -> int:
    snoozed = Reminder.objects.filter(
        state=Reminder.State.SNOOZED, snoozed_until__lte=now.date() + _MAX_ZONE_LEAD
    ).values_list("pk", "snoozed_until", "owner__settings__time_zone")
    ids = [pk for pk, until, zone in snoozed if _is_on_or_before_local_today(until, zone, now)]
    if ids and not dry_run:
        Reminder.objects.filter(pk__in=ids).update(state=Reminder.State.OPEN, snoozed_until=None)
    return len(ids)


def heartbeat_record(*, name: str, now: dt.datetime) -> None:
    """What the dashboard's warning and /health/ read to tell a stopped scheduler.

    The heartbeat's own write doesn't outdate cached pages (owner_cache.UNTRACKED_TABLES): a
    beat on time changes nothing they show but the age of "last checked", which may be as old
    as the cache's time bucket. The first beat, or the first after a silence long enough for a
    page to say the scheduler is down, outdates every page at once, so none says so any more
    (docs/decisions/0013)."""
    with transaction.atomic():
        beat = SchedulerHeartbeat.objects.select_for_update().filter(name=name).first()
        if beat is None:
            SchedulerHeartbeat.objects.create(name=name, last_run_at=now)
            came_back = True
        else:
            came_back = now - beat.last_run_at > SCHEDULER_STALE_AFTER
            beat.last_run_at = now
            beat.save(update_fields=["last_run_at"])
        if came_back:
            bump_everyone()
