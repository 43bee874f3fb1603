"""Non-trivial reads of contacts: who is due, in what order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from contacts.limits import MAX_DATES_PER_CONTACT, MAX_METHODS_PER_CONTACT, MAX_SHOWN_INTERESTS
from contacts.models import Contact, ContactMethod, Interest, effective_cadence
from network_crm.db import DaysDiff
from network_crm.text import fold

if TYPE_CHECKING:
    from accounts.models import User


def contacts_due(*, owner: User, today: dt.date) -> QuerySet[Contact]:
    """Active contacts whose reach-out date has come, most overdue relative to cadence first.

    One indexed range query on (owner, next_reach_out_on). A contact 10 days late on a 14-day
    rhythm comes before one 20 days late on a 120-day rhythm.
    """
    cadence = Coalesce(effective_cadence(), Value(1))
    overdue_days = DaysDiff(Value(today, output_field=DateField()), F("next_reach_out_on"))
    return (
        Contact.objects.filter(owner=owner)
        .due(today)
        .select_related("circle")
        .annotate(
            overdue_days=overdue_days,
            overdue_ratio=Cast(overdue_days, FloatField()) / Cast(cadence, FloatField()),
        )
        .order_by("-overdue_ratio", "next_reach_out_on", "sort_name", "pk")
    )


@dataclass(frozen=True)
class CappedList:
    """The first ``limit`` items, and how many more are waiting (never dropped, just not pushed)."""

    items: list[Contact]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def first_of(queryset: QuerySet, *, limit: int) -> CappedList:
    """The first ``limit`` rows of ``queryset`` and how many there are (counted only when there
    may be more), so a page shows a bounded list and says what it leaves out."""
    items = list(queryset[:limit])
    total = len(items) if len(items) < limit else queryset.count()
    return CappedList(items=items, total=total)


def contact_page_details(*, contact: Contact, today: dt.date) -> dict:
    """What a person's page shows of their own details, each list capped (contacts/limits.py)."""
    interests = first_of(
        contact.interests.order_by("-mine", "folded_name"), limit=MAX_SHOWN_INTERESTS
    )
    methods = first_of(contact.methods.all(), limit=MAX_METHODS_PER_CONTACT)
    dates = first_of(contact.dates.all(), limit=MAX_DATES_PER_CONTACT)
    return {
        "methods": methods.items,
        "methods_not_shown": methods.more,
        "dates": [(date, date.next_occurrence(today)) for date in dates.items],
        "dates_not_shown": dates.more,
        "interests": interests.items,
        "interests_not_shown": interests.more,
        "shared_interests": [interest for interest in interests.items if interest.mine],
        "introduced": contact.introduced.filter(archived=False).order_by("sort_name")[:20],
    }


def contacts_due_capped(*, owner: User, today: dt.date, limit: int) -> CappedList:
    return first_of(contacts_due(owner=owner, today=today), limit=limit)


# --- The contact list: search, filters, sorting -------------------------------------------------

SORTS = {
    "name": ("sort_name", "pk"),
    "last": (F("last_interaction_on").asc(nulls_first=True), "sort_name", "pk"),
    "next": (F("next_reach_out_on").asc(nulls_last=True), "sort_name", "pk"),
}


@dataclass(frozen=True)
class ContactFilters:
    query: str = ""
    circle_id: int | None = None
    interest_id: int | None = None
    status: str = ""  # "", "due", "paused", "archived"
    sort: str = "name"


def contacts_search(*, owner: User, filters: ContactFilters, today: dt.date) -> QuerySet[Contact]:
    """The owner's contacts matching ``filters``, in the chosen order.

    Search is on folded text (network_crm.text.fold: case, accents, apostrophes and hyphens
    folded the same way in every script) over the contact's own
    fields, their emails, phones (also as bare digits) and links, and their interests' names, so "emile" finds "Émile" on SQLite as on PostgreSQL.
    """
    contacts = Contact.objects.filter(owner=owner).select_related("circle")
    if filters.status == "archived":
        contacts = contacts.filter(archived=True)
    else:
        contacts = contacts.filter(archived=False)
        if filters.status == "paused":
            contacts = contacts.filter(paused=True)
        elif filters.status == "due":
            contacts = contacts.due(today)
    if filters.circle_id:
        contacts = contacts.filter(circle_id=filters.circle_id)
    if filters.interest_id:
        # IN (the interest's links) lets the database start from those few rows; EXISTS had it
        # test every contact of the owner (measured: bench/NOTES.md, "Why the queries look the
        # way they do").
        links = Contact.interests.through.objects.filter(interest_id=filters.interest_id)
        contacts = contacts.filter(pk__in=links.values("contact_id"))
    contacts = contacts_matching(contacts, owner=owner, query=filters.query)
    return contacts.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def contacts_matching(
    contacts: QuerySet[Contact], *, owner: User, query: str, max_words: int | None = None
) -> QuerySet[Contact]:
    """``contacts`` narrowed to those matching every word of ``query`` (folded) in their own
    text, a way to reach them or an interest's name: the list's search and the admin's."""
    for word in fold(query).split()[:max_words]:
        # IN (one list per word) rather than EXISTS per contact: the lists are built once, and a
        # contact whose own text doesn't match costs a lookup, not two subqueries (bench/NOTES.md,
        # "Why the queries look the way they do").
        interest_match = Contact.interests.through.objects.filter(
            interest__owner=owner, interest__folded_name__contains=word
        )
        method_match = ContactMethod.objects.filter(owner=owner, folded_value__contains=word)
        contacts = contacts.filter(
            Q(search_text__contains=word)
            | Q(pk__in=interest_match.values("contact_id"))
            | Q(pk__in=method_match.values("contact_id"))
        )
    return contacts


