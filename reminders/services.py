"""The reminder engine: the sweep, digest scheduling and digest sending.

Everything takes ``now`` so tests drive time in-process. The sweep asks "what is due up to now",
so after downtime it catches up by itself; the database rows, not the broker, guarantee delivery.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from accounts.models import UserSettings
from contacts.models import Contact
from reminders import links
from reminders.models import Digest, Reminder, SchedulerHeartbeat
from reminders.selectors import digest_contents

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User

logger = logging.getLogger(__name__)

LIVE_STATES = Reminder.LIVE_STATES
# Anywhere on Earth, the local date is at most one day ahead of UTC's (UTC+14).
_MAX_ZONE_LEAD = dt.timedelta(days=1)


def _requeue_after() -> dt.timedelta:
    """A pending digest older than this was probably lost by the broker: enqueue it again."""
    return dt.timedelta(seconds=max(120, 2 * settings.SWEEP_INTERVAL_SECONDS))


# --- Digest schedule ---------------------------------------------------------------------------


def digest_time_on(*, day: dt.date, user_settings: UserSettings) -> dt.datetime | None:
    """When ``day``'s digest is due, in UTC, or None when no digest is owed that day.

    A digest hour that falls in a DST gap maps to the first moment after it (zoneinfo's fold=0
    uses the offset before the jump); in a repeated hour, the first of the two.
    """
    if user_settings.digest_frequency == UserSettings.Frequency.OFF:
        return None
    if (
        user_settings.digest_frequency == UserSettings.Frequency.WEEKLY
        and day.weekday() != user_settings.digest_weekday
    ):
        return None
    zone = ZoneInfo(user_settings.time_zone)
    local = dt.datetime.combine(day, dt.time(user_settings.digest_hour), tzinfo=zone)
    return local.astimezone(dt.UTC)


def digest_next_at(*, user_settings: UserSettings, from_day: dt.date) -> dt.datetime | None:
    """The due time of the first digest owed on ``from_day`` or later (may be in the past)."""
    for offset in range(8):
        due = digest_time_on(day=from_day + dt.timedelta(days=offset), user_settings=user_settings)
        if due is not None:
            return due
    return None


def digest_schedule_update(*, user_settings: UserSettings, now: dt.datetime) -> UserSettings:
    """Recompute ``next_digest_at`` after sign-up or a settings change."""
    today = now.astimezone(ZoneInfo(user_settings.time_zone)).date()
    already_sent = Digest.objects.filter(owner_id=user_settings.user_id, local_date=today).exists()
    from_day = today + dt.timedelta(days=1) if already_sent else today
    user_settings.next_digest_at = digest_next_at(user_settings=user_settings, from_day=from_day)
    user_settings.save(update_fields=["next_digest_at"])
    return user_settings


# --- The sweep ---------------------------------------------------------------------------------


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
        report.digests_created = _digests_create_due(now=now, dry_run=dry_run)
        report.digests_to_deliver = report.digests_created + _digests_needing_delivery(
            now=now, exclude=report.digests_created
        )
        if not dry_run:
            heartbeat_record(name="sweep", now=now)
    return report


def _is_on_or_before_local_today(day: dt.date, zone_name: str, now: dt.datetime) -> bool:
    return day <= now.astimezone(ZoneInfo(zone_name)).date()


def _reminders_open_due(*, now: dt.datetime, dry_run: bool) -> int:
    """Open a reach-out reminder for each active contact that became due in its owner's zone.

    The query is bounded by due contacts without a live reminder, not by all contacts.
    """
    live_reminder = Reminder.objects.filter(
        contact_id=OuterRef("pk"), kind=Reminder.Kind.REACH_OUT, state__in=LIVE_STATES
    )
    candidates = (
        Contact.objects.filter(
            archived=False,
            paused=False,
            next_reach_out_on__lte=now.date() + _MAX_ZONE_LEAD,
        )
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
    return len(new)


def _reminders_open_follow_ups(*, now: dt.datetime, dry_run: bool) -> int:
    """Open a follow-up reminder for each promise ("send her the article by Friday") that came due."""
    from interactions.models import Interaction

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


def _digests_create_due(*, now: dt.datetime, dry_run: bool) -> list[int]:
    """Create today's Digest row for each user whose digest time has passed and who has news.

    A digest with nothing in it is not created and does not use up the day; a day missed
    entirely is not sent later (only the current local day's digest is ever created).
    """
    created: list[int] = []
    owed = (
        UserSettings.objects.filter(next_digest_at__lte=now, user__is_active=True)
        .exclude(digest_frequency=UserSettings.Frequency.OFF)
        .select_related("user")
    )
    for user_settings in owed:
        user = user_settings.user
        today = now.astimezone(ZoneInfo(user_settings.time_zone)).date()
        due_at = digest_time_on(day=today, user_settings=user_settings)
        if due_at is None or now < due_at:
            # next_digest_at pointed at a day now past: move on to the next owed day.
            if not dry_run:
                digest_schedule_update(user_settings=user_settings, now=now)
            continue
        if Digest.objects.filter(owner=user, local_date=today).exists():
            if not dry_run:
                digest_schedule_update(user_settings=user_settings, now=now)
            continue
        vacation = user_settings.vacation_until
        if vacation and today < vacation:
            continue  # on a break: no digest, and the day is not used up
        if digest_contents(owner=user, day=today).is_empty:
            continue  # nothing to say yet; the next sweep looks again
        if dry_run:
            created.append(0)
            continue
        try:
            with transaction.atomic():  # a savepoint: a racing sweep's row must not abort ours
                digest = Digest.objects.create(owner=user, local_date=today, created_at=now)
        except IntegrityError:
            continue  # another sweep created today's digest a moment ago
        created.append(digest.pk)
        user_settings.next_digest_at = digest_next_at(
            user_settings=user_settings, from_day=today + dt.timedelta(days=1)
        )
        user_settings.save(update_fields=["next_digest_at"])
    return created


def _digests_needing_delivery(*, now: dt.datetime, exclude: Iterable[int]) -> list[int]:
    """Pending digests whose task was probably lost, and sends whose claim timed out."""
    claim_timeout = dt.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT_SECONDS)
    return list(
        Digest.objects.annotate(last_touched=Coalesce("claimed_at", "created_at"))
        .filter(
            Q(state=Digest.State.PENDING, last_touched__lt=now - _requeue_after())
            | Q(state=Digest.State.SENDING, claimed_at__lt=now - claim_timeout)
        )
        .exclude(pk__in=list(exclude))
        .values_list("pk", flat=True)
    )


def heartbeat_record(*, name: str, now: dt.datetime) -> None:
    SchedulerHeartbeat.objects.update_or_create(name=name, defaults={"last_run_at": now})


# --- Reminders closed by what the user did -------------------------------------------------


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
        owner=owner, kind=Reminder.Kind.REACH_OUT, state__in=LIVE_STATES
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


# --- Sending -------------------------------------------------------------------------------


def digest_claim(*, digest_id: int, now: dt.datetime) -> bool:
    """Take the digest for sending with one conditional UPDATE; False if someone else has it."""
    claim_timeout = dt.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT_SECONDS)
    claimable = Q(state=Digest.State.PENDING) | Q(
        state=Digest.State.SENDING, claimed_at__lt=now - claim_timeout
    )
    return bool(
        Digest.objects.filter(claimable, pk=digest_id).update(
            state=Digest.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def digest_render(*, digest: Digest) -> tuple[EmailMultiAlternatives, int] | None:
    """The digest email for ``digest``'s owner and day and how many items it lists,
    or None when there is nothing to say any more."""
    owner = digest.owner
    contents = digest_contents(owner=owner, day=digest.local_date)
    if contents.is_empty:
        return None
    people = [
        {
            "contact": contact,
            "reminder": reminder,
            "links": {action: links.action_url(reminder, action) for action in links.ACTIONS}
            if reminder
            else {},
        }
        for contact in contents.due.items
        for reminder in [contents.reach_out_reminders.get(contact.pk)]
    ]
    follow_ups = [
        {"reminder": r, "done_url": links.action_url(r, "done")} for r in contents.follow_ups
    ]
    unsubscribe = links.unsubscribe_url(owner.pk)
    context = {
        "user": owner,
        "contents": contents,
        "due": contents.due,
        "people": people,
        "follow_ups": follow_ups,
        "dates": contents.dates,
        "digest": digest,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe,
    }
    subject = " ".join(render_to_string("reminders/email/digest_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("reminders/email/digest_body.txt", context),
        to=[owner.email],
        headers={
            "Message-ID": digest.message_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("reminders/email/digest_body.html", context), "text/html"
    )
    return message, contents.item_count


def digest_send(*, digest_id: int, now: dt.datetime) -> str:
    """Claim, send, mark sent. At-least-once: a crash after the SMTP server accepted the message
    and before the row is marked can repeat it, with the same Message-ID. Returns the outcome."""
    if not digest_claim(digest_id=digest_id, now=now):
        return "not claimable"
    digest = Digest.objects.select_related("owner__settings").get(pk=digest_id)
    wants_digests = digest.owner.settings.digest_frequency != UserSettings.Frequency.OFF
    rendered = digest_render(digest=digest) if wants_digests else None
    if rendered is None:
        if wants_digests:
            # Everything in it was acted on between the sweep and now. Like a digest found empty
            # when the sweep looks, this must not use up the day (docs/architecture.md, "The
            # picture of a digest's life"): the row goes and the schedule points at today again,
            # so the first sweep after someone else comes due today sends that day's digest.
            with transaction.atomic():
                Digest.objects.filter(pk=digest_id, state=Digest.State.SENDING).delete()
                digest_schedule_update(user_settings=digest.owner.settings, now=now)
            return "empty"
        Digest.objects.filter(pk=digest_id).update(state=Digest.State.EMPTY)
        return "empty"
    message, item_count = rendered
    try:
        message.send()
    except Exception as exc:
        # Back to pending: the sweep enqueues it again after a pause.
        Digest.objects.filter(pk=digest_id, state=Digest.State.SENDING).update(
            state=Digest.State.PENDING, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        logger.warning("Digest %s not sent: %s", digest_id, exc)
        raise
    Digest.objects.filter(pk=digest_id).update(
        state=Digest.State.SENT, sent_at=now, item_count=item_count, last_error=""
    )
    return "sent"


def broker_prune(*, broker_url: str) -> int:
    """kombu's SQLAlchemy transport marks consumed messages invisible but never deletes them."""
    if not broker_url.startswith("sqla+"):
        return 0
    import sqlalchemy

    engine = sqlalchemy.create_engine(broker_url.removeprefix("sqla+"))
    try:
        with engine.begin() as conn:
            if not sqlalchemy.inspect(conn).has_table("kombu_message"):
                return 0
            result = conn.execute(sqlalchemy.text("DELETE FROM kombu_message WHERE visible = 0"))
            return result.rowcount or 0
    finally:
        engine.dispose()


# --- Acting on reminders (dashboard, signed email links) --------------------------------------


class ReminderGone(Exception):
    """The reminder was already acted on (or no longer exists)."""


@transaction.atomic
def reminder_act(
    *, reminder: Reminder, action: str, version: int | None, now: dt.datetime
) -> Reminder:
    """Apply an email-link action. ``version`` must match the reminder's, and acting bumps it,
    so each signed link works once (a conditional UPDATE settles two clicks racing)."""
    from contacts.services import contact_mark_fine, contact_snooze
    from interactions.services import interaction_log
    from network_crm.clock import local_today

    claim = Reminder.objects.filter(pk=reminder.pk, state__in=LIVE_STATES)
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
            state=Reminder.State.SNOOZED, snoozed_until=today + dt.timedelta(days=7)
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


def digest_unsubscribe(*, user_settings: UserSettings) -> UserSettings:
    """Stop digest emails (the one-click List-Unsubscribe); the dashboard keeps working."""
    user_settings.digest_frequency = UserSettings.Frequency.OFF
    user_settings.next_digest_at = None
    user_settings.save(update_fields=["digest_frequency", "next_digest_at"])
    return user_settings


def calendar_token_regenerate(*, user_settings: UserSettings) -> UserSettings:
    import secrets

    user_settings.calendar_token = secrets.token_urlsafe(32)
    user_settings.save(update_fields=["calendar_token"])
    return user_settings


def health_report(*, now: dt.datetime, sweep_within: dt.timedelta) -> dict:
    """Is the database answering, the broker reachable and the sweep recent?"""
    report: dict = {"ok": True}
    try:
        last = (
            SchedulerHeartbeat.objects.filter(name="sweep")
            .values_list("last_run_at", flat=True)
            .first()
        )
        report["database"] = "ok"
    except Exception as exc:  # any database error means unhealthy
        report.update(ok=False, database=f"error: {type(exc).__name__}")
        last = None
    if last is None:
        report.update(ok=False, sweep="never ran")
    else:
        age = (now - last).total_seconds()
        report["sweep_seconds_ago"] = round(age)
        if age > sweep_within.total_seconds():
            report.update(ok=False, sweep="stale")
        else:
            report["sweep"] = "ok"
    report["broker"] = _broker_status()
    if report["broker"] != "ok":
        report["ok"] = False
    return report


def _broker_status() -> str:
    from network_crm.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # kombu raises many kinds; all mean "not reachable"
        return f"unreachable: {type(exc).__name__}"
