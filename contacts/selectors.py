"""Non-trivial reads of contacts: who is due, in what order."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, fields
from functools import cached_property
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    DateField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import Exact

from contacts.limits import MAX_DATES_PER_CONTACT, MAX_METHODS_PER_CONTACT, MAX_SHOWN_INTERESTS
from contacts.models import (
    BulkChange,
    Circle,
    Contact,
    ContactMethod,
    ImportantDate,
    Interest,
    effective_cadence,
)
from network_crm.db import DaysDiff
from network_crm.reversing import url_to
from network_crm.rows import columns, load, pick, width
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
    """What a person's page shows of their own details, each list capped (contacts/limits.py):
    their interests, ways to reach them, dates, who introduced them and whom they introduced.

    Rows, not models, each read with its total in one raw statement (a window count): the ORM
    spent ~1 ms of Python building each of these eight queries for a page whose SQL takes a
    fraction of that (issue 21)."""
    interests = contact_interests(contact=contact)
    methods, methods_total = _capped(_METHODS_SQL, [contact.pk], MAX_METHODS_PER_CONTACT)
    dates, dates_total = _capped(_DATES_SQL, [contact.pk], MAX_DATES_PER_CONTACT)
    people = _rows(
        _INTRODUCED_SQL, [contact.introduced_by_id or 0, contact.owner_id, contact.pk, False]
    )
    introducer = next((row for row in people if row[2]), None)
    return {
        "methods": [_method(*row) for row in methods],
        "methods_not_shown": methods_total - len(methods),
        "dates": [_date(*row, today=today) for row in dates],
        "dates_not_shown": dates_total - len(dates),
        **interests,
        "introducer": _person(*introducer) if introducer else None,
        "introduced": [_person(*row) for row in people if not row[2]],
    }


_PAGE_ACTIONS = (
    "edit",
    "snooze",
    "fine",
    "archive",
    "delete",
    "photo_upload",
    "introducer",
    "interest_add",
)


def contact_links(contact: Contact) -> dict[str, str]:
    """The person's page's own links and form actions, by URL name, reversed once per process
    (network_crm.sections.url_to)."""
    links = {name: url_to(f"contacts:{name}", contact.pk) for name in _PAGE_ACTIONS}
    links["self"] = contact.get_absolute_url()
    links["list"] = url_to("contacts:list")
    links["interests"] = url_to("contacts:interests")
    links["interest_suggest"] = url_to("contacts:interest_suggest")
    return links


def contact_interests(*, contact: Contact) -> dict:
    """The person's interests for their page (their own first, then by name, capped), how many
    are not shown, and the shared ones ("You both love…"): one statement."""
    rows, total = _capped(_INTERESTS_SQL, [contact.pk], MAX_SHOWN_INTERESTS)
    interests = [
        {
            "pk": pk,
            "name": name,
            "mine": mine,
            "remove_url": url_to("contacts:interest_remove", contact.pk, pk),
        }
        for pk, name, mine in rows
    ]
    return {
        "interests": interests,
        "interests_not_shown": total - len(interests),
        "shared_interests": [interest for interest in interests if interest["mine"]],
    }


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _capped(sql: str, params: list, limit: int) -> tuple[list[tuple], int]:
    """The first ``limit`` rows of ``sql`` (whose last column is COUNT(*) OVER ()) and the total."""
    rows = _rows(sql, [*params, limit])
    return [row[:-1] for row in rows], rows[0][-1] if rows else 0


_q = connection.ops.quote_name
_CONTACT = _q(Contact._meta.db_table)
_INTEREST = _q(Interest._meta.db_table)
# The person's own rows (by contact id: the contact was fetched as the owner's), as the models'
# orderings sort them.
_INTERESTS_SQL = (
    f"SELECT i.id, i.name, i.mine, COUNT(*) OVER () FROM {_INTEREST} i "
    f"JOIN {_q(Contact.interests.through._meta.db_table)} l ON l.interest_id = i.id "
    "WHERE l.contact_id = %s ORDER BY i.mine DESC, i.folded_name, i.id LIMIT %s"
)
_METHODS_SQL = (
    "SELECT kind, label, value, COUNT(*) OVER () "
    f"FROM {_q(ContactMethod._meta.db_table)} WHERE contact_id = %s "
    "ORDER BY kind, position, id LIMIT %s"
)
_DATES_SQL = (
    "SELECT kind, label, month, day, year, COUNT(*) OVER () "
    f"FROM {_q(ImportantDate._meta.db_table)} WHERE contact_id = %s "
    "ORDER BY month, day, id LIMIT %s"
)
# Who introduced them (flag 1) and the first 20 active people they introduced (flag 0). Not
# "owner_id = " in the second part: SQLite then walked the (owner, sort_name) index, all of the
# owner's people (38 ms at 10,000), instead of the few by introduced_by_id.
_INTRODUCED_SQL = (
    f"SELECT id, name, 1 FROM {_CONTACT} WHERE id = %s AND owner_id = %s "
    "UNION ALL SELECT * FROM ("
    f"SELECT id, name, 0 FROM {_CONTACT} WHERE introduced_by_id = %s "
    "AND archived = %s ORDER BY sort_name, id LIMIT 20) people"
)
_METHOD_KINDS = dict(ContactMethod.Kind.choices)
_DATE_KINDS = dict(ImportantDate.Kind.choices)


def _method(kind: str, label: str, value: str) -> dict:
    method = ContactMethod(kind=kind, value=value)
    return {
        "kind": kind,
        "kind_label": _METHOD_KINDS.get(kind, kind),
        "label": label,
        "value": value,
        "href": method.href,
    }


def _date(kind: str, label: str, month: int, day: int, year: int | None, *, today: dt.date):
    date = ImportantDate(kind=kind, label=label, month=month, day=day, year=year)
    return date, date.next_occurrence(today)


def _person(pk: int, name: str, introducer: int) -> dict:
    return {"pk": pk, "name": name, "url": url_to("contacts:detail", pk)}


def contacts_due_capped(*, owner: User, today: dt.date, limit: int) -> CappedList:
    """``contacts_due``'s first ``limit`` people (with ``overdue_days`` and ``overdue_ratio``)
    and how many are due: ``due_and_soon`` without the people coming due soon."""
    return due_and_soon(owner=owner, today=today, limit=limit)[0]


def due_and_soon(
    *,
    owner: User,
    today: dt.date,
    limit: int,
    soon_until: dt.date | None = None,
    soon_limit: int = 0,
    due_total: int | None = None,
) -> tuple[CappedList, list[SoonPerson]]:
    """The first ``limit`` of ``contacts_due`` and how many are due (``due_total`` when the
    caller counted them already), and, when someone is due, the first ``soon_limit`` active
    people not due yet who will be by ``soon_until``, soonest first (as SoonPerson: what the
    meetups read). Two queries (one when nobody is due): the ranking, then the rows of the
    people it names.

    The ranking reads only the ``contact_owner_due`` index, in one raw statement with the count
    and the ids of who comes due soon beside it (each computed once); the few people shown are
    then read whole by id. Through ``contacts_due``'s queryset SQLite read every due person's row
    to rank them and again to count them (1,670 rows twice at 10,000 contacts: 14 ms of SQL for
    five names, issue 21)."""
    soon = soon_limit if soon_until is not None else 0
    sql, params = _due_ranking_sql(
        owner.pk, today, limit, count=due_total is None, soon=soon, soon_until=soon_until
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ranked = cursor.fetchall()
    if not ranked:
        return CappedList(items=[], total=0), []
    if due_total is None:
        due_total = ranked[0][3]
    soon_ids = _ids(ranked[0][-1]) if soon else []
    ids = [row[0] for row in ranked]
    by_id, soon_by_id = _people_with_circles(owner.pk, ids, soon_ids)
    items = []
    for row in ranked:
        contact = by_id[row[0]]
        contact.overdue_days, contact.overdue_ratio = row[1], row[2]
        items.append(contact)
    total = due_total if len(items) == limit else len(items)
    return CappedList(items=items, total=total), [soon_by_id[pk] for pk in soon_ids]


@dataclass(eq=False)
class SoonPerson:
    """Someone who comes due soon, with what the meetups read of them (reminders.meetups: their
    city, and for a card their name, avatar, link and day): thirty full Contact instances cost
    more than the rest of the due section's reads (issue 21). The Contact's own rules apply."""

    pk: int
    owner_id: int
    name: str
    city: str
    photo: str
    next_reach_out_on: dt.date | None

    def get_absolute_url(self) -> str:
        return Contact.get_absolute_url(self)  # type: ignore[arg-type]  # reads pk only


_SOON_FIELDS = [field.name for field in fields(SoonPerson)]
_SOON_COLUMNS = ["id" if name == "pk" else name for name in _SOON_FIELDS]


def _people_with_circles(
    owner_id: int, ids: list[int], soon_ids: list[int]
) -> tuple[dict[int, Contact], dict[int, SoonPerson]]:
    """The owner's people of ``ids`` by id, each with its circle, as
    ``select_related("circle")`` loads them, and those of ``soon_ids`` as SoonPerson: one raw
    statement (network_crm/rows.py; the ORM spent ~0.8 ms of Python building it for a few
    dozen people, issue 21). Unordered: with the model's ordering (sort_name) beside
    "owner_id =", SQLite walked the (owner, sort_name) index, every contact of the owner (3 ms
    at 10,000), to find these few."""
    wanted = ids + soon_ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(Contact, 'c')}, {columns(Circle, 'ci')} FROM {_CONTACT} c "
            f"LEFT JOIN {_CIRCLE} ci ON ci.id = c.circle_id "
            f"WHERE c.owner_id = %s AND c.id IN ({', '.join(['%s'] * len(wanted))})",
            [owner_id, *wanted],
        )
        rows = cursor.fetchall()
    circle_at = width(Contact)
    circles: dict[int, Circle] = {}  # a few circles for dozens of people: each loaded once
    people = {}
    soon = {}
    shown = set(ids)
    for row in rows:
        if row[0] not in shown:  # the id, the first column
            person = SoonPerson(*pick(Contact, row, _SOON_COLUMNS))
            soon[person.pk] = person
            continue
        contact = load(Contact, row)
        circle_id = row[circle_at]
        if circle_id is None:
            contact.circle = None
        else:
            if circle_id not in circles:
                circles[circle_id] = load(Circle, row, circle_at)
            contact.circle = circles[circle_id]
        people[contact.pk] = contact
    return people, soon


def _ids(listed: str | list[int] | None) -> list[int]:
    """The ids a ranking's soon column lists: "3,1,2" on SQLite, an array on PostgreSQL."""
    if not listed:
        return []
    if isinstance(listed, str):
        return [int(pk) for pk in listed.split(",")]
    return list(listed)


