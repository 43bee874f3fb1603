"""Reads of planned interactions for the dashboard's Coming up, a person's page and the digest.
Each is one query for the plans plus one for their people (a person's page: one for both), bounded
by a LIMIT."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from contacts.models import Contact
from interactions.models import PlannedInteraction
from network_crm.reversing import url_to
from network_crm.rows import columns, load, width

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from accounts.models import User

# A plan whose time has passed stays in Coming up (to log or dismiss) this many days.
KEEP_PAST_DAYS = 14
COMING_UP_LIMIT = 10


def _day_start(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


def brief_url(contact_id: int) -> str:
    """The person's brief (``brief:contact``, reminders' page, reversed by name: no import up)."""
    return reverse("brief:contact", args=[contact_id])


def _with_people(plans: QuerySet[PlannedInteraction], zone: ZoneInfo) -> list[PlannedInteraction]:
    """The plans, each with ``people`` (by name), ``title``, ``local_start`` and ``local_time``
    (in the owner's zone); each person has ``brief_url``."""
    people = Contact.objects.order_by("sort_name", "pk")
    loaded = list(plans.prefetch_related(Prefetch("contacts", queryset=people, to_attr="people")))
    for plan in loaded:
        _describe(plan, zone)
    return loaded


def _describe(plan: PlannedInteraction, zone: ZoneInfo) -> None:
    """A plan's title and start in the owner's zone, from its ``people``, and the row's links
    and form actions, reversed once per process (``_plan_row.html``)."""
    for person in plan.people:
        person.brief_url = url_to("brief:contact", person.pk)
    plan.title = plan_title(plan, plan.people)
    plan.local_start = plan.starts_at.astimezone(zone)
    # Written here: the |time filter would move it to the request's zone (UTC).
    plan.local_time = f"{plan.local_start:%H:%M}"
    plan.edit_path = url_to("plans:edit", plan.pk)
    plan.log_path = url_to("plans:log", plan.pk)
    plan.dismiss_path = url_to("plans:dismiss", plan.pk)


_COMING_UP_SQL = f"""
SELECT {columns(PlannedInteraction, "p")}
FROM {connection.ops.quote_name(PlannedInteraction._meta.db_table)} p
WHERE p.owner_id = %s AND p.state = %s AND p.starts_at >= %s AND p.starts_at < %s
ORDER BY p.starts_at, p.id
LIMIT %s
"""

# {ids}: one placeholder per plan.
_PEOPLE_SQL = f"""
SELECT l.plannedinteraction_id, {columns(Contact, "c")}
FROM {connection.ops.quote_name(PlannedInteraction.contacts.through._meta.db_table)} l
INNER JOIN {connection.ops.quote_name(Contact._meta.db_table)} c ON c.id = l.contact_id
WHERE l.plannedinteraction_id IN ({{ids}})
ORDER BY c.sort_name, c.id
"""


def plans_coming_up(
    *, owner: User, today: dt.date, days: int, limit: int = COMING_UP_LIMIT
) -> list[PlannedInteraction]:
    """Planned meetings from ``KEEP_PAST_DAYS`` ago (not yet logged or dismissed) to the end of
    the owner's local day ``today + days``, soonest first, with their people: two raw statements
    loading model instances (network_crm/rows.py; the ORM spent ~2 ms of Python building the
    query and its prefetch, issue 21)."""
    zone = owner.settings.zone
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        owner.pk,
        PlannedInteraction.State.PLANNED,
        adapt(_day_start(today - dt.timedelta(days=KEEP_PAST_DAYS), zone)),
        adapt(_day_start(today + dt.timedelta(days=days + 1), zone)),
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_COMING_UP_SQL, params)
        plans = [load(PlannedInteraction, row) for row in cursor.fetchall()]
        if not plans:
            return []
        # The people of the owner's plans found above, as the ORM's prefetch read them.
        ids = ", ".join(["%s"] * len(plans))
        cursor.execute(_PEOPLE_SQL.format(ids=ids), [plan.pk for plan in plans])
        links = cursor.fetchall()
    people: dict[int, list[Contact]] = {}
    for row in links:
        people.setdefault(row[0], []).append(load(Contact, row, 1))
    for plan in plans:
        plan.people = people.get(plan.pk, [])
        _describe(plan, zone)
    return plans


