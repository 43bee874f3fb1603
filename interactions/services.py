"""Writes to interactions. Logging, editing or deleting one moves its participants' last/next dates:
``contacts_recompute_from_log`` hands the latest day in the log to the one rule
(contacts.services.contacts_recompute_due); a "we're fine" or a snooze stays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core import serializers
from django.db import transaction
from django.db.models import Case, Count, F, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from contacts.models import Contact
from contacts.services import contacts_recompute_due
from interactions.models import ActivityDay, Interaction
from interactions.signals import interaction_changed, interaction_logged
from network_crm.clock import local_date
from network_crm.db import AddDays

EDITABLE_FIELDS = [
    "kind",
    "occurred_at",
    "duration_minutes",
    "place",
    "notes",
    "initiated_by",
    "follow_up_on",
    "follow_up_note",
    "ask_next_time",
]


def _check_owner(owner: User, contacts: Sequence[Contact]) -> None:
    if not contacts:
        raise ValueError("An interaction needs at least one person.")
    if any(contact.owner_id != owner.pk for contact in contacts):
        raise PermissionError("Interactions can only include the owner's own contacts.")


def contacts_recompute_from_log(
    *, owner: User, contact_ids: Iterable[int] | None = None, today: dt.date | None = None
) -> int:
    """Recompute last_interaction_on from the log, then the due rule.

    The latest ``occurred_on`` among each contact's interactions (NULL when none remain) is
    written through contacts' own service, in the same statements as the rule: call this
    wherever interactions were created, moved or deleted (this module, merge and its undo,
    restore, import, the demo). ``contact_ids=None`` means all of the owner's contacts.
    """
    latest_interaction = (
        Interaction.contacts.through.objects.filter(contact_id=OuterRef("pk"))
        .values("contact_id")
        .annotate(latest=Max("interaction__occurred_on"))
        .values("latest")
    )
    return contacts_recompute_due(
        owner=owner,
        contact_ids=contact_ids,
        last_interaction_on=Subquery(latest_interaction),
        reaches_out_often=reaches_out_often(),
        today=today,
    )


# "Reaches out often" (docs/architecture.md, "The due rule"): in the REACHES_OUT_WINDOW_DAYS
# up to their latest interaction, they reached out first at least REACHES_OUT_MIN times and at
# least as often as you did (interactions where nobody noted who started count for neither).
# Anchored on their latest interaction, not on today, so it needs no clock and no daily pass:
# it changes only when the log does.
REACHES_OUT_WINDOW_DAYS = 180
REACHES_OUT_MIN = 3


def reaches_out_often() -> Coalesce:
    """Per contact (``OuterRef("pk")``, after ``last_interaction_on`` was rewritten), whether
    they often reach out first: one correlated subquery, so a set-based UPDATE."""
    them = Count("pk", filter=Q(interaction__initiated_by=Interaction.Initiator.THEM))
    me = Count("pk", filter=Q(interaction__initiated_by=Interaction.Initiator.ME))
    verdict = (
        Interaction.contacts.through.objects.filter(contact_id=OuterRef("pk"))
        .alias(window_end=AddDays(F("interaction__occurred_on"), REACHES_OUT_WINDOW_DAYS))
        .filter(window_end__gt=OuterRef("last_interaction_on"))
        .values("contact_id")
        .annotate(them=them, me=me)
        .annotate(
            often=Case(
                When(Q(them__gte=REACHES_OUT_MIN) & Q(them__gte=F("me")), then=Value(True)),
                default=Value(False),
            )
        )
        .values("often")
    )
    return Coalesce(Subquery(verdict), Value(False))


def _after_change(
    *, owner: User, contact_ids: set[int], days: set[dt.date], today: dt.date
) -> None:
    # Reach-out reminders no longer due close through contacts' due_changed signal.
    contacts_recompute_from_log(owner=owner, contact_ids=contact_ids, today=today)
    activity_recount(owner=owner, days=days)


def activity_recount(*, owner: User, days: Iterable[dt.date] | None = None) -> None:
    """Rewrite the owner's ActivityDay rows for ``days`` (``None``: all of them) from their
    interactions. Every write that adds, moves or removes an interaction calls this in its
    transaction, with the days it touched: three small queries for one interaction.

    The owner's row is locked first so that two requests logging on the same day one after the
    other count each other's interaction (under PostgreSQL's read committed, the count that
    follows the lock sees what the other committed). SQLite runs one writer at a time anyway."""
    list(User.objects.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True))
    interactions = Interaction.objects.filter(owner=owner)
    if days is not None:
        days = set(days)
        if not days:
            return
        interactions = interactions.filter(occurred_on__in=days)
    counted = {
        row.pop("occurred_on"): row
        for row in interactions.values("occurred_on")
        .annotate(
            total=Count("pk"),
            by_me=Count("pk", filter=Q(initiated_by=Interaction.Initiator.ME)),
            by_them=Count("pk", filter=Q(initiated_by=Interaction.Initiator.THEM)),
        )
        .order_by()
    }
    if days is None:
        ActivityDay.objects.filter(owner=owner).delete()
        days = set(counted)
    # A day whose interactions all went is written as zeros, not left with its old figures.
    nothing = {"total": 0, "by_me": 0, "by_them": 0}
    ActivityDay.objects.bulk_create(
        [ActivityDay(owner=owner, day=day, **counted.get(day, nothing)) for day in sorted(days)],
        update_conflicts=True,
        unique_fields=["owner", "day"],
        update_fields=["total", "by_me", "by_them"],
        batch_size=500,
    )


@transaction.atomic
def interaction_log(
    *,
    owner: User,
    contacts: Sequence[Contact],
    kind: str,
    occurred_at: dt.datetime,
    today: dt.date,
    notes: str = "",
    place: str = "",
    duration_minutes: int | None = None,
    initiated_by: str = "",
    follow_up_on: dt.date | None = None,
    follow_up_note: str = "",
    ask_next_time: str = "",
) -> Interaction:
    """Record an interaction (possibly backdated) and move its participants' due dates."""
    _check_owner(owner, contacts)
    interaction = Interaction.objects.create(
        owner=owner,
        kind=kind,
        occurred_at=occurred_at,
        occurred_on=local_date(occurred_at, owner.settings.zone),
        notes=notes,
        place=place,
        duration_minutes=duration_minutes,
        initiated_by=initiated_by,
        follow_up_on=follow_up_on,
        follow_up_note=follow_up_note,
        ask_next_time=ask_next_time,
    )
    contact_ids = {contact.pk for contact in contacts}
    interaction.contacts.set(contact_ids)
    _after_change(owner=owner, contact_ids=contact_ids, days={interaction.occurred_on}, today=today)
    interaction_logged.send(
        sender=Interaction, owner=owner, interaction=interaction, contact_ids=contact_ids
    )
    return interaction


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, contacts: Sequence[Contact], today: dt.date, **fields
) -> Interaction:
    """Edit an interaction (re-dating it, changing who was there...) and recompute everyone it
    touched before and after the edit."""
    _check_owner(interaction.owner, contacts)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    before = set(interaction.contacts.values_list("pk", flat=True))
    day_before = interaction.occurred_on
    promise_moved = "follow_up_on" in fields and fields["follow_up_on"] != interaction.follow_up_on
    for name, value in fields.items():
        setattr(interaction, name, value)
    interaction.occurred_on = local_date(interaction.occurred_at, interaction.owner.settings.zone)
    interaction.save()
    after = {contact.pk for contact in contacts}
    interaction.contacts.set(after)
    # Pending follow-up reminders that no longer fit go (reminders/receivers.py).
    interaction_changed.send(
        sender=Interaction,
        interaction=interaction,
        contact_ids=after,
        follow_up_moved=promise_moved,
    )
    _after_change(
        owner=interaction.owner,
        contact_ids=before | after,
        days={day_before, interaction.occurred_on},
        today=today,
    )
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction, today: dt.date) -> set[int]:
    """Delete an interaction; its participants' dates fall back on the interactions that remain."""
    contact_ids = set(interaction.contacts.values_list("pk", flat=True))
    owner, day = interaction.owner, interaction.occurred_on
    interaction.delete()
    _after_change(owner=owner, contact_ids=contact_ids, days={day}, today=today)
    return contact_ids


