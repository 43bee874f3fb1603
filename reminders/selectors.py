"""Reads for the dashboard: what is coming up, what was promised, how the network is doing.

Every function here runs a fixed number of queries over indexed or bounded data (a window of
days, the last year, the capped lists), whatever the number of contacts.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.urls import NoReverseMatch
from django.utils import dateformat
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from contacts.list_rows import avatar_html
from contacts.models import Contact, ImportantDate
from contacts.selectors import CappedList, contacts_due_capped, due_and_soon
from giving.things_selectors import ShareSuggestion, share_suggestion_for_digest
from interactions.models import Interaction, PlannedInteraction
from interactions.plans_selectors import plans_coming_up, plans_on_day
from interactions.selectors import ask_about_notes, contacts_with_talking_points
from network_crm.clock import local_date, user_zone
from network_crm.dates import STYLES, format_date
from network_crm.dates import current as current_date_format
from network_crm.reversing import url_to
from network_crm.rows import columns, load, width
from network_crm.templatetags.crm import days_ago, days_until
from reminders.dashboard_cards import recent_items, upcoming_items
from reminders.meetups import (
    INTEREST_ROWS_LIMIT,
    SOON_DAYS,
    SOON_LIMIT,
    candidate_interests,
    meetups_among,
)
from reminders.models import Reminder, SchedulerHeartbeat
from reminders.rhythm_selectors import dashboard_rhythm

if TYPE_CHECKING:
    from accounts.models import User
    from reminders.links import ActionLink


# --- Birthdays and other yearly dates ----------------------------------------------------------


def _month_days_in_window(today: dt.date, days: int) -> tuple[str, list[int]]:
    """A filter (SQL and its parameters, on ``d``, the dates' table) matching (month, day) pairs
    from today to today + days, with 29 February included whenever 28 February is (it is
    celebrated then in common years)."""
    by_month: dict[int, list[int]] = {}
    for offset in range(days + 1):
        day = today + dt.timedelta(days=offset)
        by_month.setdefault(day.month, []).append(day.day)
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            by_month[2].append(29)
    if not by_month:
        return "1 = 0", []
    params: list[int] = []
    for month, month_days in by_month.items():
        params += [month, *month_days]
    sql = " OR ".join(
        f"(d.month = %s AND d.day IN ({', '.join(['%s'] * len(month_days))}))"
        for month_days in by_month.values()
    )
    return f"({sql})", params


@dataclass(frozen=True)
class UpcomingDate:
    date: ImportantDate
    on: dt.date
    days_away: int

    @property
    def falls_early(self) -> bool:
        """A 29 February in a common year, celebrated on the 28th."""
        return self.on.day != self.date.day

    @property
    def turns(self) -> int | None:
        return self.date.age_on(self.on) if self.date.kind == "birthday" else None


def upcoming_dates(
    *, owner: User, today: dt.date, days: int = 14, limit: int = 10
) -> list[UpcomingDate]:
    """Birthdays and other yearly dates of active contacts in the next ``days`` days, soonest first.

    The dates in the window are ordered from their (month, day) and contact name alone; only the
    first ``limit`` are loaded with their contact. (Loading every date in the window with its
    contact grew with the network: about 190 rows for a two-week window at 10,000 contacts.)
    Both are raw statements (network_crm/rows.py): the ORM spent ~3 ms of Python building them."""
    window, window_params = _month_days_in_window(today, min(days, 366))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.id, d.month, d.day, c.sort_name FROM contacts_importantdate d"
            " INNER JOIN contacts_contact c ON c.id = d.contact_id"
            f" WHERE d.owner_id = %s AND c.archived = %s AND {window}",
            [owner.pk, False, *window_params],
        )
        window_rows = cursor.fetchall()
    # The window holds a few (month, day) pairs however many dates fall on them: each pair's
    # next occurrence is worked out once.
    occurrences: dict[tuple[int, int], dt.date] = {}
    keys = []
    for pk, month, day, sort_name in window_rows:
        on = occurrences.get((month, day))
        if on is None:
            on = occurrences[month, day] = ImportantDate(month=month, day=day).next_occurrence(
                today
            )
        keys.append((on, sort_name, month, day, pk))
    keys = sorted(keys)[:limit]
    if not keys:
        return []
    dates = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(ImportantDate, 'd')}, {columns(Contact, 'c')}"
            " FROM contacts_importantdate d INNER JOIN contacts_contact c ON c.id = d.contact_id"
            f" WHERE d.id IN ({', '.join(['%s'] * len(keys))})",
            [key[-1] for key in keys],
        )
        for row in cursor.fetchall():
            date = load(ImportantDate, row)
            date.contact = load(Contact, row, width(ImportantDate))
            dates[date.pk] = date
    return [
        UpcomingDate(date=dates[pk], on=on, days_away=(on - today).days)
        for on, _sort_name, _month, _day, pk in keys
    ]


# --- Follow-ups and recent interactions ----------------------------------------------------


_FOLLOW_UPS_SQL = f"""
SELECT {columns(Reminder, "r")}, {columns(Contact, "c")}, {columns(Interaction, "i")}
FROM reminders_reminder r
INNER JOIN contacts_contact c ON c.id = r.contact_id
LEFT OUTER JOIN interactions_interaction i ON i.id = r.interaction_id
WHERE r.owner_id = %s AND r.state = %s AND r.kind = %s AND r.due_on <= %s AND c.archived = %s
ORDER BY r.due_on, r.id
LIMIT %s
"""


def follow_ups_due(*, owner: User, today: dt.date, limit: int = 10) -> list[Reminder]:
    """Open follow-ups due by ``today`` of active contacts, with their contact and interaction:
    one raw statement (network_crm/rows.py; the ORM spent ~1.5 ms of Python building it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _FOLLOW_UPS_SQL,
            [
                owner.pk,
                Reminder.State.OPEN,
                Reminder.Kind.FOLLOW_UP,
                today,
                False,
                limit,
            ],
        )
        found = cursor.fetchall()
    contact_at = width(Reminder)
    interaction_at = contact_at + width(Contact)
    reminders = []
    for row in found:
        reminder = load(Reminder, row)
        reminder.contact = load(Contact, row, contact_at)
        reminder.interaction = (
            None if row[interaction_at] is None else load(Interaction, row, interaction_at)
        )
        reminders.append(reminder)
    return reminders


def recently_seen(*, owner: User, limit: int = 6) -> list[Interaction]:
    """The owner's last ``limit`` interactions, each with ``people``: two raw statements
    (network_crm/rows.py; the ORM spent ~1.5 ms of Python building them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(Interaction, 'i')} FROM interactions_interaction i"
            " WHERE i.owner_id = %s ORDER BY i.occurred_at DESC, i.id DESC LIMIT %s",
            [owner.pk, limit],
        )
        interactions = [load(Interaction, row) for row in cursor.fetchall()]
        if not interactions:
            return []
        cursor.execute(
            f"SELECT link.interaction_id, {columns(Contact, 'c')}"
            " FROM interactions_interaction_contacts link"
            " INNER JOIN contacts_contact c ON c.id = link.contact_id"
            f" WHERE link.interaction_id IN ({', '.join(['%s'] * len(interactions))})",
            [interaction.pk for interaction in interactions],
        )
        links = cursor.fetchall()
    people: dict[int, list[Contact]] = {}
    for row in links:
        people.setdefault(row[0], []).append(load(Contact, row, 1))
    for interaction in interactions:
        interaction.people = people.get(interaction.pk, [])
    return interactions


# --- Network health --------------------------------------------------------------------------


@dataclass(frozen=True)
class CircleHealth:
    name: str
    total: int
    # In touch: not due thanks to an interaction (or, never met yet, the day they were added).
    within: int
    # Not due only because the user snoozed them, or said "we're fine" since the last interaction:
    # counted apart, as neither is being in touch.
    snoozed: int = 0
    fine: int = 0
    # Due by today (the due rule): the full dashboard's due list takes its count from here
    # rather than counting again.
    due_today: int = field(default=0, compare=False)

    @property
    def percent(self) -> int:
        return round(100 * self.within / self.total) if self.total else 0

    @property
    def due(self) -> int:
        return self.total - self.within - self.snoozed - self.fine

    def item(self) -> SafeString:
        """The health panel's line for the circle (its name, a meter and the counts in words),
        written here once rather than through ~20 template lookups a circle (issue 21)."""
        extra = f", {self.snoozed} snoozed" if self.snoozed else ""
        extra += f", {self.fine} “we're fine”" if self.fine else ""
        words = f" · {self.snoozed} snoozed" if self.snoozed else ""
        words += f" · {self.fine} “we're fine”" if self.fine else ""
        name = escape(self.name)
        return mark_safe(
            f'<li><span class="health-name">{name}</span>\n'
            f'              <meter min="0" max="{self.total}" value="{self.within}"'
            f' aria-label="{name}: {self.within} of {self.total} within their rhythm{extra}">'
            f"{self.percent}%</meter>\n"
            f'              <span class="small muted">{self.within} of {self.total} in touch'
            f"{words}</span></li>"
        )


# Per circle of the owner's active people with a rhythm (next_reach_out_on is NULL without one):
# how many, how many due, snoozed ("snoozed_until" is the date a snooze set: it only ever pushes it
# later, see contacts_recompute_due), and "we're fine" (the clock runs from a restart later than
# any interaction). In touch is the rest (circle_health). How many and how many due are counted
# per circle (and for no circle) as ranges of the contact_owner_circle_health index, which SQLite
# steps through without looking at the entries; snoozed and "fine" from the few rows of the
# partial index contact_owner_set_aside. Counting all four on every active person's index entry
# took 2.1 ms at 10,000 contacts, 0.7 ms this way (issue 21: the health panel grew 1.6× from 100
# to 10,000 contacts). A raw statement: the ORM spent ~4 ms of Python building it (issue 21).
_CIRCLE_COUNT = """(SELECT COUNT(*) FROM contacts_contact c
        WHERE c.owner_id = %s AND c.archived = %s AND c.paused = %s AND c.circle_id {circle}
            AND c.next_reach_out_on {next})"""
_CIRCLE_HEALTH_SQL = f"""
SELECT named.name, counts.total, counts.due_today, COALESCE(aside.snoozed, 0),
    COALESCE(aside.snoozed_past, 0), COALESCE(aside.fine, 0)
FROM (
    SELECT k.id AS circle_id,
        {_CIRCLE_COUNT.format(circle="= k.id", next="IS NOT NULL")} AS total,
        {_CIRCLE_COUNT.format(circle="= k.id", next="<= %s")} AS due_today
    FROM contacts_circle k WHERE k.owner_id = %s
    UNION ALL
    SELECT NULL,
        {_CIRCLE_COUNT.format(circle="IS NULL", next="IS NOT NULL")},
        {_CIRCLE_COUNT.format(circle="IS NULL", next="<= %s")}
) counts
LEFT JOIN contacts_circle named ON named.id = counts.circle_id
LEFT JOIN (
    SELECT circle_id,
        COUNT(*) FILTER (WHERE snoozed_until = next_reach_out_on) AS snoozed,
        COUNT(*) FILTER (WHERE snoozed_until > next_reach_out_on) AS snoozed_past,
        COUNT(*) FILTER (WHERE cadence_restarted_on IS NOT NULL
            AND (snoozed_until IS NULL OR snoozed_until < next_reach_out_on)
            AND (last_interaction_on IS NULL OR cadence_restarted_on > last_interaction_on))
            AS fine
    FROM contacts_contact
    WHERE owner_id = %s AND archived = %s AND paused = %s AND next_reach_out_on > %s
        AND (snoozed_until IS NOT NULL OR cadence_restarted_on IS NOT NULL)
    GROUP BY circle_id
) aside ON COALESCE(aside.circle_id, 0) = COALESCE(counts.circle_id, 0)
"""

NO_CIRCLE = "No circle (own rhythm)"


def circle_health(*, owner: User, today: dt.date) -> list[CircleHealth]:
    """Per circle, how many active people with a rhythm are in touch, snoozed, "fine" or due:
    one statement, read from the contact_owner_circle_health and contact_owner_set_aside
    indexes alone, never from the contact rows (bench/NOTES.md, "Why the queries look the way
    they do")."""
    active = [owner.pk, False, False]
    params = [*active, *active, today, owner.pk, *active, *active, today, *active, today]
    with connection.cursor() as cursor:
        cursor.execute(_CIRCLE_HEALTH_SQL, params)
        rows = cursor.fetchall()
    # Not due, not snoozed and not "fine" is in touch. Not due and not snoozed is everyone not
    # due less the snoozed and those whose snooze date is past their due date (which a snooze
    # can't make, but then they are neither); "fine" and "not fine" split the rest exactly.
    health = [
        CircleHealth(
            name=NO_CIRCLE if name is None else name,
            total=total,
            within=total - due_today - snoozed - snoozed_past - fine,
            snoozed=snoozed,
            fine=fine,
            due_today=due_today,
        )
        for name, total, due_today, snoozed, snoozed_past, fine in rows
        if total  # a circle nobody active with a rhythm is in
    ]
    return sorted(health, key=lambda h: (h.name == NO_CIRCLE, h.name))


@dataclass(frozen=True)
class WeekCount:
    starts_on: dt.date
    count: int


def _week_start(today: dt.date, weeks: int) -> dt.date:
    return today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))


