"""Planned interactions: a coffee or call set for a future moment (docs/architecture.md, "Give
first", "Plans"). Planned, then logged (it becomes an Interaction through ``interaction_log``)
or dismissed; both can be taken back. Services take ``now``/``today``; they never read the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from contacts.models import Contact
from interactions import services
from interactions.models import Interaction, PlannedInteraction

if TYPE_CHECKING:
    from accounts.models import User

# What a plan can be: things that happen at a moment with someone.
PLAN_KINDS = [
    Interaction.Kind.COFFEE,
    Interaction.Kind.CALL,
    Interaction.Kind.VIDEO_CALL,
    Interaction.Kind.MEAL,
    Interaction.Kind.EVENT,
    Interaction.Kind.OTHER,
]
DEFAULT_MINUTES = 60


def _check_people(owner: User, contacts: Sequence[Contact]) -> None:
    if not contacts:
        raise ValueError("A plan needs at least one person.")
    if any(contact.owner_id != owner.pk for contact in contacts):
        raise PermissionError("A plan can only be made with your own people.")


@transaction.atomic
def plan_create(
    *,
    owner: User,
    contacts: Sequence[Contact],
    kind: str,
    starts_at: dt.datetime,
    duration_minutes: int | None = None,
    place: str = "",
    note: str = "",
) -> PlannedInteraction:
    _check_people(owner, contacts)
    plan = PlannedInteraction.objects.create(
        owner=owner,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        note=note,
    )
    plan.contacts.set([contact.pk for contact in contacts])
    return plan


PLAN_FIELDS = ("kind", "starts_at", "duration_minutes", "place", "note")


@transaction.atomic
def plan_update(
    *, plan: PlannedInteraction, contacts: Sequence[Contact], **fields
) -> PlannedInteraction:
    """Change what, when, where or with whom (a new UID is not needed: calendars follow it)."""
    _check_people(plan.owner, contacts)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    plan.contacts.set([contact.pk for contact in contacts])
    return plan


def plan_dismiss(*, plan: PlannedInteraction) -> PlannedInteraction:
    """It is not happening: out of Coming up, the calendar and the digest."""
    if plan.state == PlannedInteraction.State.PLANNED:
        plan.state = PlannedInteraction.State.DISMISSED
        plan.save(update_fields=["state", "updated_at"])
    return plan


def plan_restore(*, plan: PlannedInteraction) -> PlannedInteraction:
    """Undo of a dismissal."""
    if plan.state == PlannedInteraction.State.DISMISSED:
        plan.state = PlannedInteraction.State.PLANNED
        plan.save(update_fields=["state", "updated_at"])
    return plan


class PlanNotYet(ValueError):
    """Logging a plan before its time."""


@transaction.atomic
def plan_log(*, plan: PlannedInteraction, now: dt.datetime, today: dt.date) -> Interaction:
    """It happened: one Interaction with the plan's kind, people, place and moment (notes: what
    was to be talked about), the plan marked logged and linked. Logging twice logs once."""
    plan = PlannedInteraction.objects.select_for_update().get(pk=plan.pk)
    if plan.state == PlannedInteraction.State.LOGGED and plan.interaction_id:
        return plan.interaction
    if plan.starts_at > now:
        raise PlanNotYet("That hasn't happened yet: log it once it has.")
    interaction = services.interaction_log(
        owner=plan.owner,
        contacts=list(plan.contacts.all()),
        kind=plan.kind,
        occurred_at=plan.starts_at,
        today=today,
        notes=plan.note,
        place=plan.place,
        duration_minutes=plan.duration_minutes,
        initiated_by=Interaction.Initiator.ME,
    )
    plan.state = PlannedInteraction.State.LOGGED
    plan.interaction = interaction
    plan.save(update_fields=["state", "interaction", "updated_at"])
    return interaction


@transaction.atomic
def plan_log_undo(*, plan: PlannedInteraction, today: dt.date) -> PlannedInteraction:
    """Undo of a log: the interaction leaves the log (due dates follow), the plan is planned
    again."""
    if plan.state != PlannedInteraction.State.LOGGED:
        return plan
    if plan.interaction_id:
        services.interaction_delete(interaction=plan.interaction, today=today)
    plan.interaction = None
    plan.state = PlannedInteraction.State.PLANNED
    plan.save(update_fields=["state", "interaction", "updated_at"])
    return plan


def plan_promise(
    *, interaction: Interaction, note: str, on: dt.date, today: dt.date
) -> Interaction:
    """The capture after a log ("Anything you promised?"): the interaction's follow-up, which
    the follow-up reminders pick up like any other."""
    return services.interaction_update(
        interaction=interaction,
        contacts=list(interaction.contacts.all()),
        today=today,
        follow_up_note=note,
        follow_up_on=on,
    )
