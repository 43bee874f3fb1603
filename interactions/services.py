"""Writes to interactions. Logging one moves each participant's last/next dates by the one rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from contacts.models import Contact
from contacts.services import contacts_recompute_due
from interactions.models import Interaction
from network_crm.clock import user_zone

if TYPE_CHECKING:
    from accounts.models import User


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
    follow_up_on: dt.date | None = None,
) -> Interaction:
    """Record an interaction (possibly backdated) and move its participants' due dates."""
    from reminders.services import reminders_close_no_longer_due

    if any(contact.owner_id != owner.pk for contact in contacts):
        raise PermissionError("Interactions can only include the owner's own contacts.")
    interaction = Interaction.objects.create(
        owner=owner,
        kind=kind,
        occurred_at=occurred_at,
        occurred_on=occurred_at.astimezone(user_zone(owner)).date(),
        notes=notes,
        place=place,
        duration_minutes=duration_minutes,
        follow_up_on=follow_up_on,
    )
    contact_ids = [contact.pk for contact in contacts]
    interaction.contacts.set(contact_ids)
    contacts_recompute_due(owner=owner, contact_ids=contact_ids)
    reminders_close_no_longer_due(owner=owner, contact_ids=contact_ids, today=today)
    return interaction