def _activity_days(*, owner: User, since: dt.date) -> list[tuple]:
    """The owner's per-day counts (ActivityDay) from ``since`` on: (day, total, by_me, by_them),
    about a year of small rows however many interactions there were; counting the interactions
    themselves grew with them (docs/decisions/0002, bench/NOTES.md)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.day, a.total, a.by_me, a.by_them FROM interactions_activityday a"
            " WHERE a.owner_id = %s AND a.day >= %s",
            [owner.pk, since],
        )
        return cursor.fetchall()


def _weeks_from(days: list[tuple], *, today: dt.date, weeks: int) -> list[WeekCount]:
    start = _week_start(today, weeks)
    counts = [0] * weeks
    for day, total, _by_me, _by_them in days:
        if start <= day <= today:
            counts[(day - start).days // 7] += total
    return [
        WeekCount(starts_on=start + dt.timedelta(weeks=index), count=count)
        for index, count in enumerate(counts)
    ]


def weekly_activity(*, owner: User, today: dt.date, weeks: int = 52) -> list[WeekCount]:
    """Interactions per week over the last ``weeks`` weeks (oldest first), summed here from the
    owner's per-day counts (ActivityDay)."""
    days = _activity_days(owner=owner, since=_week_start(today, weeks))
    return _weeks_from(days, today=today, weeks=weeks)


