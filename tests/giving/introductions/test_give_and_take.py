"""The give-and-take line and the "Introductions" card on a person's page."""

from __future__ import annotations

import datetime as dt

import pytest

from giving.introductions_selectors import GiveAndTake, give_and_take, give_and_take_line
from giving.models import Introduction, Share
from giving.services.introductions import introduction_create
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 1)


def _share(owner, contact, direction):
    Share.objects.create(
        owner=owner, contact=contact, direction=direction, title="A talk", shared_on=DAY
    )


def test_counts_each_way_in_one_query(alice, bob, django_assert_num_queries):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    for name in ("Ben", "Chloé", "Dev", "Eli"):
        ContactFactory(owner=alice, name=name, introduced_by=ana)
    ben = ContactFactory(owner=alice, name="Ben Adler")
    for _ in range(2):
        _share(alice, ana, Share.Direction.GIVEN)
    _share(alice, ana, Share.Direction.RECEIVED)
    made = introduction_create(owner=alice, person_a=ana, person_b=ben)
    Introduction.objects.filter(pk=made.pk).update(state=Introduction.State.INTRODUCED)
    introduction_create(owner=alice, person_a=ben, person_b=ana)  # only an idea: not counted
    with django_assert_num_queries(1):
        counts = give_and_take(contact=ana)
    assert counts == GiveAndTake(2, 1, 1, 4)
    assert give_and_take_line(contact=ana, counts=counts) == (
        "You sent Ana Lima 2 things and introduced them to 1 person."
        " · Ana Lima introduced you to 4 people and sent you 1 thing."
    )


def test_a_person_with_nothing_either_way_has_no_line(alice):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    counts = give_and_take(contact=ana)
    assert counts.is_empty
    assert give_and_take_line(contact=ana, counts=counts) == ""


def test_the_line_reads_well_one_way_only(alice):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    line = give_and_take_line(contact=ana, counts=GiveAndTake(0, 0, 1, 0))
    assert line == "You introduced Ana Lima to 1 person."


def test_the_persons_page_shows_introductions_and_credits_the_introducer(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    ben = ContactFactory(owner=alice, name="Ben <Adler>")
    for name in ("Chloé", "Dev", "Eli", "Fay"):
        ContactFactory(owner=alice, name=name, introduced_by=ana)
    introduction_create(owner=alice, person_a=ana, person_b=ben, reason="jobs")
    page = alice_client.get(ana.get_absolute_url()).content.decode()
    assert "Introducing Ana Lima to Ben &lt;Adler&gt;" in page
    assert "Ana Lima introduced you to 4 people." in page
    assert "Introduce Ana Lima to…" in page
    assert "/brief/" in page
    page = alice_client.get(ben.get_absolute_url()).content.decode()
    assert "Introducing Ana Lima to Ben &lt;Adler&gt;" in page


def test_the_persons_page_runs_the_same_queries_with_more_introductions(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lima")

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            alice_client.get(ana.get_absolute_url())
        return len(captured)

    introduction_create(owner=alice, person_a=ana, person_b=ContactFactory(owner=alice))
    few = queries()
    for _ in range(8):
        introduction_create(owner=alice, person_a=ContactFactory(owner=alice), person_b=ana)
    assert queries() == few
