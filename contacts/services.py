"""Writes to contacts, and the one rule for when someone is due.

The rule (DESIGN.md): effective cadence = the contact's override, else its circle's, else none.
    next_reach_out_on = max(last interaction, cadence restarted on) + cadence, where added_on
    stands in when neither exists; pushed later by snoozed_until when set.
``contacts_recompute_due`` is the only implementation; single-contact writes call it with one id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from contacts.models import Circle, Contact
from network_crm.db import AddDays

if TYPE_CHECKING:
    from accounts.models import User

DEFAULT_CIRCLES = [
    ("Close friends", 14),
    ("Friends", 30),
    ("Peers", 30),
    ("Mentors", 60),
    ("Acquaintances", 120),
]


def circles_create_defaults(*, owner: User) -> list[Circle]:
    """Give a new user the usual circles, each with its rhythm."""
    return Circle.objects.bulk_create(
        [Circle(owner=owner, name=name, cadence_days=days) for name, days in DEFAULT_CIRCLES],
        ignore_conflicts=True,
    )


def contacts_recompute_due(*, owner: User, contact_ids: Iterable[int] | None = None) -> int:
    """Recompute ``last_interaction_on`` and ``next_reach_out_on`` for many contacts at once.

    Three UPDATE statements whatever the number of contacts; ``contact_ids=None`` means all of
    ``owner``'s contacts. Returns the number of contacts updated.
    """
    from interactions.models import Interaction  # interactions depends on contacts, not back

    contacts: QuerySet[Contact] = Contact.objects.filter(owner=owner)
    if contact_ids is not None:
        contacts = contacts.filter(pk__in=list(contact_ids))

    latest_interaction = (
        Interaction.contacts.through.objects.filter(contact_id=OuterRef("pk"))
        .values("contact_id")
        .annotate(latest=Max("interaction__occurred_on"))
        .values("latest")
    )
    updated = contacts.update(last_interaction_on=Subquery(latest_interaction))

    circle_cadence = Circle.objects.filter(pk=OuterRef("circle_id")).values("cadence_days")
    cadence = Coalesce(F("cadence_days"), Subquery(circle_cadence))
    # The clock runs from the later of the last interaction and a "we're fine" restart; the date
    # the contact was added counts only when neither exists. (A coffee logged as "10 days ago" for
    # someone added today makes them due on a 7-day rhythm, as the user would expect.)
    clock_start = Greatest(
        Coalesce(F("last_interaction_on"), F("cadence_restarted_on"), F("added_on")),
        Coalesce(F("cadence_restarted_on"), F("last_interaction_on"), F("added_on")),
    )
    # A NULL cadence gives a NULL date: no reach-out nudges for this contact.
    contacts.update(next_reach_out_on=AddDays(clock_start, cadence))
    # A snooze only ever pushes the date later (and never invents one where there is no cadence).
    contacts.filter(snoozed_until__gt=F("next_reach_out_on")).update(
        next_reach_out_on=F("snoozed_until")
    )
    return updated


def contact_recompute_due(*, contact: Contact) -> Contact:
    """The one rule, for one contact; refreshes the instance's dates."""
    contacts_recompute_due(owner=contact.owner, contact_ids=[contact.pk])
    contact.refresh_from_db(fields=["last_interaction_on", "next_reach_out_on"])
    return contact


@transaction.atomic
def contact_save(*, contact: Contact, today: dt.date) -> Contact:
    """Create or update a contact (already filled in by a form) and recompute when they are due."""
    if contact.pk is None:
        contact.added_on = today
    contact.save()
    return contact_recompute_due(contact=contact)


@transaction.atomic
def contact_snooze(*, contact: Contact, until: dt.date, today: dt.date) -> Contact:
    """No reach-out nudge for ``contact`` before ``until``."""
    from reminders.services import reminders_close_no_longer_due

    contact.snoozed_until = until
    contact.save(update_fields=["snoozed_until", "updated_at"])
    contact_recompute_due(contact=contact)
    reminders_close_no_longer_due(owner=contact.owner, contact_ids=[contact.pk], today=today)
    return contact


@transaction.atomic
def circle_save(*, circle: Circle) -> Circle:
    """Save a circle; a new cadence re-times every contact in it in one set-based recompute."""
    circle.save()
    contacts_recompute_due(
        owner=circle.owner,
        contact_ids=Contact.objects.filter(owner=circle.owner, circle=circle).values_list(
            "pk", flat=True
        ),
    )
    return circle


def contacts_set_flags(*, owner: User, contact_ids: Iterable[int], **flags: bool) -> int:
    """Pause/unpause or archive/unarchive many contacts in one UPDATE."""
    allowed = {"paused", "archived"}
    if not flags or set(flags) - allowed:
        raise ValueError(f"Only {sorted(allowed)} can be set in bulk.")
    return Contact.objects.filter(owner=owner, pk__in=list(contact_ids)).update(**flags)