_CIRCLE = _q(Circle._meta.db_table)
_ACTIVE_OWNED = "c.owner_id = %s AND c.archived = %s AND c.paused = %s"
# Who comes due after today and by a day, soonest first (``reminders.meetups.soon_candidates``'
# rule): the index's own order.
_SOON_SQL = (
    f"SELECT c.id, c.next_reach_out_on, c.sort_name FROM {_CONTACT} c WHERE {_ACTIVE_OWNED} "
    "AND c.next_reach_out_on > %s AND c.next_reach_out_on <= %s "
    "ORDER BY c.next_reach_out_on, c.sort_name, c.id LIMIT %s"
)


def _due_ranking_sql(
    owner_id: int,
    today: dt.date,
    limit: int,
    *,
    count: bool,
    soon: int,
    soon_until: dt.date | None,
) -> tuple[str, list]:
    """``contacts_due``'s order, as its ORM expressions write it on each database (the circle's
    rhythm by a join instead of a subquery: the same value), from the ``contact_owner_due``
    index: (id, overdue days, overdue ratio[, how many are due][, who comes due soon])."""
    if connection.vendor == "sqlite":
        days = "CAST(julianday(%s) - julianday(c.next_reach_out_on) AS INTEGER)"
        ratio = f"CAST({days} AS real) / CAST(COALESCE(c.cadence_days, ci.cadence_days, 1) AS real)"
        # group_concat takes the LIMITed subquery's rows in its order (SQLite 3.40 has no
        # ORDER BY inside an aggregate).
        soon_list = "group_concat(s.id)"
    else:
        days = "(%s - c.next_reach_out_on)"
        ratio = (
            f"({days})::double precision"
            " / (COALESCE(c.cadence_days, ci.cadence_days, 1))::double precision"
        )
        soon_list = "array_agg(s.id ORDER BY s.next_reach_out_on, s.sort_name, s.id)"
    due = f"{_ACTIVE_OWNED} AND c.next_reach_out_on <= %s"
    where = [owner_id, False, False, today]
    extra = ""
    params: list = [today, today]
    if count:
        extra += f", (SELECT COUNT(*) FROM {_CONTACT} c WHERE {due})"
        params += where
    if soon:
        extra += f", (SELECT {soon_list} FROM ({_SOON_SQL}) s)"
        params += [*where[:3], today, soon_until, soon]
    sql = (
        f"SELECT c.id, {days}, {ratio}{extra} FROM {_CONTACT} c "
        f"LEFT JOIN {_CIRCLE} ci ON ci.id = c.circle_id WHERE {due} "
        "ORDER BY 3 DESC, c.next_reach_out_on, c.sort_name, c.id LIMIT %s"
    )
    return sql, [*params, *where, limit]


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
    indexed = any(len(word) >= INDEXED_WORD_LENGTH for word in search_words(filters.query))
    # The search's id lists (one per indexed word) already hold only the owner's people;
    # the owner test stays, written so SQLite can't answer it from an (owner, ...) index:
    # it would walk every contact of the owner in list order and look each up in the lists,
    # reading 100,000 rows to show the few that match (docs/decisions/0012-search-index.md).
    contacts = _filtered(owner=owner, filters=filters, today=today, by_owner_index=not indexed)
    contacts = contacts_matching(contacts, owner=owner, query=filters.query)
    return contacts.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def _filtered(
    *, owner: User, filters: ContactFilters, today: dt.date, by_owner_index: bool
) -> QuerySet[Contact]:
    """The owner's contacts that pass ``filters`` other than the search words, unordered.
    ``by_owner_index`` False writes the owner test so no (owner, ...) index can answer it
    (``_owned_by``): for queries that an id list should lead."""
    if by_owner_index:
        contacts = Contact.objects.filter(owner=owner)
    else:
        contacts = Contact.objects.filter(_owned_by(owner))
    contacts = contacts.select_related("circle")
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
    return contacts


