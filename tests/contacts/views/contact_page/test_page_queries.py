"""A person's page reads a fixed number of queries, however much there is to show of them
(issue 21: the page's cost was the ORM's Python time per query, and rows per list)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contacts.models import ContactMethod, ImportantDate
from dav.models import CardConflict
from giving.models import Introduction, Share
from giving.services.introductions import introduction_create
from interactions.plans import plan_create
from reminders.models import Reminder, RhythmStretch
from tests.factories import ContactFactory, InteractionFactory, InterestFactory

pytestmark = pytest.mark.django_db

# session, user, the contact (with its circle), the user's settings; the sections: conflicts,
# plans with their people, reminders, the stretched rhythm, history (the rows and their count),
# shares, things for them, the give-and-take counts with the introductions; the person's
# interests, ways to reach them, dates, introducer and introduced. The same for everyone: no
# section asks for more only when it has something to show (issue 21).
PAGE_QUERIES = 16


def _person(owner, size: int, introducer):
    person = ContactFactory(
        owner=owner, name=f"Person {size}", introduced_by=introducer, cadence_days=35
    )
    RhythmStretch.objects.create(
        owner=owner,
        contact=person,
        previous_cadence_days=28,
        new_cadence_days=35,
        stretched_on=dt.date(2026, 11, 20),
    )
    others = [ContactFactory(owner=owner, name=f"Other {size}-{n}") for n in range(size)]
    for n in range(10 * size):
        InteractionFactory(
            owner=owner,
            contacts=[person],
            occurred_at=dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=n),
            notes=f"Note {n}",
        )
    person.interests.set(
        [
            InterestFactory(owner=owner, name=f"Topic {size}-{n}", mine=n % 2 == 0)
            for n in range(size)
        ]
    )
    for n in range(size):
        ContactMethod.objects.create(
            owner=owner, contact=person, kind="email", value=f"p{size}.{n}@example.org", position=n
        )
        ImportantDate.objects.create(
            owner=owner, contact=person, kind="other", label=f"Day {n}", month=1 + n % 12, day=2
        )
        Share.objects.create(
            owner=owner,
            contact=person,
            direction="received",
            title=f"Gift {n}",
            shared_on=dt.date(2026, 11, 1) + dt.timedelta(days=n % 20),
        )
        Reminder.objects.create(
            owner=owner,
            contact=person,
            kind=Reminder.Kind.CUSTOM,
            due_on=dt.date(2026, 12, 1),
            note=f"Remember {n}",
        )
        made = introduction_create(owner=owner, person_a=person, person_b=others[n])
        Introduction.objects.filter(pk=made.pk).update(state=Introduction.State.INTRODUCED)
        others[n].introduced_by = person
        others[n].save()
        CardConflict.objects.create(
            owner=owner, contact=person, field="company", device_value="A", replaced_value="B"
        )
    plan_create(
        owner=owner,
        contacts=[person, *others[:size]],
        kind="coffee",
        starts_at=dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC),
    )
    return person


def test_the_page_takes_the_same_queries_for_a_quiet_and_a_busy_person(
    alice_client, alice, frozen_now, django_assert_num_queries
):
    introducer = ContactFactory(owner=alice, name="Ines Introducer")
    quiet, busy = _person(alice, 2, introducer), _person(alice, 12, introducer)
    pages = {}
    for person in (quiet, busy):
        with django_assert_num_queries(PAGE_QUERIES):
            pages[person] = alice_client.get(reverse("contacts:detail", args=[person.pk]))
    html = pages[busy].content.decode()
    assert "All 120 interactions, page by page" in html
    assert "You both love <strong>Topic 12-0</strong>" in html
    assert "Ines Introducer" in html and "Other 12-11" in html
    assert "Remember 11" in html and "Gift 11" in html and "Gift 0" not in html
    assert "Person 12 introduced you to 12 people and sent you 12 things." in html
    assert "Introducing Person 12 to Other 12-11" in html
    assert "Coffee with" in html
    assert "every 5 weeks instead of 4" in html


def test_the_page_takes_the_same_queries_for_someone_with_nothing_yet(
    alice_client, alice, frozen_now, django_assert_num_queries
):
    """Every section empty (no history, plans, reminders, rhythm of their own, ...) reads as many
    queries as every section full: the bench's busiest person differed by one at 1,000 people."""
    full = _person(alice, 12, ContactFactory(owner=alice, name="Ines Introducer"))
    empty = ContactFactory(owner=alice, name="Nadia Newcomer")
    pages = {}
    for person in (full, empty):
        with django_assert_num_queries(PAGE_QUERIES):
            pages[person] = alice_client.get(reverse("contacts:detail", args=[person.pk]))
    assert "every 5 weeks instead of 4" in pages[full].content.decode()
    html = pages[empty].content.decode()
    assert "Nothing planned with Nadia Newcomer." in html
    assert "nudge went by" not in html and "Coffee with" not in html


def test_the_activity_fragment_reads_only_its_sections(
    alice_client, alice, frozen_now, django_assert_num_queries
):
    busy = _person(alice, 12, None)
    # session, user, the contact, settings; reminders, the stretched rhythm, history with its
    # count.
    with django_assert_num_queries(7):
        response = alice_client.get(
            reverse("contacts:detail", args=[busy.pk]), headers={"HX-Request": "true"}
        )
    assert 'id="activity"' in response.content.decode()
    assert "Log an interaction" not in response.content.decode()
