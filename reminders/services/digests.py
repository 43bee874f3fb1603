"""Digests: creating the day's rows, finding lost ones, and claiming, rendering and sending one.

The Digest row is the outbox: a digest is delivered at least once because the row exists, not
because a task was queued (docs/decisions/0005-database-rows-guarantee-delivery.md).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from accounts.models import UserSettings
from network_crm import dates
from network_crm.clock import local_date
from reminders import links
from reminders.models import Digest
from reminders.selectors import digest_contents
from reminders.services.rhythm import rhythm_count_nudges, rhythm_stretch_ignored
from reminders.services.schedule import (
    digest_next_at,
    digest_schedule_update,
    digest_time_on,
    quiet_hours_end_after,
)
from reminders.signals import digest_created, digest_sent

if TYPE_CHECKING:
    from collections.abc import Iterable

logger = logging.getLogger(__name__)


def _requeue_after() -> dt.timedelta:
    """A pending digest older than this was probably lost by the broker: enqueue it again."""
    return dt.timedelta(seconds=max(120, 2 * settings.SWEEP_INTERVAL_SECONDS))


def digests_create_due(*, now: dt.datetime, dry_run: bool) -> list[int]:
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
        today = local_date(now, user_settings.zone)
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
        if quiet_hours_end_after(user_settings=user_settings, now=now) is not None:
            continue  # quiet hours (changed since the schedule was made): wait for their end
        if not dry_run:
            # Don't hound: a nudge three digests carried in vain stretches that rhythm instead
            # of going out a fourth time (reminders/services/rhythm.py).
            rhythm_stretch_ignored(owner=user, today=today, now=now)
        contents = digest_contents(owner=user, day=today)
        if contents.is_empty:
            continue  # nothing to say yet; the next sweep looks again
        if dry_run:
            created.append(0)
            continue
        try:
            with transaction.atomic():  # a savepoint: a racing sweep's row must not abort ours
                digest = Digest.objects.create(owner=user, local_date=today, created_at=now)
                rhythm_count_nudges(owner=user, contents=contents)
        except IntegrityError:
            continue  # another sweep created today's digest a moment ago
        created.append(digest.pk)
        digest_created.send(sender=Digest, owner_id=user.pk, digest_id=digest.pk)
        user_settings.next_digest_at = digest_next_at(
            user_settings=user_settings, from_day=today + dt.timedelta(days=1)
        )
        user_settings.save(update_fields=["next_digest_at"])
    return created


def digests_needing_delivery(*, now: dt.datetime, exclude: Iterable[int]) -> list[int]:
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
    # Dates as the owner writes them (their setting), not as the worker happens to.
    with dates.override(owner.settings.locale):
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
    and before the row is marked can repeat it, with the same Message-ID. Returns the outcome.

    With the email turned off (``digest_by_email``) the row ends NOT_EMAILED and no mail goes;
    channels and devices still get the digest (notify fans out from the row, not from here).
    """
    owner_settings = UserSettings.objects.filter(
        user_id__in=Digest.objects.filter(pk=digest_id).values("owner_id")
    ).first()
    if owner_settings and quiet_hours_end_after(user_settings=owner_settings, now=now):
        # Nothing is sent inside quiet hours: the row stays pending and the sweep enqueues it
        # again; the first sweep after they end sends it.
        return "quiet hours"
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
    if not digest.owner.settings.digest_by_email:
        Digest.objects.filter(pk=digest_id).update(
            state=Digest.State.NOT_EMAILED, item_count=item_count, last_error=""
        )
        return "not emailed"
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
    digest_sent.send(
        sender=Digest,
        owner_id=digest.owner_id,
        digest_id=digest_id,
        item_count=item_count,
        sent_at=now,
    )
    return "sent"