# The owner's most recent bulk change (BulkChange's ordering), without its payload: that holds
# the previous values of every person it changed, and only the last change can be undone.
_LAST_BULK_CHANGE_SQL = (
    f"SELECT id, description, undone_at FROM {_q(BulkChange._meta.db_table)} "
    "WHERE owner_id = %s ORDER BY created_at DESC, id DESC LIMIT 1"
)


def bulk_change_undoable(*, owner: User) -> dict | None:
    """The list's "Undo" bar: the most recent bulk change (``pk``, ``description``) if it has
    not been undone yet, else None. One statement, no model."""
    rows = _rows(_LAST_BULK_CHANGE_SQL, [owner.pk])
    if not rows or rows[0][2] is not None:
        return None
    return {"pk": rows[0][0], "description": rows[0][1]}


# Trigram indexes (SQLite: an FTS5 table with the trigram tokenizer, PostgreSQL: pg_trgm GIN
# indexes; migrations 0018 and 0023, docs/decisions/0012-search-index.md) find a word at least this
# long without reading every row. A shorter word can't use them: it is tested row by row.
INDEXED_WORD_LENGTH = 3
# SQLite: one FTS5 trigram row per person (rowid = contact id) holding their own text, their ways
# to reach and their interests' names, one per line; kept in step by triggers (migration 0023).
_PERSON_FTS = "contacts_person_fts"
# The row of a person with more than 200 ways to reach or interests (stored before the limits)
# holds only their own text and this flag (migration 0023's FLAG): such people are candidates for
# every search.
PERSON_FLAG = "'''"


