"""Reads for "don't hound": the notices that say a rhythm was stretched (dashboard, a person's
page) and the line that says why someone who reaches out often is due later
(docs/architecture.md, "The due rule")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import F

from contacts.models import Circle, Contact
from network_crm.rows import columns, load, width
from reminders.models import RhythmStretch

if TYPE_CHECKING:
    from accounts.models import User

# The dashboard says so for a week; the person's page as long as the stretch is in force.
DASHBOARD_NOTICE_DAYS = 7
DASHBOARD_NOTICE_LIMIT = 3


def every(days: int) -> str:
    """A rhythm in words: "every week", "every 5 weeks", "every 38 days"."""
    if days % 7:
        return f"every {days} days"
    weeks = days // 7
    return "every week" if weeks == 1 else f"every {weeks} weeks"


def instead_of(new: int, old: int) -> str:
    """ "every 5 weeks instead of 4", "every 38 days instead of 30", "every 18 days instead of
    every 2 weeks"."""
    same_unit = (new % 7 == 0) == (old % 7 == 0)
    if same_unit and old != 7:  # never "instead of 1"
        return f"{every(new)} instead of {old // 7 if old % 7 == 0 else old}"
    return f"{every(new)} instead of {every(old)}"


@dataclass(frozen=True)
class StretchNotice:
    stretch: RhythmStretch
    previous_days: int  # the rhythm before (the circle's when the contact had none of its own)

    @property
    def contact(self) -> Contact:
        return self.stretch.contact

    @property
    def text(self) -> str:
        rhythm = instead_of(self.stretch.new_cadence_days, self.previous_days)
        return f"{self.contact.name}'s nudge went by three times, so we'll suggest {rhythm}."


def _notice(stretch: RhythmStretch) -> StretchNotice:
    previous = stretch.previous_cadence_days
    if previous is None:  # it was the circle's
        circle = stretch.contact.circle
        previous = circle.cadence_days if circle and circle.cadence_days else 0
    return StretchNotice(stretch=stretch, previous_days=previous or stretch.new_cadence_days)


def _in_force():
    # Not undone, and the rhythm is still the stretched one (not changed by hand since).
    return RhythmStretch.objects.filter(
        undone_at=None, contact__cadence_days=F("new_cadence_days")
    ).select_related("contact__circle")


_DASHBOARD_NOTICES_SQL = f"""
SELECT {columns(RhythmStretch, "s")}, {columns(Contact, "c")}, {columns(Circle, "k")}
FROM reminders_rhythmstretch s
INNER JOIN contacts_contact c ON c.id = s.contact_id
LEFT OUTER JOIN contacts_circle k ON k.id = c.circle_id
WHERE s.owner_id = %s AND s.stretched_on >= %s AND s.undone_at IS NULL
    AND c.cadence_days = s.new_cadence_days AND c.archived = %s
ORDER BY s.stretched_on DESC, s.id DESC
LIMIT %s
"""


def dashboard_rhythm(*, owner: User, today: dt.date) -> dict:
    """Rhythms stretched in the last week and still in force (not undone, and the person's rhythm
    still the stretched one), newest first: one bounded raw statement (network_crm/rows.py; the
    ORM spent ~1.5 ms of Python building it)."""
    since = today - dt.timedelta(days=DASHBOARD_NOTICE_DAYS - 1)
    with connection.cursor() as cursor:
        cursor.execute(_DASHBOARD_NOTICES_SQL, [owner.pk, since, False, DASHBOARD_NOTICE_LIMIT])
        found = cursor.fetchall()
    contact_at = width(RhythmStretch)
    circle_at = contact_at + width(Contact)
    notices = []
    for row in found:
        stretch = load(RhythmStretch, row)
        stretch.contact = load(Contact, row, contact_at)
        stretch.contact.circle = None if row[circle_at] is None else load(Circle, row, circle_at)
        notices.append(_notice(stretch))
    return {"rhythm_notices": notices}


# The person's latest stretch still in force. Asked on every person's page, also when they have
# no rhythm of their own (then ``new_cadence_days = NULL`` matches nothing), so that the page reads
# the same number of queries whoever the person is (issue 21).
_CONTACT_STRETCH_SQL = f"""
SELECT {columns(RhythmStretch, "s")}
FROM reminders_rhythmstretch s
WHERE s.owner_id = %s AND s.contact_id = %s AND s.undone_at IS NULL AND s.new_cadence_days = %s
ORDER BY s.stretched_on DESC, s.id DESC
LIMIT 1
"""


def contact_rhythm(*, contact: Contact, **kwargs) -> dict:
    """The person's latest stretch still in force (one query, whether or not they have a rhythm
    of their own), and whether the due rule counts them in touch longer because they often reach
    out first (no query: the loaded row)."""
    with connection.cursor() as cursor:
        cursor.execute(_CONTACT_STRETCH_SQL, [contact.owner_id, contact.pk, contact.cadence_days])
        row = cursor.fetchone()
    stretch = None if row is None else load(RhythmStretch, row)
    if stretch is not None:
        stretch.contact = contact  # loaded with its circle
    due_days, days = contact.due_cadence_days, contact.effective_cadence_days
    reaches_out = (
        instead_of(due_days, days) if contact.reaches_out_often and due_days and days else ""
    )
    return {
        "rhythm_notice": _notice(stretch) if stretch else None,
        "reaches_out_rhythm": reaches_out,
    }