@dataclass(frozen=True)
class Initiative:
    me: int
    them: int

    @property
    def noted(self) -> int:
        return self.me + self.them

    @property
    def me_percent(self) -> int:
        return round(100 * self.me / self.noted) if self.noted else 0


def _initiative_from(days: list[tuple], *, today: dt.date, days_back: int) -> Initiative:
    since = today - dt.timedelta(days=days_back)
    me = them = 0
    for day, _total, by_me, by_them in days:
        if day > since:
            me += by_me
            them += by_them
    return Initiative(me=me, them=them)


def initiative_split(*, owner: User, today: dt.date, days: int = 365) -> Initiative:
    """Who reached out first over the last year, where the user noted it (reciprocity), from the
    per-day counts: at most ``days`` rows."""
    rows = _activity_days(owner=owner, since=today - dt.timedelta(days=days - 1))
    return _initiative_from(rows, today=today, days_back=days)


# --- The digest: what one email says ----------------------------------------------------------


@dataclass(frozen=True)
class PersonBrief:
    """One person of a planned meeting, as the digest names them: a few words from their brief
    (ask next time, an open promise, one thing to share) and the brief page's path."""

    contact: Contact
    points: list[str]
    path: str


@dataclass(frozen=True)
class PlannedToday:
    """A meeting planned on the digest's day: "Coffee with Ana at 10:00", then each person's brief."""

    plan: PlannedInteraction
    time: str  # HH:MM in the owner's zone
    briefs: list[PersonBrief]

    @property
    def line(self) -> str:
        return f"{self.plan.title} at {self.time}"