def plans_of_contact(
    *, owner: User, contact: Contact, today: dt.date, limit: int = 5
) -> list[PlannedInteraction]:
    """A person's planned meetings still to log or dismiss (recently passed ones included).

    One raw statement, the plans with their people (a row per plan and person), whether or not
    there are any: most people have nothing planned, and the ORM's Python cost of the query was
    ten times its SQL on every person's page; reading the people only when there were plans
    made the page's query count depend on the person (issue 21)."""
    zone = owner.settings.zone
    since = _day_start(today - dt.timedelta(days=KEEP_PAST_DAYS), zone)
    params = [owner.pk, contact.pk, PlannedInteraction.State.PLANNED]
    params += [connection.ops.adapt_datetimefield_value(since), limit]
    with connection.cursor() as cursor:
        cursor.execute(_OF_CONTACT_SQL, params)
        rows = cursor.fetchall()
    plans: dict[int, PlannedInteraction] = {}
    person_at = width(PlannedInteraction)
    for row in rows:
        plan = plans.get(row[0])
        if plan is None:
            plan = plans[row[0]] = load(PlannedInteraction, row)
            plan.people = []
        plan.people.append(load(Contact, row, person_at))
    for plan in plans.values():
        _describe(plan, zone)
    return list(plans.values())


# The first ``limit`` plans (the inner SELECT), then each with its people by name, as the ORM's
# prefetch read them.
_OF_CONTACT_SQL = f"""
SELECT {columns(PlannedInteraction, "p")}, {columns(Contact, "c")}
FROM (
    SELECT p.id FROM {connection.ops.quote_name(PlannedInteraction._meta.db_table)} p
    JOIN {connection.ops.quote_name(PlannedInteraction.contacts.through._meta.db_table)} l
        ON l.plannedinteraction_id = p.id
    WHERE p.owner_id = %s AND l.contact_id = %s AND p.state = %s AND p.starts_at >= %s
    ORDER BY p.starts_at, p.id LIMIT %s
) chosen
INNER JOIN {connection.ops.quote_name(PlannedInteraction._meta.db_table)} p ON p.id = chosen.id
INNER JOIN {connection.ops.quote_name(PlannedInteraction.contacts.through._meta.db_table)} l
    ON l.plannedinteraction_id = p.id
INNER JOIN {connection.ops.quote_name(Contact._meta.db_table)} c ON c.id = l.contact_id
ORDER BY p.starts_at, p.id, c.sort_name, c.id
"""


def plans_on_day(*, owner: User, day: dt.date, limit: int = 10) -> list[PlannedInteraction]:
    """The meetings planned on the owner's local ``day`` (for that morning's digest)."""
    zone = owner.settings.zone
    plans = PlannedInteraction.objects.filter(
        owner=owner,
        state=PlannedInteraction.State.PLANNED,
        starts_at__gte=_day_start(day, zone),
        starts_at__lt=_day_start(day + dt.timedelta(days=1), zone),
    )
    return _with_people(plans[:limit], zone)


def plan_title(plan: PlannedInteraction, people: list[Contact], *, lower: bool = False) -> str:
    """ "Coffee with Ana and Ben" ("coffee with Ana and Ben" when ``lower``)."""
    names = [person.name for person in people]
    if len(names) > 1:
        joined = ", ".join(names[:-1]) + " and " + names[-1]
    else:
        joined = names[0] if names else "nobody"
    kind = "Meeting" if plan.kind == "other" else plan.get_kind_display()
    return f"{kind.lower() if lower else kind} with {joined}"
