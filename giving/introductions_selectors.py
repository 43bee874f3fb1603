"""Reads about introductions and the give-and-take between you and a person
(docs/architecture.md, "Give first")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q

from contacts.models import Contact
from giving.models import Introduction, Share
from network_crm.dates import format_date
from network_crm.reversing import url_to
from network_crm.text import fold

if TYPE_CHECKING:
    from accounts.models import User

# How many introductions a person's page and the list show (newest first).
SHOWN_ON_PAGE = 5
LIST_LIMIT = 100
CANDIDATES_LIMIT = 8

State = Introduction.State
# The double opt-in, in order; "declined" can happen at any step.
STEPS = [State.IDEA, State.ASKED_A, State.ASKED_B, State.AGREED, State.INTRODUCED, State.DONE]
MADE = (State.INTRODUCED, State.DONE)


@dataclass(frozen=True)
class GiveAndTake:
    shared_given: int
    shared_received: int
    introductions_given: int  # introductions you made for them
    introductions_received: int  # people they introduced you to (contact.introduced_by)

    @property
    def is_empty(self) -> bool:
        return not (
            self.shared_given
            or self.shared_received
            or self.introductions_given
            or self.introductions_received
        )


def give_and_take(*, contact: Contact) -> GiveAndTake:
    """What went each way between the owner and ``contact``: one query, four counts."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL, _counts_params(contact))
        return GiveAndTake(*cursor.fetchone())


def give_and_take_on_page(
    *, contact: Contact, limit: int = SHOWN_ON_PAGE
) -> tuple[GiveAndTake, list[dict]]:
    """The four counts of ``give_and_take`` and the newest ``limit`` introductions ``contact``
    is part of, as rows for their page (``_introduction_row``), in one raw statement: the counts
    (scalar subqueries) on every row of the introductions, or on one row of NULLs when there are
    none. Built with the ORM (correlated subqueries annotated on the contact) the counts took
    ~6 ms of Python for SQL of 0.1 ms, and reading the introductions only when there were some
    made the page's query count depend on the person (issue 21)."""
    params = [*_counts_params(contact), contact.owner_id, contact.pk, contact.pk, limit]
    with connection.cursor() as cursor:
        cursor.execute(_ON_PAGE_SQL, params)
        rows = cursor.fetchall()
    counts = GiveAndTake(*rows[0][:4])
    return counts, [_introduction_row(contact, row[4:]) for row in rows if row[4] is not None]


def _counts_params(contact: Contact) -> list[object]:
    owner, pk = contact.owner_id, contact.pk
    return [
        owner,
        pk,
        Share.Direction.GIVEN,
        owner,
        pk,
        Share.Direction.RECEIVED,
        owner,
        *MADE,
        pk,
        pk,
        pk,
    ]


_q = connection.ops.quote_name
_SHARE, _INTRODUCTION = _q(Share._meta.db_table), _q(Introduction._meta.db_table)
_CONTACT = _q(Contact._meta.db_table)
# People they introduced you to by introduced_by_id alone (they are the owner's): with
# "owner_id = " too SQLite read all of the owner's people by an owner index (16 ms at 10,000).
_COUNTS_SQL = (
    f"SELECT (SELECT COUNT(*) FROM {_SHARE} WHERE owner_id = %s AND contact_id = %s"
    " AND direction = %s) AS given,"
    f" (SELECT COUNT(*) FROM {_SHARE} WHERE owner_id = %s AND contact_id = %s"
    " AND direction = %s) AS received,"
    f" (SELECT COUNT(*) FROM {_INTRODUCTION} WHERE owner_id = %s AND state IN (%s, %s)"
    " AND (person_a_id = %s OR person_b_id = %s)) AS made,"
    f" (SELECT COUNT(*) FROM {_CONTACT} WHERE introduced_by_id = %s) AS brought"
)
_ON_PAGE_SQL = (
    "SELECT counts.given, counts.received, counts.made, counts.brought, "
    "page.id, page.person_a_id, page.state, page.introduced_on, page.a_name, page.b_name "
    f"FROM ({_COUNTS_SQL}) counts LEFT JOIN ("
    "SELECT i.id, i.person_a_id, i.state, i.introduced_on, i.created_at, a.name AS a_name, "
    f"b.name AS b_name FROM {_INTRODUCTION} i JOIN {_CONTACT} a ON a.id = i.person_a_id "
    f"JOIN {_CONTACT} b ON b.id = i.person_b_id "
    "WHERE i.owner_id = %s AND (i.person_a_id = %s OR i.person_b_id = %s) "
    "ORDER BY i.created_at DESC, i.id DESC LIMIT %s"
    ") page ON 1 = 1 ORDER BY page.created_at DESC, page.id DESC"
)
_STATES = dict(Introduction.State.choices)


def _introduction_row(contact: Contact, row) -> dict:
    """An introduction as a person's page shows it: the link, the sentence ("Introducing Ana to
    Ben", ``contact`` named first when they are the first person), the state and its words, the
    day it was made (written out)."""
    pk, a_id, state, introduced_on, a_name, b_name = row
    return {
        "url": url_to("introductions:detail", pk),
        "text": f"Introducing {contact.name} to {b_name}"
        if a_id == contact.pk
        else f"Introducing {a_name} to {contact.name}",
        "state": state,
        "state_label": _STATES.get(state, state),
        "introduced_on": format_date(introduced_on, "long") if introduced_on else "",
    }