def _owned_by(owner: User) -> Exact:
    """``owner_id = owner`` as an expression no index on ``owner`` can serve (``owner_id + 0``):
    where a search's id list should lead the query, not a walk through the owner's rows."""
    return Exact(F("owner_id") + 0, owner.pk)


def _people_with_words(words: list[str]) -> RawSQL:
    """SQLite: ids of the people (of every owner) whose searchable text may contain every one of
    ``words`` (each INDEXED_WORD_LENGTH or longer), from the per-person FTS table: one MATCH, which
    FTS5 answers by intersecting the words' postings, without reading any contact. A superset
    (a word is looked for in each line of a person's text, case folded by the tokenizer too; and
    the flagged people, whose rows hold only their own text): callers test the owner and every
    word exactly (``_word_scan``) on the rows it returns."""
    return RawSQL(  # noqa: S611
        f"SELECT rowid FROM {_PERSON_FTS} WHERE {_PERSON_FTS} MATCH %s", [_person_match(words)]
    )


def _person_match(words: list[str]) -> str:
    """The FTS5 query of ``_people_with_words``: every word (each a phrase), or the flag."""
    words_match = " AND ".join('"' + word.replace('"', '""') + '"' for word in words)
    return f'({words_match}) OR "{PERSON_FLAG}"'


def _led_by_person_index(contacts: QuerySet[Contact], words: list[str]) -> QuerySet[Contact]:
    """SQLite: ``contacts`` joined to the per-person FTS rows that may hold every one of ``words``
    (``_people_with_words``' superset), the FTS table leading: SQLite reads its matches one by
    one, so a LIMIT stops the read at the cap. ``id IN (MATCH)`` made it list every candidate
    first: 13,884 ids for "mar" at 100,000 people, the count 1.4 -> 3.2 ms from 10,000, now
    1.4 ms at both (decision 0012, "The count reads the index's matches as it goes")."""
    # extra(): the ORM has no join to a table without a model; the MATCH is a parameter. Its
    # raw ``"contacts_contact".id`` names the outer table: run the result as it is, never as a
    # subquery (``pk__in=``, where Django renames the inner table but not this text) or
    # combined with another such queryset (the FTS table twice).
    return contacts.extra(  # noqa: S610
        tables=[_PERSON_FTS],
        where=[f"{_PERSON_FTS}.rowid = {_CONTACT}.id", f"{_PERSON_FTS} MATCH %s"],
        params=[_person_match(words)],
    )


def _word_candidates(*, owner: User, word: str) -> QuerySet:
    """PostgreSQL: ids of the owner's contacts matching ``word`` (at least INDEXED_WORD_LENGTH
    long) in their own text, a way to reach them or an interest's name, each part found through
    its trigram index."""
    # The owner test written so no (owner, ...) index can answer it: the text's index leads
    # (PostgreSQL would otherwise walk all the owner's rows through the owner index).
    own = Contact.objects.filter(_owned_by(owner), search_text__contains=word)
    methods = ContactMethod.objects.filter(_owned_by(owner), folded_value__contains=word)
    # An owner has at most MAX_INTERESTS_PER_OWNER interests: scanning their names is bounded.
    interests = Contact.interests.through.objects.filter(
        interest__owner=owner, interest__folded_name__contains=word
    )
    return own.values("pk").union(
        interests.values("contact_id"), methods.values("contact_id"), all=True
    )


def _word_scan(*, word: str) -> Q:
    """``word`` (shorter than INDEXED_WORD_LENGTH) tested on each contact the rest selects: its
    own text, else its own interests and ways to reach (EXISTS on the contact's rows). Per row,
    not as IN lists of every matching interest link and way to reach: those lists read all the
    owner's ways to reach, whereas the rows tested here are the few candidates of a longer word,
    or the rows a short-words-only search walks until its page and its capped count are full."""
    # The contact is the owner's, and so are its links and ways to reach: no owner test, which
    # would have SQLite walk the owner's rows instead of the contact's.
    return (
        Q(search_text__contains=word)
        | Exists(
            Contact.interests.through.objects.filter(
                contact_id=OuterRef("pk"), interest__folded_name__contains=word
            )
        )
        | Exists(
            ContactMethod.objects.filter(contact_id=OuterRef("pk"), folded_value__contains=word)
        )
    )