def interactions_touch(
    *, owner: User, interaction_ids: Iterable[int], now: dt.datetime | None = None
) -> int:
    """Mark interactions as changed now (``updated_at``), for writes that skip ``save()``: bulk
    updates, and their people changing behind them (a merge, a participant deleted). The API's
    ``?updated_since=`` re-reads only what changed, so every path that changes what an
    interaction shows must end here or in save() (docs/architecture.md, "The API")."""
    ids = sorted(set(interaction_ids))
    stamp = now or timezone.now()
    return sum(
        Interaction.objects.filter(owner=owner, pk__in=ids[start : start + 10_000]).update(
            updated_at=stamp
        )
        for start in range(0, len(ids), 10_000)
    )


# --- Bulk changes from the admin -------------------------------------------------------------


@transaction.atomic
def interactions_rekind(*, owner: User, interaction_ids: Iterable[int], kind: str) -> dict:
    """Make the owner's ``interaction_ids`` all of ``kind``: one UPDATE. A kind moves no due
    date and no day's count, so nothing is recomputed. Returns what it replaced,
    ``{old kind: [ids]}``, for ``interactions_rekind_undo``."""
    if kind not in Interaction.Kind.values:
        raise ValueError(f"Unknown kind {kind!r}.")
    interactions = Interaction.objects.filter(owner=owner, pk__in=list(interaction_ids))
    previous: dict[str, list[int]] = {}
    for pk, old in interactions.exclude(kind=kind).values_list("pk", "kind"):
        previous.setdefault(old, []).append(pk)
    interactions.update(kind=kind, updated_at=timezone.now())
    return previous


