"""Reads of interactions: the activity list and timelines, with their people in one query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Sum

from contacts.models import Contact
from interactions.models import ActivityDay, Interaction
from network_crm.dates import format_date
from network_crm.reversing import url_to
from network_crm.templatetags.crm import days_ago

if TYPE_CHECKING:
    from django.core.paginator import Page

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


@dataclass
class ActivityRow:
    """One interaction of the activity list, with only what its row shows: ``people`` are
    (id, name) pairs in order of their sort names."""

    pk: int
    kind: str
    occurred_on: dt.date
    place: str
    notes: str
    people: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ActivityDayGroup:
    """One local day of a page of the activity list. ``continued``: the day began on the
    previous page; ``continues``: it goes on on the next one."""

    day: dt.date
    relative: str  # "Today", "Yesterday" or "" (then the date says it)
    interactions: list[ActivityRow] = field(default_factory=list)
    continued: bool = False
    continues: bool = False


def activity_page_by_day(*, page: Page, today: dt.date) -> list[ActivityDayGroup]:
    """The interactions of ``page`` (a page of ``interactions_filtered``) grouped by the
    owner's local day, with their people: two queries whatever the page size. The row just
    before and just after the page come in the same query, so a day cut by a page boundary
    is labelled on both sides. Rows of the columns the list shows, not models: 30 interactions
    and their people as whole models were a fifth of the page's time (issue 21)."""
    start, end = page.start_index() - 1, page.end_index()
    if end <= 0:
        return []
    low = max(start - 1, 0)
    rows = [
        ActivityRow(*values)
        for values in page.paginator.object_list.values_list(
            "pk", "kind", "occurred_on", "place", "notes"
        )[low : end + 1]
    ]
    before = rows.pop(0) if start > 0 and rows else None
    after = rows.pop() if len(rows) > end - start else None
    if rows:
        people = _people_of([row.pk for row in rows])
        for row in rows:
            row.people = people.get(row.pk, [])
    labels = {today: "Today", today - dt.timedelta(days=1): "Yesterday"}
    groups: list[ActivityDayGroup] = []
    for row in rows:
        if not groups or groups[-1].day != row.occurred_on:
            day = row.occurred_on
            groups.append(ActivityDayGroup(day=day, relative=labels.get(day, "")))
        groups[-1].interactions.append(row)
    if groups:
        groups[0].continued = before is not None and before.occurred_on == groups[0].day
        groups[-1].continues = after is not None and after.occurred_on == groups[-1].day
    return groups


def _people_of(interaction_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Each interaction's people as (id, name), by sort name (then id: two people of one name
    keep one order), in one statement."""
    marks = ", ".join(["%s"] * len(interaction_ids))
    people: dict[int, list[tuple[int, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_PEOPLE_OF_SQL.format(ids=marks), interaction_ids)
        for interaction_id, contact_id, name in cursor.fetchall():
            people.setdefault(interaction_id, []).append((contact_id, name))
    return people


_PEOPLE_OF_SQL = (
    "SELECT l.interaction_id, c.id, c.name "
    f"FROM {connection.ops.quote_name(Interaction.contacts.through._meta.db_table)} l "
    f"JOIN {connection.ops.quote_name(Contact._meta.db_table)} c ON c.id = l.contact_id "
    "WHERE l.interaction_id IN ({ids}) ORDER BY c.sort_name, c.id"
)


def interactions_of_contact(*, contact: Contact) -> QuerySet[Interaction]:
    """One person's interactions, newest first (their timeline)."""
    return Interaction.objects.filter(contacts=contact).order_by("-occurred_at", "-pk")