@dataclass
class DigestContents:
    due: CappedList  # with talking points attached
    reach_out_reminders: dict[int, Reminder]  # contact id -> its live reach-out reminder
    follow_ups: list[Reminder]
    dates: list[UpcomingDate]
    plans: list[PlannedToday] = field(default_factory=list)
    share: ShareSuggestion | None = None  # at most one "something to share with …"

    # The share line rides along with a digest that is owed anyway: on its own it never makes
    # one (a daily email just to suggest sending something would be the flood we promise not to
    # be; docs/architecture.md, "Give first").
    @property
    def is_empty(self) -> bool:
        return not (self.due.items or self.follow_ups or self.dates or self.plans)

    @property
    def item_count(self) -> int:
        return len(self.due.items) + len(self.follow_ups) + len(self.dates) + len(self.plans)


# How many people of one planned meeting get a brief in the digest, and how many points each.
BRIEFS_PER_PLAN = 3
POINTS_PER_BRIEF = 3


def _brief_points(brief) -> list[str]:
    points = [f"Ask about: {text}" for text in brief.ask_next_time[:1]]
    points += [f"You promised: {reminder.note or 'follow up'}" for reminder in brief.promises[:1]]
    points += [
        f"Something to share: {item.title or item.url}" for item in brief.things_to_share[:1]
    ]
    return points[:POINTS_PER_BRIEF]


def planned_today(*, owner: User, day: dt.date) -> list[PlannedToday]:
    """The meetings planned on the owner's local ``day``, each with its people's short briefs
    (reminders.brief.contact_brief; at most BRIEFS_PER_PLAN people a meeting)."""
    from reminders.brief import contact_brief  # the brief reads this module's upcoming_dates

    result = []
    for plan in plans_on_day(owner=owner, day=day):
        briefs = [
            PersonBrief(
                contact=person,
                points=_brief_points(contact_brief(owner=owner, contact=person, today=day)),
                path=person.brief_url,
            )
            for person in plan.people[:BRIEFS_PER_PLAN]
        ]
        result.append(PlannedToday(plan=plan, time=f"{plan.local_start:%H:%M}", briefs=briefs))
    return result


def digest_contents(*, owner: User, day: dt.date) -> DigestContents:
    """Who is due (capped by the daily limit, most overdue first), promises due, dates coming
    up, the day's planned meetings with their briefs and at most one thing to share, for one
    user's digest on their local ``day``."""
    user_settings = owner.settings
    due = due_with_talking_points(owner=owner, today=day)
    reminders = {
        reminder.contact_id: reminder
        for reminder in Reminder.objects.filter(
            owner=owner,
            kind=Reminder.Kind.REACH_OUT,
            state=Reminder.State.OPEN,
            contact_id__in=[contact.pk for contact in due.items],
        )
    }
    dates = (
        upcoming_dates(owner=owner, today=day, days=user_settings.date_reminder_days)
        if user_settings.date_reminder_days
        else []
    )
    return DigestContents(
        due=due,
        reach_out_reminders=reminders,
        follow_ups=follow_ups_due(owner=owner, today=day),
        dates=dates,
        plans=planned_today(owner=owner, day=day),
        share=share_suggestion_for_digest(owner=owner, today=day),
    )


# --- What became of a reminder (for a digest link clicked after the fact) ------------------------