def _contains(model, field: str, alias: str) -> str:
    """``alias.column LIKE %s`` as the ORM writes ``field__contains`` on this database (its cast
    of the column, its ESCAPE clause)."""
    model_field = model._meta.get_field(field)
    column = connection.ops.lookup_cast("contains", model_field.get_internal_type()) % (
        f"{alias}.{_q(model_field.column)}"
    )
    return f"{column} {connection.operators['contains']}"


@functools.cache
def _short_words_count_sql(vendor: str, words: int) -> str:
    """The capped count of a search of ``words`` short words with no other filter:
    the statement ``SearchPaginator`` had the ORM build from ``contacts_search`` on every request
    (about 1.5 ms of Python for a few ms of SQL, issue 21), written once per process. Each word
    is ``_word_scan``'s test, in its order, except that the owner's interests whose names hold
    the word are listed once (at most MAX_INTERESTS_PER_OWNER), so each person walked is one
    probe of their links, not a read of each linked interest (a quarter of the count at 100,000
    people: bench/NOTES.md, "Issue 21, fourth pass"); the parameters are the owner,
    ``archived`` (False), each word's LIKE pattern, the owner and the pattern twice more, and the
    limit."""
    links, methods = Contact.interests.through, ContactMethod
    elsewhere = (
        f"EXISTS(SELECT 1 FROM {_q(links._meta.db_table)} l"
        f" WHERE l.contact_id = c.id AND l.interest_id IN (SELECT i.id FROM {_INTEREST} i"
        f" WHERE i.owner_id = %s AND {_contains(Interest, 'folded_name', 'i')}) LIMIT 1)"
        f" OR EXISTS(SELECT 1 FROM {_q(methods._meta.db_table)} m"
        f" WHERE m.contact_id = c.id AND {_contains(ContactMethod, 'folded_value', 'm')} LIMIT 1)"
    )
    if vendor == "sqlite":
        # The person's search index row (migration 0023) holds their own text, ways to reach and
        # interests' names one per line: one probe by id tests them all, the same LIKE on each
        # piece since a folded word holds no newline. A flagged row holds only the own text: then
        # the probes above. Per person walked, one read instead of two index probes (the count
        # at 100,000 people 3.7 -> 1.5 ms, as at 10,000: decision 0012, last section).
        elsewhere = (
            f"EXISTS(SELECT 1 FROM {_PERSON_FTS}_content f WHERE f.id = c.id"
            f" AND (f.c1 LIKE %s ESCAPE '\\' OR (f.c0 <> '' AND ({elsewhere}))))"
        )
    scan = f"({_contains(Contact, 'search_text', 'c')} OR {elsewhere})"
    tested = " AND ".join([scan] * words)
    # In id order, not the list's name order: the count's order changes nothing (past the cap it
    # reads "1,000+", and the pages are read apart), and the owner's people in id order meet the
    # matches at their overall rate, whereas the alphabetically first thousands are a few
    # surnames whose rate differs with the size of the book ("an" at 100,000 people walked 1.2x
    # the people it walks at 10,000; decision 0012, "The count reads the index's matches as it
    # goes"). SQLite's owner index holds the ids in that order: no sort. PostgreSQL's holds them
    # in no order, and walks the name index as fast at both sizes (bench/results.md).
    order = "c.id" if vendor == "sqlite" else "c.sort_name ASC, c.id ASC"
    return (
        f"SELECT COUNT(*) FROM (SELECT c.id FROM {_CONTACT} c"
        f" WHERE c.owner_id = %s AND c.archived = %s AND {tested}"
        f" ORDER BY {order} LIMIT %s) counted"
    )


def _short_words_count(*, owner: User, words: list[str], limit: int) -> int:
    """How many of the owner's active contacts match every one of ``words`` (each shorter than
    INDEXED_WORD_LENGTH), counted up to ``limit``: ``contacts_search``'s count for such a
    search without other filters."""
    params = _short_words_count_params(owner=owner, words=words, limit=limit)
    return _rows(_short_words_count_sql(connection.vendor, len(words)), params)[0][0]


def _short_words_count_params(*, owner: User, words: list[str], limit: int) -> list:
    """The parameters of ``_short_words_count_sql``, in its order."""
    sqlite = connection.vendor == "sqlite"
    params: list = [owner.pk, False]
    for word in words:
        like = f"%{connection.ops.prep_for_like_query(word)}%"
        params += [like, like, owner.pk, like, like] if sqlite else [like, owner.pk, like, like]
    params.append(limit)
    return params


def search_words(query: str, *, max_words: int | None = None) -> list[str]:
    """The folded words of ``query`` that search matches, each anywhere in a word."""
    return fold(query).split()[:max_words]


def search_is_capped(query: str) -> bool:
    """True when no word of ``query`` can use the index (all shorter than INDEXED_WORD_LENGTH):
    such a search scans the owner's contacts (the list says so when it caps the count)."""
    words = search_words(query)
    return bool(words) and all(len(word) < INDEXED_WORD_LENGTH for word in words)


