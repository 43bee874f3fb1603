"""Due people for the meetup tests (tests/factories.py is shared; these stay here)."""

from __future__ import annotations

import datetime as dt

from contacts.selectors import contacts_due_capped
from reminders.meetups import due_with_meetups
from tests.factories import ContactFactory, InterestFactory

TODAY = dt.date(2026, 11, 28)  # tests/conftest.py FROZEN_NOW's date, in UTC


def person(owner, name, *, due_in=-3, cadence=14, city="", interests=(), **extra):
    """Someone on a ``cadence``-day rhythm whose reach-out day is ``due_in`` days from TODAY
    (negative: overdue)."""
    contact = ContactFactory(
        owner=owner,
        name=name,
        city=city,
        cadence_days=cadence,
        next_reach_out_on=TODAY + dt.timedelta(days=due_in),
        **extra,
    )
    if interests:
        contact.interests.set(interests)
    return contact


def interest(owner, name, **extra):
    return InterestFactory(owner=owner, name=name, **extra)


def section(owner, today=TODAY, limit=5):
    due = contacts_due_capped(owner=owner, today=today, limit=limit)
    return due_with_meetups(owner=owner, today=today, due=due)


def names(meetup):
    return [contact.name for contact in meetup.people]