@transaction.atomic
def interactions_rekind_undo(*, owner: User, previous: dict[str, list[int]]) -> int:
    """Put back the kinds ``interactions_rekind`` replaced (one UPDATE per old kind)."""
    changed = 0
    for kind, ids in previous.items():
        if kind in Interaction.Kind.values:
            changed += Interaction.objects.filter(owner=owner, pk__in=ids).update(
                kind=kind, updated_at=timezone.now()
            )
    return changed


@transaction.atomic
def interactions_delete(*, owner: User, interaction_ids: Iterable[int], today: dt.date) -> str:
    """Delete many of the owner's interactions at once (set-based): their people's dates fall
    back on what remains and the days they were on are recounted, once for the whole batch.

    Returns a snapshot of what went (Django's JSON serialisation: fields and people) for
    ``interactions_restore``. Their follow-up reminders go with them."""
    interactions = Interaction.objects.filter(owner=owner, pk__in=list(interaction_ids))
    snapshot = serializers.serialize("json", interactions.prefetch_related("contacts"))
    links = Interaction.contacts.through.objects.filter(interaction__in=interactions)
    contact_ids = set(links.values_list("contact_id", flat=True))
    days = set(interactions.values_list("occurred_on", flat=True))
    interactions.delete()
    _after_change(owner=owner, contact_ids=contact_ids, days=days, today=today)
    return snapshot


@transaction.atomic
def interactions_restore(*, owner: User, snapshot: str, today: dt.date) -> int:
    """Bring back interactions ``interactions_delete`` removed, with their ids, among the
    people who still exist; one with nobody left stays deleted. Dates and days follow."""
    objects = [
        item
        for item in serializers.deserialize("json", snapshot)
        if item.object.owner_id == owner.pk
    ]
    existing = set(
        Contact.objects.filter(
            owner=owner, pk__in={pk for item in objects for pk in item.m2m_data["contacts"]}
        ).values_list("pk", flat=True)
    )
    taken = set(
        Interaction.objects.filter(pk__in=[item.object.pk for item in objects]).values_list(
            "pk", flat=True
        )
    )
    restored, contact_ids, days = 0, set(), set()
    for item in objects:
        people = [pk for pk in item.m2m_data["contacts"] if pk in existing]
        if not people or item.object.pk in taken:
            continue
        item.object.save(force_insert=True)
        item.object.contacts.set(people)
        contact_ids.update(people)
        days.add(item.object.occurred_on)
        restored += 1
    _after_change(owner=owner, contact_ids=contact_ids, days=days, today=today)
    return restored
