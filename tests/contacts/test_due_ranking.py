"""``due_and_soon`` (the dashboard's raw ranking of who is due, with its count and who comes due
soon) answers exactly what ``contacts_due`` and ``meetups.soon_candidates`` answer, ties
included, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from contacts.models import Contact
from contacts.selectors import contacts_due, contacts_due_capped, due_and_soon
from reminders.meetups import SOON_DAYS, SOON_LIMIT, soon_candidates
from tests.factories import CircleFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)
SOON_UNTIL = TODAY + dt.timedelta(days=SOON_DAYS)


def people(owner, rng: random.Random, count: int) -> None:
    """A varied address book: own rhythms, circles' rhythms, none, "reaches out often", people
    paused or archived, and ties on the ratio, on the date and on the sorted name."""
    circles = [
        CircleFactory(owner=owner, cadence_days=14),
        CircleFactory(owner=owner, cadence_days=28),
        CircleFactory(owner=owner, cadence_days=None),
    ]
    rows = []
    for index in range(count):
        rows.append(
            Contact(
                owner=owner,
                name=f"P{index}",
                city=rng.choice(["", "Lisbon", "<b>Porto</b>"]),
                photo=rng.choice(["", "photos/p.jpg"]),
                # Few names and dates, so that ties happen.
                sort_name=rng.choice(["ana", "ben", "chloe", "dev"]),
                added_on=TODAY - dt.timedelta(days=400),
                circle=rng.choice([*circles, None]),
                cadence_days=rng.choice([None, None, 7, 14, 28, 90]),
                reaches_out_often=rng.random() < 0.2,
                paused=rng.random() < 0.1,
                archived=rng.random() < 0.1,
                next_reach_out_on=rng.choice(
                    [None, *(TODAY + dt.timedelta(days=rng.randint(-60, 10)) for _ in range(3))]
                ),
            )
        )
    Contact.objects.bulk_create(rows)


def ids(contacts) -> list[int]:
    return [contact.pk for contact in contacts]


def fields(contact: Contact) -> tuple:
    """Every column of the person and of their circle (read without a query)."""
    circle = contact.circle
    circle_fields = circle and [getattr(circle, f.attname) for f in circle._meta.concrete_fields]
    return [getattr(contact, f.attname) for f in Contact._meta.concrete_fields], circle_fields


def loaded_by_the_orm(contacts) -> list[Contact]:
    found = Contact.objects.select_related("circle").in_bulk([contact.pk for contact in contacts])
    return [found[contact.pk] for contact in contacts]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ranking_and_the_soon_list_are_the_querysets_own(alice, bob, seed):
    rng = random.Random(seed)
    people(alice, rng, 80)
    people(bob, rng, 30)  # someone else's people never show
    expected = list(contacts_due(owner=alice, today=TODAY))
    assert len(expected) > 10
    soon = soon_candidates(owner=alice, today=TODAY)
    assert soon
    for limit in (1, 2, 5, len(expected) - 1, len(expected), len(expected) + 3):
        due, soon_found = due_and_soon(
            owner=alice, today=TODAY, limit=limit, soon_until=SOON_UNTIL, soon_limit=SOON_LIMIT
        )
        assert ids(due.items) == ids(expected[:limit])
        assert due.total == len(expected)
        assert [(c.overdue_days, c.overdue_ratio) for c in due.items] == [
            (c.overdue_days, pytest.approx(c.overdue_ratio)) for c in expected[:limit]
        ]
        assert ids(soon_found) == ids(soon)
        assert all(contact.owner_id == alice.pk for contact in due.items + soon_found)
        assert [fields(c) for c in due.items] == [fields(c) for c in loaded_by_the_orm(due.items)]
        assert [
            (c.pk, c.name, c.city, c.photo, c.next_reach_out_on, c.get_absolute_url())
            for c in soon_found
        ] == [
            (c.pk, c.name, c.city, c.photo.name, c.next_reach_out_on, c.get_absolute_url())
            for c in loaded_by_the_orm(soon_found)
        ]
    short, soon_short = due_and_soon(
        owner=alice, today=TODAY, limit=3, soon_until=SOON_UNTIL, soon_limit=2
    )
    assert ids(soon_short) == ids(soon)[:2]
    counted, _ = due_and_soon(owner=alice, today=TODAY, limit=3, due_total=999)
    assert ids(counted.items) == ids(short.items) and counted.total == 999
    capped = contacts_due_capped(owner=alice, today=TODAY, limit=4)
    assert ids(capped.items) == ids(expected[:4]) and capped.more == len(expected) - 4


def test_two_queries_whatever_the_numbers_and_one_when_nobody_is_due(
    alice, django_assert_num_queries
):
    with django_assert_num_queries(1):
        due, soon = due_and_soon(
            owner=alice, today=TODAY, limit=5, soon_until=SOON_UNTIL, soon_limit=SOON_LIMIT
        )
    assert due.items == [] and due.total == 0 and soon == []
    people(alice, random.Random(4), 20)
    with django_assert_num_queries(2):
        small, _ = due_and_soon(
            owner=alice, today=TODAY, limit=5, soon_until=SOON_UNTIL, soon_limit=SOON_LIMIT
        )
    people(alice, random.Random(5), 200)
    with django_assert_num_queries(2):
        big, soon = due_and_soon(
            owner=alice, today=TODAY, limit=5, soon_until=SOON_UNTIL, soon_limit=SOON_LIMIT
        )
    assert len(big.items) == 5 and big.total > small.total
    assert soon and ids(soon) == ids(soon_candidates(owner=alice, today=TODAY))