# An interaction logged this long after a reminder was closed did not close it. (Closing by
# logging stamps the start of the user's local day, so a day and a half covers any time zone.)
RESOLVED_WITHIN = dt.timedelta(days=2)


@dataclass(frozen=True)
class ReminderOutcome:
    reminder: Reminder
    # The interaction that resolved a done reminder, when one did (not a "we're fine").
    interaction: Interaction | None
    # The user's local date it was closed on.
    closed_on: dt.date | None
    # Until when the person is snoozed, when a snooze is what put the reminder away (a snooze
    # from the dashboard closes it as done).
    snoozed_until: dt.date | None = None

    @property
    def logged(self) -> str:
        """The interaction as the sentence "You already logged … with Ana" needs it."""
        if self.interaction is None:
            return ""
        kind = self.interaction.kind
        if kind == Interaction.Kind.SHARED:
            return "something shared"
        if kind == Interaction.Kind.OTHER:
            return "an interaction"
        label = self.interaction.get_kind_display().lower()
        return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def reminder_outcome(*, reminder: Reminder) -> ReminderOutcome:
    """What happened to ``reminder``: closed (done or dismissed) on which day, by which
    interaction if one was logged with the person between its opening and its closing."""
    closed_on = None
    interaction = None
    snoozed_until = None
    if reminder.closed_at is not None:
        closed_on = local_date(reminder.closed_at, user_zone(reminder.owner))
    if reminder.state == Reminder.State.SNOOZED:
        snoozed_until = reminder.snoozed_until
    # Only reach-out reminders are closed by logging something with the person.
    if reminder.state == Reminder.State.DONE and reminder.kind == Reminder.Kind.REACH_OUT:
        interaction = (
            Interaction.objects.filter(
                owner=reminder.owner_id,
                contacts=reminder.contact_id,
                created_at__gte=reminder.created_at,
                created_at__lte=(reminder.closed_at or reminder.created_at) + RESOLVED_WITHIN,
            )
            .order_by("created_at", "pk")
            .first()
        )
        contact_snooze = reminder.contact.snoozed_until
        if interaction is None and closed_on and contact_snooze and contact_snooze > closed_on:
            snoozed_until = contact_snooze
    return ReminderOutcome(
        reminder=reminder, interaction=interaction, closed_on=closed_on, snoozed_until=snoozed_until
    )


# --- The dashboard, section by section (htmx refreshes each one alone) -------------------------


def due_with_talking_points(*, owner: User, today: dt.date) -> CappedList:
    """Who is due, capped by the daily limit, most overdue first, with their talking points."""
    due = contacts_due_capped(owner=owner, today=today, limit=owner.settings.daily_limit)
    contacts_with_talking_points(due.items)
    return due


def dashboard_due(*, owner: User, today: dt.date, due_total: int | None = None) -> dict:
    """The due section: who is due (capped by the daily limit, most overdue first) with their
    talking points, and the meetups that take the place of some of their nudges
    (reminders.meetups). Five queries, six when a meetup forms: the ranking of who is due with
    its count, who comes due soon (``meetups.soon_candidates``' rule), those people's rows (one
    read for both), the interests of all of them (the talking points' shared interests and the
    meetups' groups), the "ask about" notes of those shown, and the dismissals of the groups
    found. Each person shown gets the paths of their forms.

    ``due_total``, when the caller has counted who is due already (the health panel's query
    does), saves the count. (Counting in the list's query with a window function made SQLite
    keep and sort every due row instead of the first few: slower than a separate count.)"""
    due, soon = due_and_soon(
        owner=owner,
        today=today,
        limit=owner.settings.daily_limit,
        soon_until=today + dt.timedelta(days=SOON_DAYS),
        soon_limit=SOON_LIMIT,
        due_total=due_total,
    )
    items = list(due.items)
    if not items:
        return {"due": due, "meetups": []}
    candidates = items + soon
    interests = candidate_interests(candidates)
    if len(interests) < INTEREST_ROWS_LIMIT:
        shown = {contact.pk for contact in items}
        shared: dict[int, list[str]] = {}
        for contact_id, _folded, name, mine in interests:
            if mine and contact_id in shown:
                shared.setdefault(contact_id, []).append(name)
        notes = ask_about_notes(list(shown))
        for contact in items:
            contact.shared_interests = shared.get(contact.pk, [])
            contact.ask_about = notes.get(contact.pk) or ""
    else:  # the rows were cut short: the talking points read their own
        contacts_with_talking_points(items)
    section = meetups_among(
        owner=owner, today=today, due=due, candidates=candidates, interests=interests
    )
    for meetup in section["meetups"]:
        for contact in meetup.people:
            contact.avatar_html = avatar_html(contact)
            contact.due_text = days_until(contact.next_reach_out_on, today)
    for contact in section["due"].items:
        contact.avatar_html = avatar_html(contact)
        contact.why = _why_text(contact, today)
        contact.log_path = url_to("interactions:log", contact.pk)
        contact.log_other_path = url_to("interactions:create", contact.pk)
        contact.snooze_path = url_to("contacts:snooze", contact.pk)
        contact.fine_path = url_to("contacts:fine", contact.pk)
    if section["meetups"]:
        try:
            plan = url_to("plans:add")
        except NoReverseMatch:  # without the plans page, no "Plan it"
            plan = ""
        section["meetup_paths"] = {
            "log": url_to("meetups:log"),
            "dismiss": url_to("meetups:dismiss"),
            "plan": plan,
        }
    return section


