"""Meetups instead of nudges: the dashboard's due section offers one dinner with three people who
live in the same city (or one coffee with people who share an interest) in place of three
separate nudges.

Reads only (the writes are in ``reminders.meetups_services``). A fixed number of queries whatever
the number of contacts: the capped due list the dashboard already has, a LIMITed read of who
comes due in the next ``SOON_DAYS`` days, a LIMITed read of those people's interests, and, only
when a group forms, the dismissals of the groups found.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection

from contacts.models import Contact, Interest
from contacts.selectors import CappedList, SoonPerson
from interactions.models import Interaction
from network_crm.text import fold
from reminders.models import MeetupDismissal

if TYPE_CHECKING:
    from accounts.models import User

SOON_DAYS = 7  # people due within a week may join someone due today
SOON_LIMIT = 30  # at most this many of them are read
INTEREST_ROWS_LIMIT = 500  # at most this many (person, interest) rows are read
MAX_CARDS = 2
MAX_PEOPLE = 6  # a bigger group keeps its most overdue six; the rest stay single nudges
MAX_NAMES = 4  # "Ana, Ben, Chloé, Dev and 2 others"
DISMISS_DAYS = 7

CITY = "city"
INTEREST = "interest"
# What "Log it" offers, the card's own suggestion first.
KINDS = [
    Interaction.Kind.MEAL,
    Interaction.Kind.COFFEE,
    Interaction.Kind.EVENT,
    Interaction.Kind.VIDEO_CALL,
    Interaction.Kind.CALL,
    Interaction.Kind.OTHER,
]


def meetup_key(*, shares: str, value: str, contact_ids: list[int]) -> str:
    """What the group shares and who is in it, as a short fixed-length key: the same people
    around the same city or interest are the same suggestion (a "Not now" holds for it), a
    group that gains or loses someone is a new one."""
    ids = ",".join(str(pk) for pk in sorted(contact_ids))
    digest = hashlib.sha256(f"{value}\n{ids}".encode()).hexdigest()
    return f"{shares}:{digest}"


def names_text(names: list[str], *, limit: int = MAX_NAMES) -> str:
    """ "Ana and Ben", "Ana, Ben and Chloé", "Ana, Ben, Chloé, Dev and 2 others"."""
    if len(names) > limit:
        others = len(names) - limit
        return ", ".join(names[:limit]) + f" and {others} other" + ("s" if others > 1 else "")
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" and {names[-1]}"


@dataclass(frozen=True)
class Meetup:
    """One suggested get-together: who (most overdue first) and what they share."""

    shares: str  # CITY or INTEREST
    label: str  # the city as the first of them wrote it, or the interest's name
    people: list[Contact | SoonPerson]  # the due list's Contacts, then who comes due soon
    key: str
    kinds: list[tuple[str, str]] = field(default_factory=list)

    @property
    def title(self) -> str:
        names = names_text([person.name for person in self.people])
        if self.shares == CITY:
            return f"Dinner with {names} in {self.label}?"
        return f"Coffee with {names} — you all like {self.label}?"

    @property
    def kind(self) -> str:
        return Interaction.Kind.MEAL if self.shares == CITY else Interaction.Kind.COFFEE


@dataclass
class _Group:
    shares: str
    value: str  # folded
    label: str
    members: list[int] = field(default_factory=list)  # candidate positions, best first


def soon_candidates(*, owner: User, today: dt.date) -> list[Contact]:
    """People not due yet who will be within ``SOON_DAYS`` days, the soonest first (LIMITed)."""
    return list(
        Contact.objects.filter(owner=owner)
        .active()
        .filter(
            next_reach_out_on__gt=today,
            next_reach_out_on__lte=today + dt.timedelta(days=SOON_DAYS),
        )
        .select_related("circle")
        .order_by("next_reach_out_on", "sort_name", "pk")[:SOON_LIMIT]
    )


def candidate_interests(candidates: list[Contact | SoonPerson]) -> list[tuple[int, str, str, bool]]:
    """The candidates' interests as (contact id, folded name, name, mine), by folded name then
    contact: at most ``INTEREST_ROWS_LIMIT`` rows. A raw statement (the ORM's, written out: it
    took longer to build than to run); by the candidates' ids, read as the owner's."""
    if not candidates:
        return []
    marks = ", ".join(["%s"] * len(candidates))
    with connection.cursor() as cursor:
        cursor.execute(
            _INTERESTS_SQL.format(ids=marks), [*(c.pk for c in candidates), INTEREST_ROWS_LIMIT]
        )
        return [(pk, folded, name, bool(mine)) for pk, folded, name, mine in cursor.fetchall()]


_INTERESTS_SQL = (
    "SELECT l.contact_id, i.folded_name, i.name, i.mine "
    f"FROM {connection.ops.quote_name(Contact.interests.through._meta.db_table)} l "
    f"JOIN {connection.ops.quote_name(Interest._meta.db_table)} i ON i.id = l.interest_id "
    "WHERE l.contact_id IN ({ids}) ORDER BY i.folded_name, l.contact_id LIMIT %s"
)


def _groups(candidates: list[Contact | SoonPerson], interests: list[tuple]) -> list[_Group]:
    groups: dict[tuple[str, str], _Group] = {}
    for position, contact in enumerate(candidates):
        city = fold(contact.city)
        if city:
            group = groups.setdefault((CITY, city), _Group(CITY, city, contact.city.strip()))
            group.members.append(position)
    position_of = {contact.pk: position for position, contact in enumerate(candidates)}
    for contact_id, folded, name, _mine in interests:
        group = groups.setdefault((INTEREST, folded), _Group(INTEREST, folded, name))
        group.members.append(position_of[contact_id])
    for group in groups.values():
        group.members = sorted(group.members)[:MAX_PEOPLE]
    return list(groups.values())


def _dismissed(*, owner_id: int, keys: set[str], today: dt.date) -> set[str]:
    """Which of ``keys`` the owner dismissed until after ``today``: a raw statement (the ORM's,
    written out: it took longer to build than to run, issue 21)."""
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(_DISMISSED_SQL.format(keys=marks), [owner_id, *sorted(keys), today])
        return {key for (key,) in cursor.fetchall()}


_q = connection.ops.quote_name
_DISMISSED_SQL = (
    f"SELECT d.{_q('key')} FROM {_q(MeetupDismissal._meta.db_table)} d "
    f"WHERE d.owner_id = %s AND d.{_q('key')} IN ({{keys}}) AND d.{_q('until')} > %s"
)


def due_with_meetups(*, owner: User, today: dt.date, due: CappedList) -> dict:
    """The due section: at most ``MAX_CARDS`` meetups, and the single nudges left.

    A group is two or more people (at most ``MAX_PEOPLE``) sharing a city (folded, non-empty)
    or an interest, among the due list shown and who comes due within a week; at least one of
    them is due today. Groups containing the most overdue person come first (then bigger
    groups, a city before an interest); no one is in two cards; a group dismissed with "Not
    now" is left out until its dismissal ends. ``due.items`` is ordered most overdue first.
    """
    if not due.items:
        return {"due": due, "meetups": []}
    candidates = list(due.items) + soon_candidates(owner=owner, today=today)
    return meetups_among(
        owner=owner,
        today=today,
        due=due,
        candidates=candidates,
        interests=candidate_interests(candidates),
    )


def meetups_among(
    *,
    owner: User,
    today: dt.date,
    due: CappedList,
    candidates: list[Contact | SoonPerson],
    interests: list,
) -> dict:
    """``due_with_meetups`` from what it reads: ``candidates`` (``due.items`` then
    ``soon_candidates``) and their ``candidate_interests``."""
    due_count = len(due.items)
    groups = [
        group
        for group in _groups(candidates, interests)
        if len(group.members) >= 2 and group.members[0] < due_count
    ]
    if not groups:
        return {"due": due, "meetups": []}
    groups.sort(key=lambda g: (g.members[0], -len(g.members), g.shares != CITY, g.value))
    keys = {
        id(group): meetup_key(
            shares=group.shares,
            value=group.value,
            contact_ids=[candidates[position].pk for position in group.members],
        )
        for group in groups
    }
    dismissed = _dismissed(owner_id=owner.pk, keys=set(keys.values()), today=today)
    meetups: list[Meetup] = []
    taken: set[int] = set()
    for group in groups:
        if keys[id(group)] in dismissed or taken.intersection(group.members):
            continue
        taken.update(group.members)
        people = [candidates[position] for position in group.members]
        kinds = [(kind.value, kind.label) for kind in KINDS]
        meetup = Meetup(group.shares, group.label, people, keys[id(group)], kinds)
        # The card's own kind first, so the menu's first choice is what its title suggests.
        meetup.kinds.sort(key=lambda choice: choice[0] != meetup.kind)
        meetups.append(meetup)
        if len(meetups) == MAX_CARDS:
            break
    hidden = sum(1 for position in taken if position < due_count)
    left = [contact for position, contact in enumerate(due.items) if position not in taken]
    return {"due": CappedList(items=left, total=due.total - hidden), "meetups": meetups}