def _things(count: int) -> str:
    return "1 thing" if count == 1 else f"{count} things"


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def give_and_take_line(*, contact: Contact, counts: GiveAndTake) -> str:
    """The calm sentence: "You sent Ana 2 things and introduced them to 1 person · Ana
    introduced you to 4 people and sent you 1 thing." Counts only, no score; "" when empty."""
    name = contact.name
    yours = []
    if counts.shared_given:
        yours.append(f"sent {name} {_things(counts.shared_given)}")
    if counts.introductions_given:
        whom = "them" if yours else name
        yours.append(f"introduced {whom} to {_people(counts.introductions_given)}")
    theirs = []
    if counts.introductions_received:
        theirs.append(f"introduced you to {_people(counts.introductions_received)}")
    if counts.shared_received:
        theirs.append(f"sent you {_things(counts.shared_received)}")
    parts = []
    if yours:
        parts.append("You " + " and ".join(yours) + ".")
    if theirs:
        parts.append(f"{name} " + " and ".join(theirs) + ".")
    return " · ".join(parts)


def introductions_of_contact(*, contact: Contact, limit: int = SHOWN_ON_PAGE) -> list[Introduction]:
    """The introductions ``contact`` is part of (either side), newest first, at most ``limit``."""
    return list(
        Introduction.objects.filter(owner=contact.owner_id)
        .filter(Q(person_a=contact) | Q(person_b=contact))
        .select_related("person_a", "person_b")
        .order_by("-created_at", "-pk")[:limit]
    )


def introductions_list(*, owner: User, contact: Contact | None = None) -> list[Introduction]:
    """The list page: open ones first (by newest), then made, done and declined; capped."""
    rows = Introduction.objects.filter(owner=owner).select_related("person_a", "person_b")
    if contact is not None:
        rows = rows.filter(Q(person_a=contact) | Q(person_b=contact))
    return list(rows.order_by("-updated_at", "-pk")[:LIST_LIMIT])


def introduction_candidates(
    *, owner: User, query: str, exclude: Contact | None = None
) -> list[Contact]:
    """People whose name (or other searchable text) matches ``query``, for picking who to
    introduce; folded like every search, capped, nothing before something is typed."""
    words = fold(query[:100]).split()[:5]
    if not words:
        return []
    people = Contact.objects.for_owner(owner).filter(archived=False)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    for word in words:
        people = people.filter(search_text__contains=word)
    return list(people.order_by("sort_name", "pk")[:CANDIDATES_LIMIT])


@dataclass(frozen=True)
class Step:
    state: str
    label: str


def next_step(introduction: Introduction) -> Step | None:
    """The one button that moves the double opt-in on, named for the people in it."""
    a, b = introduction.person_a.name, introduction.person_b.name
    labels = {
        State.IDEA: Step(State.ASKED_A, f"I asked {a}"),
        State.ASKED_A: Step(State.ASKED_B, f"{a} said yes; I asked {b}"),
        State.ASKED_B: Step(State.AGREED, "Both agreed"),
        State.AGREED: Step(State.INTRODUCED, "I introduced them"),
    }
    return labels.get(introduction.state)


def status_text(introduction: Introduction) -> str:
    """Where the introduction stands, in words."""
    a, b = introduction.person_a.name, introduction.person_b.name
    return {
        State.IDEA: "An idea: nobody asked yet.",
        State.ASKED_A: f"Waiting to hear from {a}.",
        State.ASKED_B: f"{a} agreed; waiting to hear from {b}.",
        State.AGREED: "Both agreed: time to introduce them.",
        State.INTRODUCED: "Introduced. How did it go?",
        State.DONE: "Outcome noted.",
        State.DECLINED: "Declined: no introduction.",
    }[introduction.state]


def step_done_text(introduction: Introduction) -> str:
    """What a step's button did, said once in the page's live region (with its Undo)."""
    a, b = introduction.person_a.name, introduction.person_b.name
    return {
        State.IDEA: f"Back to an idea: introducing {a} to {b}.",
        State.ASKED_A: f"Noted: you asked {a}.",
        State.ASKED_B: f"Noted: {a} said yes, and you asked {b}.",
        State.AGREED: f"Noted: {a} and {b} both agreed.",
        State.INTRODUCED: f"Introduced {a} and {b}: logged with both of them.",
        State.DONE: "Outcome noted.",
        State.DECLINED: "Noted as declined: no introduction.",
    }[introduction.state]


def steps_of(introduction: Introduction) -> list[tuple[str, str]]:
    """The double opt-in's steps with "done", "current" or "" each, for the progress list."""
    a, b = introduction.person_a.name, introduction.person_b.name
    names = ["Idea", f"Asked {a}", f"Asked {b}", "Both agreed", "Introduced", "Outcome"]
    at = STEPS.index(introduction.state) if introduction.state in STEPS else -1
    return [
        (name, "current" if index == at else "done" if index < at else "")
        for index, name in enumerate(names)
    ]