def _why_text(contact: Contact, today: dt.date) -> str:
    """contacts/_why.html's text with its trailing newline (the template escapes it)."""
    if contact.last_interaction_on:
        text = f"Last in touch {days_ago(contact.last_interaction_on, today)}"
    else:
        text = "No interaction logged yet"
    cadence = contact.effective_cadence_days
    if cadence:
        text += f" · every {cadence} days"
    if contact.circle:
        text += f" · {contact.circle.name}"
    return text + "\n"


def dashboard_page(*, owner: User, today: dt.date, now: dt.datetime) -> dict:
    """Every section of the full dashboard. The health panel's per-circle count says how many
    are due (the due list needn't count them again) and whether there is anyone at all."""
    health = dashboard_health(owner=owner, today=today)
    due_total = sum(row.due_today for row in health["health"])
    due = dashboard_due(owner=owner, today=today, due_total=due_total)
    has_contacts = bool(health["health"] or due["due"].items or due["meetups"])
    return {
        **due,
        **dashboard_soon(owner=owner, today=today),
        **dashboard_recent(owner=owner, today=today),
        **health,
        **dashboard_rhythm(owner=owner, today=today),
        **dashboard_status(owner=owner, now=now, has_contacts=has_contacts),
    }


def _with_done_paths(reminders: list[Reminder]) -> list[Reminder]:
    for reminder in reminders:
        reminder.done_path = url_to("reminders:done", reminder.pk)
    return reminders


@dataclass(frozen=True, slots=True)
class UpcomingRow:
    """A date coming up as the dashboard's card shows it: the person's avatar (as
    contacts/_avatar.html writes it, with its trailing newline), link and name, and the line
    under it ("Birthday in 3 days · Thu 3 Dec · turns 40")."""

    avatar: SafeString
    href: str
    name: str
    why: str


def upcoming_rows(dates: list[UpcomingDate], *, today: dt.date) -> list[UpcomingRow]:
    """The dashboard's cards of ``dates``, written once in Python rather than through an include
    and four filters per card (issue 21); the dates as ``user_date`` writes them."""
    weekday = date_writer("short-weekday")
    rows = []
    for item in dates:
        why = f"{item.date.title} {days_until(item.on, today)} · {weekday(item.on)}"
        if item.falls_early:
            why += f", for {format_date(item.date, 'long')}"
        if item.turns:
            why += f" · turns {item.turns}"
        contact = item.date.contact
        rows.append(
            UpcomingRow(
                avatar=avatar_html(contact),
                href=contact.get_absolute_url(),
                name=contact.name,
                why=why,
            )
        )
    return rows


def dashboard_soon(*, owner: User, today: dt.date) -> dict:
    """Planned meetings (the next days, and passed ones still to log), promises due and yearly
    dates coming up (as the cards' rows)."""
    days = owner.settings.upcoming_days
    upcoming = upcoming_rows(upcoming_dates(owner=owner, today=today, days=days), today=today)
    return {
        "plans": plans_coming_up(owner=owner, today=today, days=days),
        "follow_ups": _with_done_paths(follow_ups_due(owner=owner, today=today)),
        "upcoming": upcoming,
        "upcoming_items": upcoming_items(upcoming),
        "upcoming_days": days,
    }


def dashboard_recent(*, owner: User, today: dt.date) -> dict:
    recent = recently_seen(owner=owner)
    return {"recent": recent, "recent_items": recent_items(recent, today=today)}


def dashboard_health(*, owner: User, today: dt.date) -> dict:
    """Circle health, who reaches out first, and a year of weeks as a bar chart with its axes
    (``week_chart``) and the figures that sum it up in words."""
    # One read of the per-day counts serves both the weeks and the year's split.
    days = _activity_days(
        owner=owner, since=min(_week_start(today, 52), today - dt.timedelta(days=364))
    )
    weeks = _weeks_from(days, today=today, weeks=52)
    total = sum(week.count for week in weeks)
    busiest = max(weeks, key=lambda week: week.count) if total else None
    return {
        "health": circle_health(owner=owner, today=today),
        "initiative": _initiative_from(days, today=today, days_back=365),
        "chart": week_chart(weeks),
        "weeks_total": total,
        "weeks_average": round(total / len(weeks), 1) if weeks else 0,
        "busiest": busiest,
    }


# --- The weekly chart: bars, a count scale on the left, months along the bottom ------------------

