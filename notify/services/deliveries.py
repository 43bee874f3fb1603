"""The digest to channels and devices: one Delivery row per target, then claim → send → mark,
retried with backoff, never inside the owner's quiet hours (docs/architecture.md,
"Notifications"; docs/decisions/0011-notifications.md).

The rows are the outbox, as Digest rows are for email (docs/decisions/0005): a digest reaches a
target at least once because its row exists. A worker that dies after the target took the message
and before the row is marked leaves a stale claim, which is sent again after CLAIM_TIMEOUT with the
same text (fixed when the row was made): at most one repeat per stale claim. A target that fails
only moves its own row along the backoff; the others and the email go on.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from accounts.models import UserSettings
from network_crm import dates
from notify.models import Channel, Delivery, PushSubscription
from notify.services.errors import DeliveryError, SubscriptionGone
from notify.services.targets import target_mark
from reminders.models import Digest
from reminders.selectors import digest_contents
from reminders.services.schedule import quiet_hours_end_after

logger = logging.getLogger(__name__)

# After the first attempt fails, the next ones wait this long; after the last, the row gives up.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
# A row claimed longer ago than this belongs to a worker that died: it is sent again. Longer than
# a send can take (channel_send: connect 5 s + read 10 s; push alike).
CLAIM_TIMEOUT = dt.timedelta(minutes=2)
# Digests this recent are fanned out by the periodic task too (a lost digest_created task, a
# broker that was down). Older ones are not: a target added or turned on later in the day gets
# the next day's digest, not a stale one.
FAN_OUT_WITHIN = dt.timedelta(hours=2)
# The digest states that went (or are going) out; EMPTY ones said nothing.
FAN_OUT_STATES = (
    Digest.State.PENDING,
    Digest.State.SENDING,
    Digest.State.SENT,
    Digest.State.NOT_EMAILED,
)
# Sent, failed and gone rows are kept this long (the admin shows them), then purged.
KEPT_FOR = dt.timedelta(days=30)
DUE_BATCH = 200
# One task run stops taking new rows after this long; the next run (a minute later) goes on.
RUN_BUDGET = dt.timedelta(seconds=45)
# A chat message or a notification, not an email: this many names, then "and N more".
NAMES_SHOWN = 5
TITLE_MAX = 200
BODY_MAX = 1000


# --- The message ------------------------------------------------------------------------------


def _site(path: str = "/") -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def digest_message(*, digest: Digest) -> tuple[str, str, str] | None:
    """The short text of ``digest`` for a chat message or a notification: (title, body, url),
    who is due with the app link; None when there is nothing to say any more."""
    owner = digest.owner
    contents = digest_contents(owner=owner, day=digest.local_date)
    if contents.is_empty:
        return None
    due = contents.due
    names = [contact.name for contact in due.items]
    lines: list[str] = []
    with dates.override(owner.settings.locale):
        if due.total == 1:
            title = f"Time to reach out to {names[0]}"
        elif due.total:
            title = f"{due.total} people to reach out to"
        elif contents.plans:
            title = contents.plans[0].line
        elif contents.follow_ups:
            count = len(contents.follow_ups)
            title = f"{count} follow-up{'' if count == 1 else 's'} due"
        else:
            first = contents.dates[0]
            title = f"Coming up: {first.date.title.lower()} of {first.date.contact.name}"
        if contents.plans:
            lines.append("Today: " + "; ".join(item.line for item in contents.plans) + ".")
        if names and due.total > 1:
            shown = ", ".join(names[:NAMES_SHOWN])
            more = due.total - min(len(names), NAMES_SHOWN)
            lines.append(f"Reach out to {shown}" + (f" and {more} more." if more else "."))
        if contents.follow_ups:
            people = ", ".join(r.contact.name for r in contents.follow_ups[:NAMES_SHOWN])
            lines.append(f"Promises to keep: {people}.")
        if contents.dates:
            coming = ", ".join(
                f"{item.date.contact.name} ({item.date.title.lower()}, "
                f"{dates.format_date(item.on, 'weekday')})"
                for item in contents.dates[:NAMES_SHOWN]
            )
            lines.append(f"Coming up: {coming}.")
        if contents.share:
            item = contents.share.item
            lines.append(
                f"Something to share with {contents.share.contact.name}: {item.title or item.url}"
            )
    body = "\n".join(lines) or "Open the app to see who is due today."
    return title[:TITLE_MAX], body[:BODY_MAX], _site("/")


# --- Fan-out ----------------------------------------------------------------------------------


def _first_attempt_at(owner_settings: UserSettings, now: dt.datetime) -> dt.datetime:
    return quiet_hours_end_after(user_settings=owner_settings, now=now) or now


def digest_fan_out(*, digest_id: int, now: dt.datetime) -> int:
    """One pending Delivery per enabled channel and push subscription of the digest's owner.

    Running it again adds nothing for targets that already have their row (the unique
    constraints); a digest that says nothing any more gets none. Returns how many rows are new.
    """
    digest = (
        Digest.objects.select_related("owner__settings")
        .filter(pk=digest_id, state__in=FAN_OUT_STATES)
        .first()
    )
    if digest is None:
        return 0
    channels = list(Channel.objects.filter(owner_id=digest.owner_id, enabled=True))
    subscriptions = list(PushSubscription.objects.filter(owner_id=digest.owner_id))
    have = Delivery.objects.filter(digest_id=digest_id)
    have_channels = set(have.exclude(channel=None).values_list("channel_id", flat=True))
    have_subscriptions = set(
        have.exclude(subscription=None).values_list("subscription_id", flat=True)
    )
    targets = [("channel", c) for c in channels if c.pk not in have_channels] + [
        ("subscription", s) for s in subscriptions if s.pk not in have_subscriptions
    ]
    if not targets:
        return 0
    message = digest_message(digest=digest)
    if message is None:
        return 0
    title, body, url = message
    next_at = _first_attempt_at(digest.owner.settings, now)
    rows = [
        Delivery(
            owner_id=digest.owner_id,
            kind=Delivery.Kind.DIGEST,
            digest_id=digest_id,
            title=title,
            body=body,
            url=url,
            next_attempt_at=next_at,
            **{field: target},
        )
        for field, target in targets
    ]
    try:
        # ignore_conflicts: a fan-out racing this one made some rows a moment ago. The savepoint
        # keeps a digest deleted meanwhile (found empty by digest_send) from failing the caller.
        with transaction.atomic():
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    except IntegrityError:
        return 0
    return len(rows)


def digests_to_fan_out(*, now: dt.datetime) -> list[int]:
    """Recent digests that went or are going out, of owners with a target (the periodic task
    fans them out again; most owners have none, and cost one query between them)."""
    has_target = Exists(
        Channel.objects.filter(owner_id=OuterRef("owner_id"), enabled=True)
    ) | Exists(PushSubscription.objects.filter(owner_id=OuterRef("owner_id")))
    return list(
        Digest.objects.filter(
            has_target, state__in=FAN_OUT_STATES, created_at__gte=now - FAN_OUT_WITHIN
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


# --- Claim → send → mark ----------------------------------------------------------------------


def delivery_claim(*, delivery_id: int, now: dt.datetime) -> bool:
    """pending and due → sending, for one worker only (a conditional UPDATE)."""
    return bool(
        Delivery.objects.filter(
            pk=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now
        ).update(state=Delivery.State.SENDING, claimed_at=now)
    )


def _send(delivery: Delivery) -> None:
    """Hand the row's fixed text to its target's sender (A's channels, C's push)."""
    text = {"title": delivery.title, "body": delivery.body, "url": delivery.url}
    if delivery.channel_id is not None:
        from notify.services.channels import channel_send

        channel_send(delivery.channel, **text)
    else:
        from notify.services.push import push_send

        push_send(delivery.subscription, **text)


def delivery_send(delivery_id: int, now: dt.datetime) -> str:
    """Claim, send, mark sent or schedule the next attempt. Returns the outcome."""
    if not delivery_claim(delivery_id=delivery_id, now=now):
        return "not claimable"
    delivery = Delivery.objects.select_related("channel", "subscription", "owner__settings").get(
        pk=delivery_id
    )
    mine = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENDING, claimed_at=now)
    target = delivery.channel or delivery.subscription
    if target is None or target.owner_id != delivery.owner_id:
        # The device was removed (its subscription row went, SET_NULL), or another user signed
        # in on that browser and subscribed it (it moved to them): this text is not theirs.
        why = (
            "The device was removed." if target is None else "The device moved to another account."
        )
        mine.update(state=Delivery.State.GONE, claimed_at=None, last_error=why)
        return "gone"
    if delivery.channel is not None and not delivery.channel.enabled:
        mine.update(
            state=Delivery.State.FAILED, claimed_at=None, last_error="The channel was turned off."
        )
        return "failed"
    quiet_end = quiet_hours_end_after(user_settings=delivery.owner.settings, now=now)
    if quiet_end is not None:
        mine.update(state=Delivery.State.PENDING, claimed_at=None, next_attempt_at=quiet_end)
        return "quiet hours"
    attempts = delivery.attempts + 1
    try:
        _send(delivery)
    except SubscriptionGone as exc:
        with transaction.atomic():
            mine.update(
                state=Delivery.State.GONE,
                attempts=attempts,
                claimed_at=None,
                last_error=str(exc)[:300],
            )
            # RFC 8030 §7.3: the push service forgot it; so do we (the row keeps its history).
            PushSubscription.objects.filter(pk=delivery.subscription_id).delete()
        return "gone"
    except Exception as exc:
        # DeliveryError is the senders' word for a failure; anything else (a bug, a library's
        # surprise) must not leave the row claimed forever either: retried like a failure.
        if isinstance(exc, DeliveryError):
            error, permanent = str(exc), exc.permanent
        else:
            logger.exception("Delivery %s: unexpected error while sending", delivery_id)
            error, permanent = f"Unexpected error: {type(exc).__name__}", False
        gave_up = permanent or attempts > len(BACKOFF)
        next_at = now if gave_up else now + BACKOFF[attempts - 1]
        if not gave_up:
            # A retry never lands inside quiet hours: it waits for their end.
            probe = quiet_hours_end_after(user_settings=delivery.owner.settings, now=next_at)
            next_at = probe or next_at
        mine.update(
            state=Delivery.State.FAILED if gave_up else Delivery.State.PENDING,
            attempts=attempts,
            last_error=error[:300],
            next_attempt_at=next_at,
            claimed_at=None,
        )
        target_mark(target, now=now, error=error)
        return "failed" if gave_up else "retry"
    mine.update(
        state=Delivery.State.SENT, attempts=attempts, sent_at=now, last_error="", claimed_at=None
    )
    target_mark(target, now=now, error=None)
    return "sent"


def deliveries_due(*, now: dt.datetime, digest_id: int | None = None) -> list[int]:
    """Reclaim stale claims, then the ids of rows due now (oldest first)."""
    Delivery.objects.filter(
        state=Delivery.State.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(
        state=Delivery.State.PENDING,
        claimed_at=None,
        last_error="The worker stopped while sending; sent again.",
    )
    due = Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
    if digest_id is not None:
        due = due.filter(digest_id=digest_id)
    return list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:DUE_BATCH])


def deliveries_run(*, now: dt.datetime, clock, digest_id: int | None = None) -> dict[str, int]:
    """Send the rows due now, one after the other, until RUN_BUDGET is spent (``clock()`` gives
    the current time for the budget and for each attempt). Returns a count per outcome."""
    outcomes: dict[str, int] = {}
    for delivery_id in deliveries_due(now=now, digest_id=digest_id):
        moment = clock()
        if moment - now > RUN_BUDGET:
            break
        outcome = delivery_send(delivery_id, moment)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def deliveries_purge(*, now: dt.datetime) -> int:
    deleted, _ = Delivery.objects.filter(
        Q(state__in=[Delivery.State.SENT, Delivery.State.FAILED, Delivery.State.GONE]),
        created_at__lt=now - KEPT_FOR,
    ).delete()
    return deleted
