"""Introductions you make between two of your people, double opt-in (docs/architecture.md,
"Give first"): ask one, ask the other, both agree, introduce them, note the outcome; either may
decline at any step. Introducing them logs one Introduction interaction with both."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from contacts.models import Contact
from giving.introductions_selectors import MADE, STEPS
from giving.models import Introduction
from interactions.models import Interaction
from interactions.services import interaction_delete, interaction_log

if TYPE_CHECKING:
    from accounts.models import User

State = Introduction.State


class IntroductionRefused(ValueError):
    """The introduction cannot be recorded as asked (the message says why)."""


def introduction_create(
    *, owner: User, person_a: Contact, person_b: Contact, reason: str = ""
) -> Introduction:
    if person_a.pk == person_b.pk:
        raise IntroductionRefused("Pick two different people.")
    if person_a.owner_id != owner.pk or person_b.owner_id != owner.pk:
        raise IntroductionRefused("Pick two of your people.")
    return Introduction.objects.create(
        owner=owner, person_a=person_a, person_b=person_b, reason=reason.strip()
    )


def _interaction_notes(introduction: Introduction) -> str:
    names = f"{introduction.person_a.name} and {introduction.person_b.name}"
    reason = introduction.reason.strip()
    return f"Introduced {names}." + (f" Why: {reason}" if reason else "")


@transaction.atomic
def introduction_move(
    *,
    introduction: Introduction,
    state: str,
    now: dt.datetime,
    today: dt.date,
    outcome: str | None = None,
) -> str:
    """Move ``introduction`` to ``state`` and return the state it had (for an Undo). ``now`` is
    when they were introduced, if this step introduces them (a past moment when backdated).

    Reaching "introduced" (or "outcome noted") logs ONE Introduction interaction with both people
    and links it; going back before "introduced" (an Undo) deletes that interaction again, so
    the log and the due dates are as they were. Declining keeps an introduction that was made."""
    if state not in State.values:
        raise IntroductionRefused("Unknown step.")
    # Two clicks on "I introduced them" at once must still log one interaction.
    locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
    introduction.state, introduction.interaction_id = locked.state, locked.interaction_id
    previous = introduction.state
    if state in MADE and introduction.interaction_id is None:
        introduction.interaction = interaction_log(
            owner=introduction.owner,
            contacts=[introduction.person_a, introduction.person_b],
            kind=Interaction.Kind.INTRODUCTION,
            occurred_at=now,
            today=today,
            notes=_interaction_notes(introduction),
            initiated_by=Interaction.Initiator.ME,
        )
        introduction.introduced_on = introduction.interaction.occurred_on
    elif state in STEPS[: STEPS.index(State.INTRODUCED)]:
        if introduction.interaction is not None:
            interaction_delete(interaction=introduction.interaction, today=today)
            introduction.interaction = None
        introduction.introduced_on = None
    if outcome is not None:
        introduction.outcome = outcome.strip()
    introduction.state = state
    introduction.save()
    return previous


def introduction_delete(*, introduction: Introduction) -> None:
    """Forget the introduction; an interaction it logged stays in the log (it happened)."""
    introduction.delete()