_DATE_PARTS = {
    "j": lambda day, names: str(day.day),
    "d": lambda day, names: f"{day.day:02d}",
    "n": lambda day, names: str(day.month),
    "m": lambda day, names: f"{day.month:02d}",
    "Y": lambda day, names: f"{day.year:04d}",
    "M": lambda day, names: names["M"][day.month],
    "F": lambda day, names: names["F"][day.month],
    "D": lambda day, names: names["D"][day.weekday()],
    "l": lambda day, names: names["l"][day.weekday()],
}


@functools.cache
def _date_names(language: str | None) -> dict[str, list[str]]:
    """Month and weekday names as Django's date format writes them in ``language``."""
    return {
        "M": [""] + [str(MONTHS_3[month]).title() for month in range(1, 13)],
        "F": [""] + [str(MONTHS[month]) for month in range(1, 13)],
        "D": [str(WEEKDAYS_ABBR[day]) for day in range(7)],
        "l": [str(WEEKDAYS[day]) for day in range(7)],
    }


def date_writer(style: str) -> Callable[[dt.date], str]:
    """``format_date(day, style)`` (the ``user_date`` filter) for many dates in a row: the user's
    format is looked up and split once, so a date costs a few string joins rather than a pass of
    Django's date formatter. ``style`` is a style of network_crm/dates.py or, as for the
    ``date`` filter, a Django format ("M"). Tested equal to ``format_date`` for every locale."""
    locale = current_date_format()
    if style == "iso":
        return dt.date.isoformat
    if style == "short":
        pattern = locale.numeric
    elif style in STYLES:
        pattern = STYLES[style][locale.order]
    else:
        pattern = style
    names = _date_names(get_language())
    parts = []
    for char in pattern:
        if char in _DATE_PARTS:
            parts.append(_DATE_PARTS[char])
        elif char.isalpha() or char == "\\":
            return lambda day: dateformat.format(day, pattern)  # a format not written here
        else:
            parts.append(char)
    return lambda day: "".join(
        part if isinstance(part, str) else part(day, names) for part in parts
    )


@dataclass(frozen=True)
class ChartBar:
    x: int
    y: int
    height: int
    week: WeekCount


@dataclass(frozen=True)
class ChartTick:
    """A line of the count scale: ``value`` interactions, drawn at ``y``."""

    y: int
    value: int


@dataclass(frozen=True)
class ChartMonth:
    """A month's name under the first week that has its 1st day, at ``x``."""

    x: int
    month: dt.date


@dataclass(frozen=True)
class WeekChart:
    bars: list[ChartBar]
    ticks: list[ChartTick]
    months: list[ChartMonth]
    # The SVG's user units (its viewBox): the plot sits right of the scale, above the months.
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_bottom: int

    # The repeated parts of reminders/_week_chart.html, written here in one pass: 52 bars and 52
    # table rows through the template engine, each with a date filter, were most of the health
    # section's rendering (bench/NOTES.md). Numbers need no escaping; the dates are escaped.

    def scale_markup(self) -> SafeString:
        left, right = self.plot_left, self.plot_right
        return mark_safe(
            "".join(
                f'<line x1="{left}" x2="{right}" y1="{tick.y}" y2="{tick.y}"'
                f"{' class="grid"' if tick.value else ''}></line>"
                f'<text x="{left - 4}" y="{tick.y}" text-anchor="end"'
                f' dominant-baseline="middle">{tick.value}</text>'
                for tick in self.ticks
            )
        )

    def bars_markup(self) -> SafeString:
        write = date_writer("day-month-short")
        return mark_safe(
            "".join(
                f'<rect x="{bar.x}" y="{bar.y}" width="{BAR_WIDTH}" height="{bar.height}">'
                f"<title>Week of {escape(write(bar.week.starts_on))}: {bar.week.count}</title></rect>"
                for bar in self.bars
            )
        )

    def months_markup(self) -> SafeString:
        write = date_writer("M")
        bottom = self.plot_bottom
        return mark_safe(
            "".join(
                f'<line x1="{month.x}" x2="{month.x}" y1="{bottom}" y2="{bottom + 4}"></line>'
                f'<text x="{month.x}" y="{self.height - 3}">{escape(write(month.month))}</text>'
                for month in self.months
            )
        )

    def table_markup(self) -> SafeString:
        write = date_writer("medium")
        return mark_safe(
            "".join(
                f'<tr><th scope="row">{escape(write(bar.week.starts_on))}</th>'
                f"<td>{bar.week.count}</td></tr>"
                for bar in self.bars
            )
        )


# Bars 5 wide with a gap of 1; 60 high at most; room on the left for the scale's numbers and
# below for the months.
BAR_STEP, BAR_WIDTH, PLOT_HEIGHT, PLOT_TOP, PLOT_LEFT, MONTHS_BAND = 6, 5, 60, 8, 26, 18