def contact_timeline(*, contact: Contact, today: dt.date, limit: int = 10) -> dict:
    """The newest ``limit`` interactions of a person's page, as rows ready to show (kind, day
    and "3 weeks ago" written out, the edit link), and how many there are (from the links'
    index, in the same statement). A raw statement: the ORM took ~1.5 ms of Python to build the
    list and its count, for SQL that takes 0.1 ms (issue 21); a window count made SQLite carry
    every row of a busy person's 481 along (+1.6 ms), a scalar subquery is counted once."""
    with connection.cursor() as cursor:
        cursor.execute(_TIMELINE_SQL, [contact.pk, contact.pk, limit])
        rows = cursor.fetchall()
    total = rows[0][-1] if rows else 0
    back = "?next=" + quote(contact.get_absolute_url(), safe="/")
    interactions = []
    for pk, kind, day, ask, notes, _total in rows:
        label = _KINDS.get(kind, kind)
        interactions.append(
            {
                "kind": label,
                "kind_lower": label.lower(),
                "day": format_date(day, "medium-weekday"),
                "ago": days_ago(day, today),
                "edit_url": url_to("interactions:edit", pk) + back,
                "ask_next_time": ask,
                "notes": notes,
            }
        )
    return {"interactions": interactions, "interaction_count": total}


_KINDS = dict(Interaction.Kind.choices)
# By the person's links only (the contact is the owner's): "AND i.owner_id = " had SQLite walk
# the owner's 200,000 interactions by an owner index (0.35 s).
# How many there are is a column (the same on every row), so that the page reads one statement
# whether the list is full or not: its query count doesn't depend on the person (issue 21).
# The newest rows are chosen first from two indexes (the links by person, the interactions' ids
# with their time; interactions migration 0007), then only those rows are read: choosing from
# the rows themselves read all 481 of the busiest person's (1.2 ms of SQL). SQLite is told which
# index to use because it always prefers the table itself for a lookup by id.
_LINKS = connection.ops.quote_name(Interaction.contacts.through._meta.db_table)
_INTERACTIONS = connection.ops.quote_name(Interaction._meta.db_table)
_TIMELINE_SQL = (
    "SELECT i.id, i.kind, i.occurred_on, i.ask_next_time, i.notes, "
    f"(SELECT COUNT(*) FROM {_LINKS} WHERE contact_id = %s) "
    "FROM (SELECT w.id, w.occurred_at "
    f"FROM {_LINKS} l JOIN {_INTERACTIONS} w"
    + (" INDEXED BY interaction_id_when" if connection.vendor == "sqlite" else "")
    + " ON w.id = l.interaction_id WHERE l.contact_id = %s "
    "ORDER BY w.occurred_at DESC, w.id DESC LIMIT %s) chosen "
    f"JOIN {_INTERACTIONS} i ON i.id = chosen.id "
    "ORDER BY chosen.occurred_at DESC, chosen.id DESC"
)


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
    notes = ask_about_notes(ids)
    for contact in contacts:
        contact.shared_interests = shared.get(contact.pk, [])
        contact.ask_about = notes.get(contact.pk) or ""
    return contacts


def ask_about_notes(contact_ids: list[int]) -> dict[int, str]:
    """Each contact's latest "next time, ask about…" note (None or missing: none), one query.

    A raw statement (the ORM's own, written out): building it took longer than running it for
    the dashboard's few people (issue 21). By the people's ids: they were read as the owner's."""
    if not contact_ids:
        return {}
    marks = ", ".join(["%s"] * len(contact_ids))
    with connection.cursor() as cursor:
        cursor.execute(_ASK_ABOUT_SQL.format(ids=marks), list(contact_ids))
        return dict(cursor.fetchall())


_ASK_ABOUT_SQL = (
    "SELECT c.id, (SELECT i.ask_next_time "
    f"FROM {connection.ops.quote_name(Interaction._meta.db_table)} i "
    f"JOIN {connection.ops.quote_name(Interaction.contacts.through._meta.db_table)} l "
    "ON l.interaction_id = i.id WHERE l.contact_id = c.id AND NOT i.ask_next_time = '' "
    "ORDER BY i.occurred_at DESC, i.id DESC LIMIT 1) "
    f"FROM {connection.ops.quote_name(Contact._meta.db_table)} c WHERE c.id IN ({{ids}})"
)