# --- Interests: "who would enjoy this?" ----------------------------------------------------------

PEOPLE_PER_INTEREST = 5
# Above this many people, an interest's first few are found by walking the owner's people from the
# most recently seen down (5 × people ÷ sharers index probes: about 100 for an interest one
# person in twenty shares); at or below it, by sorting just the people who share it.
WALK_FROM = 200


@dataclass(frozen=True)
class InterestPeople:
    interest: Interest
    people: list[Contact]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.people)


def _most_recently_seen_first(contact: Contact) -> tuple:
    seen = contact.last_interaction_on
    return (seen is None, -seen.toordinal() if seen else 0, contact.sort_name, contact.pk)


def interests_with_people(
    *, owner: User, interests: list[Interest], per_interest: int = PEOPLE_PER_INTEREST
) -> list[InterestPeople]:
    """For each interest (already counted, see ``interests_for_overview``), the few people who
    share it, most recently seen first. Two queries whatever the number of people: the first
    ``per_interest`` people of every interest (see ``_first_people_sql``), then those contacts.

    (Ranking every link of the page's interests with a window function read all of them and
    grew with the data: bench/NOTES.md, "Why the queries look the way they do".)"""
    if not interests:
        return []
    sql, params = _first_people_sql(owner=owner, interests=interests, limit=per_interest)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        links = cursor.fetchall()
    # Only what the row shows and sorts by: a whole contact (notes, search text...) costs more
    # to build than it takes to read.
    contacts = (
        Contact.objects.filter(owner=owner)
        .only("pk", "name", "sort_name", "last_interaction_on")
        .in_bulk({contact_id for _, contact_id in links})
    )
    people: dict[int, list[Contact]] = {}
    for interest_id, contact_id in links:
        people.setdefault(interest_id, []).append(contacts[contact_id])
    return [
        InterestPeople(
            interest=interest,
            people=sorted(people.get(interest.pk, []), key=_most_recently_seen_first),
            total=interest.people_count,
        )
        for interest in interests
    ]


def _first_people_sql(
    *, owner: User, interests: list[Interest], limit: int
) -> tuple[str, list[object]]:
    """One UNION ALL of a LIMITed SELECT per interest, so each reads a bounded number of rows.

    Raw SQL because the ORM can't put LIMIT inside a UNION on SQLite, and building the same
    thing as thirty ORM subqueries cost more Python time than the whole page. The ORDER BY
    matches the (owner, last_interaction_on) index; _most_recently_seen_first sorts the same way.
    """
    quote = connection.ops.quote_name
    contact = quote(Contact._meta.db_table)
    link = quote(Contact.interests.through._meta.db_table)
    order = "c.last_interaction_on DESC NULLS LAST, c.sort_name, c.id"
    # Walk the owner's people from the most recently seen down until enough share the interest.
    walk = (
        f"SELECT CAST(%s AS INTEGER) AS interest_id, c.id AS contact_id FROM {contact} c "
        f"WHERE c.owner_id = %s AND c.archived = %s AND EXISTS (SELECT 1 FROM {link} l "
        f"WHERE l.contact_id = c.id AND l.interest_id = %s) ORDER BY {order} LIMIT %s"
    )
    # Few people share it: sort just them.
    few = (
        f"SELECT l.interest_id AS interest_id, c.id AS contact_id FROM {link} l "
        f"JOIN {contact} c ON c.id = l.contact_id "
        f"WHERE l.interest_id = %s AND c.owner_id = %s AND c.archived = %s "
        f"ORDER BY {order} LIMIT %s"
    )
    parts, params = [], []
    for number, interest in enumerate(interests):
        if interest.people_count > WALK_FROM:
            parts.append(f"SELECT * FROM ({walk}) AS first{number}")
            params += [interest.pk, owner.pk, False, interest.pk, limit]
        else:
            parts.append(f"SELECT * FROM ({few}) AS first{number}")
            params += [interest.pk, owner.pk, False, limit]
    return " UNION ALL ".join(parts), params


def interests_for_overview(*, owner: User, query: str = "") -> list[Interest]:
    """The owner's interests that someone shares (or that are the owner's own), the user's own
    first, then by name, each with ``people_count``: how many active people share it.

    Counted as every link minus the archived people's links: the first count reads only the
    link table's interest index, the second starts from the few archived contacts, instead of
    joining every link to its contact (bench/NOTES.md, "Why the queries look the way they do")."""
    interests = Interest.objects.filter(owner=owner)
    for word in fold(query).split():
        interests = interests.filter(folded_name__contains=word)
    through = Contact.interests.through

    def per_interest(links: QuerySet) -> dict[int, int]:
        return dict(
            links.values("interest_id")
            .annotate(n=Count("pk"))
            .values_list("interest_id", "n")
            .order_by()
        )

    linked = per_interest(through.objects.filter(interest__owner=owner))
    archived = per_interest(through.objects.filter(contact__owner=owner, contact__archived=True))
    overview = []
    for interest in interests.order_by("-mine", "folded_name"):
        interest.people_count = linked.get(interest.pk, 0) - archived.get(interest.pk, 0)
        if interest.people_count or interest.mine:
            overview.append(interest)
    return overview