def scale_step(peak: int, *, lines: int = 4) -> int:
    """A round step (1, 2, 5, 10, 20, 50...) so that at most ``lines`` steps reach ``peak``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if -(-peak // step) <= lines:
                return step
        magnitude *= 10


def week_chart(weeks: list[WeekCount]) -> WeekChart:
    """Weeks (oldest first) as bars over a count scale of round numbers that reaches the
    busiest week; a week with any interaction is at least one unit high."""
    peak = max((week.count for week in weeks), default=0)
    step = scale_step(peak) if peak else 1
    top = step * max(1, -(-peak // step))
    bottom = PLOT_TOP + PLOT_HEIGHT
    bars = []
    months = []
    for index, week in enumerate(weeks):
        x = PLOT_LEFT + index * BAR_STEP
        height = max(1, round(PLOT_HEIGHT * week.count / top)) if week.count else 0
        bars.append(ChartBar(x=x, y=bottom - height, height=height, week=week))
        last_day = week.starts_on + dt.timedelta(days=6)
        if week.starts_on.day == 1 or last_day.month != week.starts_on.month:
            months.append(ChartMonth(x=x, month=last_day.replace(day=1)))
    right = PLOT_LEFT + len(weeks) * BAR_STEP
    ticks = [
        ChartTick(y=bottom - round(PLOT_HEIGHT * value / top), value=value)
        for value in range(0, top + 1, step)
    ]
    return WeekChart(
        bars=bars,
        ticks=ticks,
        # A month starting in the last weeks has no room for its name (the table has it).
        months=[month for month in months if month.x <= right - 3 * BAR_STEP],
        width=right + 2,
        height=bottom + MONTHS_BAND,
        plot_left=PLOT_LEFT,
        plot_right=right,
        plot_bottom=bottom,
    )


# --- Is the scheduler running? ---------------------------------------------------------------

# The sweep runs every minute or few; an hour of silence means the scheduler is not running
# (the dashboard's warning, and /health/ through network_crm.health).
SWEEP_HEALTHY_WITHIN = dt.timedelta(hours=1)
# Beat runs the sweep every minute or few; silence for longer than this means it is not running.
SCHEDULER_STALE_AFTER = dt.timedelta(minutes=10)
# Beat sweeps as soon as it starts, then every SWEEP_INTERVAL_SECONDS; this much on top of one
# interval covers the processes starting and the worker picking the sweep up.
FIRST_SWEEP_MARGIN = dt.timedelta(minutes=1)


_UNREAD = object()  # the heartbeat not read yet


def sweep_last_run() -> dt.datetime | None:
    """When the sweep last ran (its heartbeat), or None if it never did: a raw statement, as
    every dashboard reads it (network_crm/rows.py converts the time as the ORM does)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns(SchedulerHeartbeat, 'h')} FROM reminders_schedulerheartbeat h"
            " WHERE h.name = %s",
            ["sweep"],
        )
        row = cursor.fetchone()
    return None if row is None else load(SchedulerHeartbeat, row).last_run_at


def sweep_is_late(*, now: dt.datetime, last_run: dt.datetime | None | object = _UNREAD) -> bool:
    last = sweep_last_run() if last_run is _UNREAD else last_run
    return last is not None and now - last > SWEEP_HEALTHY_WITHIN


def scheduler_status(
    *, owner: User, now: dt.datetime, last_run: dt.datetime | None | object = _UNREAD
) -> dict:
    """For the admin's status line: when the sweep last ran, and whether that is worrying."""
    if last_run is _UNREAD:
        last_run = sweep_last_run()
    if last_run is None:
        # No sweep yet. That is trouble only once beat, running since at least the moment the
        # owner signed up on this server, has had one interval plus a margin to sweep.
        first_sweep_due = (
            owner.date_joined
            + dt.timedelta(seconds=settings.SWEEP_INTERVAL_SECONDS)
            + FIRST_SWEEP_MARGIN
        )
        return {"last_run": None, "recent": False, "stale": now > first_sweep_due}
    age = now - last_run
    return {
        "last_run": last_run,
        "recent": age < dt.timedelta(minutes=1),
        "stale": age > SCHEDULER_STALE_AFTER,
    }


def dashboard_status(*, owner: User, now: dt.datetime, has_contacts: bool = False) -> dict:
    """Whether there is anyone yet (``has_contacts``: the caller already knows there is), and
    the scheduler's state (the status line is the admin's); the heartbeat is read once."""
    last_run = sweep_last_run()
    return {
        "has_contacts": has_contacts or Contact.objects.for_owner(owner).exists(),
        "scheduler": (
            scheduler_status(owner=owner, now=now, last_run=last_run)
            if owner.is_superuser
            else None
        ),
        "scheduler_stale_warning": sweep_is_late(now=now, last_run=last_run),
    }


# --- Signed links ------------------------------------------------------------------------------


def reminder_of_link(*, link: ActionLink) -> Reminder | None:
    """The reminder a signed link names, if it still exists and is still the signer's."""
    return (
        Reminder.objects.select_related("contact", "owner")
        .filter(pk=link.reminder_id, owner_id=link.user_id)
        .first()
    )
