"""Reads of interactions: the activity list and timelines, with their people in one query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet, Subquery, Sum

from contacts.models import Contact
from interactions.models import ActivityDay, Interaction

if TYPE_CHECKING:
    from accounts.models import User


def interactions_filtered(
    *,
    owner: User,
    kind: str = "",
    circle_id: int | None = None,
    contact_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Interaction]:
    """The owner's interactions, newest first, narrowed by kind, circle, person and dates."""
    interactions = Interaction.objects.filter(owner=owner)
    if kind:
        interactions = interactions.filter(kind=kind)
    links = Interaction.contacts.through.objects.filter(interaction_id=OuterRef("pk"))
    if contact_id:
        interactions = interactions.filter(Exists(links.filter(contact_id=contact_id)))
    if circle_id:
        interactions = interactions.filter(Exists(links.filter(contact__circle_id=circle_id)))
    if since:
        interactions = interactions.filter(occurred_on__gte=since)
    if until:
        interactions = interactions.filter(occurred_on__lte=until)
    return interactions.order_by("-occurred_at", "-pk")


def interactions_count(
    *,
    owner: User,
    interactions: QuerySet[Interaction],
    kind: str = "",
    circle_id: int | None = None,
    contact_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> int:
    """How many ``interactions`` (as ``interactions_filtered`` gave them) there are: summed from
    the per-day counts when only dates narrow them, at most one row per day, instead of
    counting every interaction for the paginator (200,000 at 10,000 contacts)."""
    if kind or circle_id or contact_id:
        return interactions.count()
    days = ActivityDay.objects.filter(owner=owner)
    if since:
        days = days.filter(day__gte=since)
    if until:
        days = days.filter(day__lte=until)
    return days.aggregate(total=Sum("total"))["total"] or 0


def attach_people(interactions: Iterable[Interaction]) -> None:
    """Set ``interaction.people`` for a page of interactions with one query."""
    interactions = list(interactions)
    people: dict[int, list[Contact]] = {}
    for link in (
        Interaction.contacts.through.objects.filter(
            interaction_id__in=[interaction.pk for interaction in interactions]
        )
        .select_related("contact")
        .order_by("contact__sort_name")
    ):
        people.setdefault(link.interaction_id, []).append(link.contact)
    for interaction in interactions:
        interaction.people = people.get(interaction.pk, [])


def interactions_of_contact(*, contact: Contact) -> QuerySet[Interaction]:
    """One person's interactions, newest first (their timeline)."""
    return Interaction.objects.filter(contacts=contact).order_by("-occurred_at", "-pk")


def interactions_of_contacts_count(*, owner: User, contact_ids: Iterable[int]) -> int:
    """How many of the owner's interactions any of these people took part in."""
    return (
        Interaction.objects.filter(owner=owner, contacts__in=list(contact_ids)).distinct().count()
    )


# --- What to say when nudging: "next time, ask about…" and shared interests ---------------------


def contacts_with_talking_points(contacts: list[Contact]) -> list[Contact]:
    """Attach ``shared_interests`` (names) and ``ask_about`` (the latest "next time, ask about…"
    note) to each contact, in two queries whatever their number (the list is already capped)."""
    ids = [contact.pk for contact in contacts]
    shared: dict[int, list[str]] = {}
    for contact_id, name in (
        Contact.interests.through.objects.filter(contact_id__in=ids, interest__mine=True)
        .order_by("interest__folded_name")
        .values_list("contact_id", "interest__name")
    ):
        shared.setdefault(contact_id, []).append(name)
    latest_note = (
        Interaction.objects.filter(contacts=OuterRef("pk"))
        .exclude(ask_next_time="")
        .order_by("-occurred_at", "-pk")
        .values("ask_next_time")[:1]
    )
    notes = dict(
        Contact.objects.filter(pk__in=ids)
        .annotate(note=Subquery(latest_note))
        .values_list("pk", "note")
    )
    for contact in contacts:
        contact.shared_interests = shared.get(contact.pk, [])
        contact.ask_about = notes.get(contact.pk) or ""
    return contacts