# A search counts its matches only this far: past it, the count (and, on SQLite, the sort of
# every match) would read every match, and a common fragment ("mar") matches one person in
# eight. The list shows "1,000+" and pages through these first.
SEARCH_COUNT_CAP = 1000
# Past the cap, the first pages in name order are found by walking the owner's people in that
# order (the plain list's index) and testing each: this many rows of matches at most, so the
# walk stays short even where matches are sparse; deeper pages sort the matches.
WALK_MATCHES = 200


class SearchPaginator(Paginator):
    """The contact list's paginator. Without search words: the exact count. A search counts its
    matches up to SEARCH_COUNT_CAP and pages through those ("1,000+ matches").

    On SQLite, a search with an indexed word (given ``owner``, ``filters`` and ``today``, those
    of ``object_list``, the queryset of ``contacts_search``) is counted through its words'
    candidates (``_people_with_words``: the people whose index row holds every indexed word)
    with every word tested on each candidate, in no order, so the count stops at the cap's next match; it keeps the ids it found. When no more than the
    cap match, the page is read from those ids. Past the cap, the first pages in name order walk
    the owner's people in that order and test each, stopping once the page is full
    (``WALK_MATCHES``); deeper pages and other orders read ``object_list``. A search of short
    words only with no other filter, in name order, is counted by ``_short_words_count`` (the
    same statement, written once per process). Neither materialises
    nor sorts every match of a common word, and every page holds the same people in the same
    order as ``object_list``."""

    def __init__(
        self,
        object_list,
        per_page,
        *,
        query: str,
        owner: User | None = None,
        filters: ContactFilters | None = None,
        today: dt.date | None = None,
    ) -> None:
        # ``object_list`` None: ``contacts_search``'s queryset, built only if a page needs it.
        self._object_list = object_list
        super().__init__(object_list, per_page)
        words = search_words(query)
        self.capped = bool(words)
        self.short_words = search_is_capped(query)
        self._words = words
        self._owner, self._filters, self._today = owner, filters, today
        # SQLite only (FTS5); PostgreSQL's trigram indexes serve ``object_list`` as it is.
        indexed = (
            [word for word in words if len(word) >= INDEXED_WORD_LENGTH]
            if owner is not None and filters is not None and connection.vendor == "sqlite"
            else []
        )
        # The count starts from the people whose index row holds every indexed word (one FTS5
        # MATCH: it intersects the words' postings, 0.3 ms for "mar son" at 100,000 people);
        # every word is still tested on each row.
        self._indexed = list(dict.fromkeys(indexed))
        self._ids: list[int] | None = None
        self._by_name: list[int] = []

    @classmethod
    def for_search(
        cls, *, owner: User, filters: ContactFilters, today: dt.date, per_page: int
    ) -> SearchPaginator:
        """The contact list's search, paged."""
        return cls(None, per_page, query=filters.query, owner=owner, filters=filters, today=today)

    @property
    def object_list(self):
        if self._object_list is None:
            self._object_list = contacts_search(
                owner=self._owner, filters=self._filters, today=self._today
            )
        return self._object_list

    @object_list.setter
    def object_list(self, value) -> None:
        self._object_list = value

    def _check_object_list_is_ordered(self) -> None:
        if self._object_list is not None:  # contacts_search's own is ordered
            super()._check_object_list_is_ordered()

    def _tested(self, *, by_owner_index: bool) -> QuerySet[Contact]:
        """The owner's contacts passing the filters, every search word tested on each row."""
        contacts = _filtered(
            owner=self._owner,
            filters=self._filters,
            today=self._today,
            by_owner_index=by_owner_index,
        )
        for word in self._words:
            contacts = contacts.filter(_word_scan(word=word))
        return contacts

    @cached_property
    def _counted(self) -> int:
        if not self.capped:
            return self.object_list.count()
        if not self._indexed:
            # SELECT COUNT(*) FROM (... LIMIT cap + 1): stops at the cap's next match.
            if self._plain_short_search:
                return _short_words_count(
                    owner=self._owner, words=self._words, limit=SEARCH_COUNT_CAP + 1
                )
            return self.object_list[: SEARCH_COUNT_CAP + 1].count()
        contacts = _led_by_person_index(self._tested(by_owner_index=False), self._indexed)
        # No order: the loop stops at the cap's next match instead of sorting every match.
        found = list(contacts.order_by().values_list("sort_name", "pk")[: SEARCH_COUNT_CAP + 1])
        # The name order of the matches, from the rows the count read anyway: the page then
        # reads its own rows only, not every match's to sort them (501 rows for "mar son" at
        # 100,000 people). SQLite compares text by its UTF-8 bytes, Python by code points:
        # the same order; ties by id, as the list's order. Past the cap neither list is read.
        if len(found) <= SEARCH_COUNT_CAP:
            found.sort()
        self._ids = self._by_name = [pk for _name, pk in found]
        return len(self._ids)

    @property
    def _plain_short_search(self) -> bool:
        """Short words only, no other filter, name order: the list's common search, counted by
        one statement written once per process (``_short_words_count``)."""
        filters = self._filters
        return (
            self.short_words
            and self._object_list is None
            and self._owner is not None
            and filters is not None
            and filters.sort == "name"
            and not (filters.status or filters.circle_id or filters.interest_id)
        )

    @property
    def more(self) -> bool:
        """More matches than counted: ``count`` is SEARCH_COUNT_CAP and only those are paged."""
        return self.capped and self._counted > SEARCH_COUNT_CAP

    @cached_property
    def count(self) -> int:
        return min(self._counted, SEARCH_COUNT_CAP) if self.capped else self._counted

    @property
    def cap_shown(self) -> str:
        return f"{SEARCH_COUNT_CAP:,}"

    @property
    def count_shown(self) -> str:
        """The count as the page writes it: "1,000+" past the cap."""
        return f"{self.count:,}+" if self.more else str(self.count)

    def page(self, number):
        """Django's ``Paginator.page``, the rows read as ``_rows`` says."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int):
        sort = SORTS.get(self._filters.sort, SORTS["name"])
        if self._ids is not None and not self.more:
            # Every match's id is known (at most the cap): sort those, not the candidates; in
            # name order, the page's ids are known too.
            if sort == SORTS["name"]:
                contacts = Contact.objects.filter(
                    _owned_by(self._owner), pk__in=self._by_name[bottom:top]
                )
                return contacts.select_related("circle").order_by(*sort)
            contacts = Contact.objects.filter(_owned_by(self._owner), pk__in=self._ids)
            return contacts.select_related("circle").order_by(*sort)[bottom:top]
        filters = self._filters
        if (
            self.more
            and filters.sort == "name"
            and not (filters.status or filters.circle_id or filters.interest_id)
            and top <= WALK_MATCHES
        ):
            # More than the cap match among the owner's people (with an indexed word or only
            # short ones): walking them in name order (the plain list's index) fills the page
            # after a few rows per match, instead of sorting every match.
            walk = self._tested(by_owner_index=True)
            return walk.order_by(*sort)[bottom:top]
        return self.object_list[bottom:top]


def contacts_matching(
    contacts: QuerySet[Contact], *, owner: User, query: str, max_words: int | None = None
) -> QuerySet[Contact]:
    """``contacts`` narrowed to those matching every word of ``query`` (folded) in their own
    text, a way to reach them or an interest's name: the list's search and the admin's.

    A word of INDEXED_WORD_LENGTH or more characters is looked up in the trigram indexes (one
    ``id IN (own text ∪ interests ∪ ways to reach)`` per word); a shorter one is tested on the
    rows the longer words (or the other filters) leave. Same matches either way: exactly the
    ``LIKE '%word%'`` of the folded columns."""
    words = search_words(query, max_words=max_words)
    indexed = [word for word in words if len(word) >= INDEXED_WORD_LENGTH]
    if connection.vendor == "sqlite":
        # The people whose text holds every indexed word (one FTS5 MATCH), each word then
        # tested exactly on those rows: the same matches as LIKE.
        if indexed:
            contacts = contacts.filter(pk__in=_people_with_words(list(dict.fromkeys(indexed))))
        for word in words:
            contacts = contacts.filter(_word_scan(word=word))
        return contacts
    for word in indexed:
        contacts = contacts.filter(pk__in=_word_candidates(owner=owner, word=word))
    for word in words:
        if len(word) < INDEXED_WORD_LENGTH:
            contacts = contacts.filter(_word_scan(word=word))
    return contacts


# --- Interests: "who would enjoy this?" ----------------------------------------------------------

PEOPLE_PER_INTEREST = 5
# Above this many people, an interest's first few are found by walking the owner's people from the
# most recently seen down (5 × people ÷ sharers index probes: about 100 for an interest one
# person in twenty shares); at or below it, by sorting just the people who share it.
WALK_FROM = 200


@dataclass(frozen=True, slots=True)
class InterestCount:
    """One of the owner's interests as the interests page shows it: ``people_count`` is how many
    active (not archived) people share it."""

    pk: int
    name: str
    folded_name: str
    mine: bool
    people_count: int


@dataclass(frozen=True, slots=True)
class PersonLink:
    """A person named on the interests page: a link to their page."""

    pk: int
    name: str
    href: str


@dataclass(frozen=True)
class InterestPeople:
    interest: InterestCount
    people: list[PersonLink]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.people)


def interests_with_people(
    *, owner: User, interests: list[InterestCount], per_interest: int = PEOPLE_PER_INTEREST
) -> list[InterestPeople]:
    """For each interest (already counted, see ``interests_counted``), the few people who share
    it, most recently seen first. One statement whatever the number of people: the first
    ``per_interest`` people of every interest with what the page shows of them (see
    ``_first_people_sql``).

    (Ranking every link of the page's interests with a window function read all of them and
    grew with the data: bench/NOTES.md, "Why the queries look the way they do". Reading the
    people as models afterwards cost more Python time than the statement: issue 21.)"""
    if not interests:
        return []
    sql, params = _first_people_sql(owner=owner, interests=interests, limit=per_interest)
    people: dict[int, list[tuple]] = {}
    for interest_id, *person in _rows(sql, params):
        people.setdefault(interest_id, []).append(person)
    return [
        InterestPeople(
            interest=interest,
            people=[
                PersonLink(pk=pk, name=name, href=url_to("contacts:detail", pk))
                for pk, name, _sort_name, _seen in _most_recently_seen_first(
                    people.get(interest.pk, [])
                )
            ],
            total=interest.people_count,
        )
        for interest in interests
    ]


def _most_recently_seen_first(people: list[list]) -> list[list]:
    """``[pk, name, sort_name, last_interaction_on]`` rows in _first_people_sql's order: last
    seen first (never seen last), then by sort name and id. Two stable sorts, so that the dates
    can stay as the database hands them back (text on SQLite)."""
    people = sorted(people, key=lambda person: (person[2], person[0]))
    return sorted(people, key=lambda person: (person[3] is not None, person[3] or ""), reverse=True)


def _first_people_sql(
    *, owner: User, interests: list[InterestCount], limit: int
) -> tuple[str, list[object]]:
    """One UNION ALL of a LIMITed SELECT per interest, so each reads a bounded number of rows.

    Raw SQL because the ORM can't put LIMIT inside a UNION on SQLite, and building the same
    thing as thirty ORM subqueries cost more Python time than the whole page. The ORDER BY is
    the contact_owner_seen index's (migration 0022), so each walk stops after a few people;
    _most_recently_seen_first sorts the same way.
    """
    quote = connection.ops.quote_name
    contact = quote(Contact._meta.db_table)
    link = quote(Contact.interests.through._meta.db_table)
    order = "c.last_interaction_on DESC NULLS LAST, c.sort_name, c.id"
    shown = "c.id AS contact_id, c.name, c.sort_name, c.last_interaction_on"
    # Walk the owner's people from the most recently seen down until enough share the interest.
    walk = (
        f"SELECT CAST(%s AS INTEGER) AS interest_id, {shown} FROM {contact} c "
        f"WHERE c.owner_id = %s AND c.archived = %s AND EXISTS (SELECT 1 FROM {link} l "
        f"WHERE l.contact_id = c.id AND l.interest_id = %s) ORDER BY {order} LIMIT %s"
    )
    # Few people share it: sort just them.
    few = (
        f"SELECT l.interest_id AS interest_id, {shown} FROM {link} l "
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


# Every interest of the owner, theirs first, then by name, with how many active people share
# it: every link of the interest (a count of the link table's interest index) less the links
# of the few archived people, grouped from those. Joining every link to its contact instead
# read them all (bench/NOTES.md, "Why the queries look the way they do"), and grouping every
# link of the owner's interests sorted them all: 7 ms at 10,000 contacts against 0.7 ms for a
# count per interest (issue 21).
_LINK = _q(Contact.interests.through._meta.db_table)
_INTERESTS_COUNTED_SQL = (
    "SELECT i.id, i.name, i.folded_name, i.mine, "
    f"(SELECT COUNT(*) FROM {_LINK} l WHERE l.interest_id = i.id) - COALESCE(a.n, 0) "
    f"FROM {_INTEREST} i LEFT JOIN ("
    f"SELECT l.interest_id AS interest_id, COUNT(*) AS n FROM {_CONTACT} c "
    f"JOIN {_LINK} l ON l.contact_id = c.id WHERE c.owner_id = %s AND c.archived = %s "
    "GROUP BY l.interest_id) a ON a.interest_id = i.id "
    "WHERE i.owner_id = %s ORDER BY i.mine DESC, i.folded_name"
)


def interests_counted(*, owner: User) -> list[InterestCount]:
    """Every interest of the owner (at most MAX_INTERESTS_PER_OWNER), the user's own first, then
    by name, each with ``people_count``: how many active people share it. One statement."""
    return [
        InterestCount(
            pk=pk, name=name, folded_name=folded_name, mine=bool(mine), people_count=count
        )
        for pk, name, folded_name, mine, count in _rows(
            _INTERESTS_COUNTED_SQL, [owner.pk, True, owner.pk]
        )
    ]


def interests_for_overview(
    *, owner: User, query: str = "", counted: list[InterestCount] | None = None
) -> list[InterestCount]:
    """The owner's interests that someone shares (or that are the owner's own) and whose name
    holds every word of ``query`` (folded), in ``interests_counted``'s order; ``counted`` is
    that list if the caller has read it already."""
    if counted is None:
        counted = interests_counted(owner=owner)
    words = fold(query).split()
    return [
        interest
        for interest in counted
        if (interest.people_count or interest.mine)
        and all(word in interest.folded_name for word in words)
    ]


# --- The admin's city filter ---------------------------------------------------------------------

# One range of the (owner, city) index, counted (city > '' rather than city <> '': the same rows,
# an empty city sorting first, read as a range instead of tested one by one); a raw statement
# because building the ORM's GROUP BY cost as much as running it (bench/NOTES.md, issue 21).
_COMMON_CITIES_SQL = (
    f"SELECT city, COUNT(*) FROM {_CONTACT} WHERE owner_id = %s AND city > '' "
    "GROUP BY city ORDER BY 2 DESC, city LIMIT %s"
)


def common_cities(*, owner: User, limit: int) -> list[str]:
    """The owner's ``limit`` most common cities (as written; the most people first, then by
    name), leaving out people with no city."""
    return [city for city, _people in _rows(_COMMON_CITIES_SQL, [owner.pk, limit])]
