"""The interests page: "who would enjoy this?" — each interest a compact row with how many share
it and the three people most recently seen, a link to the rest, searchable, only the owner's, a
constant number of queries."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts import selectors
from contacts.models import Contact
from contacts.services import contact_interest_add, interest_get_or_create
from tests.factories import ContactFactory, InterestFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)  # conftest.FROZEN_NOW


@pytest.fixture(autouse=True, params=["sort the few", "walk the recently seen"])
def strategy(request, monkeypatch):
    """Every test runs with both ways of finding an interest's first people (the page picks one
    by how many share it): they must show the same people in the same order."""
    monkeypatch.setattr(selectors, "WALK_FROM", 10**9 if request.param == "sort the few" else -1)


def text(response) -> str:
    return html.unescape(response.content.decode())


def person(owner, name, *, seen_days_ago=None, interests=(), archived=False) -> Contact:
    contact = ContactFactory(
        owner=owner,
        name=name,
        archived=archived,
        last_interaction_on=TODAY - dt.timedelta(days=seen_days_ago)
        if seen_days_ago is not None
        else None,
    )
    for interest in interests:
        contact_interest_add(contact=contact, name=interest)
    return contact


def card(page: str, interest) -> str:
    """The HTML of one interest's row on the interests page ("" when it isn't there)."""
    match = re.search(
        rf'<li class="interest-row[^"]*">\s*<div class="interest-head">\s*'
        rf'<h2 class="interest-name" id="interest-{interest.pk}">(.*?)</li>',
        page,
        re.S,
    )
    return match.group(1) if match else ""


def names_in(fragment: str) -> list[str]:
    return re.findall(r'class="person-name" href="[^"]*">([^<]+)</a>', fragment)


def test_each_interest_shows_at_most_three_people_most_recently_seen_first(
    alice_client, alice, frozen_now
):
    person(alice, "Never Seen", interests=["Jazz"])
    person(alice, "Seen Long Ago", seen_days_ago=400, interests=["Jazz"])
    person(alice, "Seen Yesterday", seen_days_ago=1, interests=["Jazz"])
    person(alice, "Seen Last Week", seen_days_ago=7, interests=["Jazz"])
    person(alice, "Seen Last Month B", seen_days_ago=30, interests=["Jazz"])
    person(alice, "Seen Last Month A", seen_days_ago=30, interests=["Jazz"])
    person(alice, "Seen Today", seen_days_ago=0, interests=["Jazz"])
    jazz = interest_get_or_create(owner=alice, name="jazz")

    page = text(alice_client.get(reverse("contacts:interests")))

    jazz_card = card(page, jazz)
    assert names_in(jazz_card) == ["Seen Today", "Seen Yesterday", "Seen Last Week"]
    assert "7 people" in jazz_card
    assert "Seen Last Month" not in jazz_card
    assert "Seen Long Ago" not in jazz_card and "Never Seen" not in jazz_card
    more = reverse("contacts:list") + f"?interest={jazz.pk}&sort=last"
    assert f'<a class="interest-more" href="{more}">and 4 more</a>' in jazz_card
    # The interest's name leads to everyone who shares it too.
    assert f'<a href="{more}">Jazz</a>' in jazz_card


def test_same_day_people_come_by_name(alice_client, alice, frozen_now):
    person(alice, "Seen Last Month B", seen_days_ago=30, interests=["Jazz"])
    person(alice, "Seen Last Month A", seen_days_ago=30, interests=["Jazz"])
    jazz = interest_get_or_create(owner=alice, name="jazz")
    page = text(alice_client.get(reverse("contacts:interests")))
    assert names_in(card(page, jazz)) == ["Seen Last Month A", "Seen Last Month B"]


def test_never_seen_people_come_last(alice_client, alice, frozen_now):
    person(alice, "Aaron Never", interests=["Chess"])
    person(alice, "Zed Seen", seen_days_ago=300, interests=["Chess"])
    person(alice, "Bea Never", interests=["Chess"])
    chess = interest_get_or_create(owner=alice, name="Chess")
    page = text(alice_client.get(reverse("contacts:interests")))
    chess_card = card(page, chess)
    assert names_in(chess_card) == ["Zed Seen", "Aaron Never", "Bea Never"]
    assert "3 people" in chess_card
    assert "more</a>" not in chess_card


def test_and_n_more_links_to_the_list_filtered_by_the_interest(alice_client, alice, frozen_now):
    for index in range(8):
        person(alice, f"Jazz Fan {index}", seen_days_ago=index, interests=["Jazz"])
    person(alice, "Chess Player", seen_days_ago=1, interests=["Chess"])
    jazz = interest_get_or_create(owner=alice, name="Jazz")
    page = text(alice_client.get(reverse("contacts:interests")))
    link = re.search(r'<a class="interest-more" href="([^"]+)">and 5 more</a>', card(page, jazz))
    link = link.group(1)

    listed = text(alice_client.get(link))

    assert sorted(names_in(listed)) == [f"Jazz Fan {index}" for index in range(8)]
    assert "Chess Player" not in listed


def test_archived_people_are_left_out_and_not_counted(alice_client, alice, frozen_now):
    for index in range(3):
        person(alice, f"Active {index}", seen_days_ago=10 + index, interests=["Jazz"])
    person(alice, "Archived Recent", seen_days_ago=0, interests=["Jazz"], archived=True)
    person(alice, "Only Archived", seen_days_ago=0, interests=["Opera"], archived=True)
    jazz = interest_get_or_create(owner=alice, name="Jazz")
    opera = interest_get_or_create(owner=alice, name="Opera")

    page = text(alice_client.get(reverse("contacts:interests")))

    assert names_in(card(page, jazz)) == [f"Active {index}" for index in range(3)]
    assert "more</a>" not in card(page, jazz)  # the archived fourth doesn't count
    assert "3 people" in card(page, jazz)
    assert "Archived Recent" not in page
    # An interest only archived people share isn't listed at all.
    assert card(page, opera) == ""
    assert "Opera" not in page


def test_your_own_interests_come_first_even_with_nobody(alice_client, alice, frozen_now):
    person(alice, "Ana", seen_days_ago=3, interests=["Architecture"])
    InterestFactory(owner=alice, name="Zither", mine=True)
    InterestFactory(owner=alice, name="Unused")  # nobody, not mine: not listed
    page = text(alice_client.get(reverse("contacts:interests")))
    assert page.index("Zither") < page.index("Architecture")
    zither = card(page, interest_get_or_create(owner=alice, name="Zither"))
    assert "yours too" in zither
    assert "Nobody else yet." in zither
    assert "Unused" not in page


def test_bobs_interests_and_people_are_never_shown(alice_client, alice, bob, frozen_now):
    person(alice, "Alice's Friend", seen_days_ago=5, interests=["Jazz"])
    person(bob, "Bobs Friend", seen_days_ago=0, interests=["Jazz", "Bobsleigh"])
    InterestFactory(owner=bob, name="Secret hobby", mine=True)
    page = text(alice_client.get(reverse("contacts:interests")))
    assert names_in(page) == ["Alice's Friend"]
    assert "Bobs Friend" not in page
    assert "Bobsleigh" not in page and "Secret hobby" not in page
    # And bob's page shows only bob's.
    bob_client = Client()
    bob_client.force_login(bob)
    bobs_page = text(bob_client.get(reverse("contacts:interests")))
    assert "Bobs Friend" in bobs_page and "Alice's Friend" not in bobs_page


def test_search_filters_interests_ignoring_case_and_accents(alice_client, alice, frozen_now):
    person(
        alice,
        "Ana",
        seen_days_ago=1,
        interests=["Ísland", "Jazz", "Музыка", "Free jazz", "Rock climbing"],
    )
    url = reverse("contacts:interests")

    def listed(query: str) -> list[str]:
        page = text(alice_client.get(url, {"q": query}))
        return re.findall(r'<h2 class="interest-name" id="interest-\d+"><a [^>]*>([^<]+)', page)

    assert listed("ISLAND") == ["Ísland"]
    assert listed("íslánd") == ["Ísland"]
    assert listed("jazz") == ["Free jazz", "Jazz"]
    assert listed("МУЗ") == ["Музыка"]
    assert listed("climbing rock") == ["Rock climbing"]  # every word, any order
    assert listed("") == ["Free jazz", "Ísland", "Jazz", "Rock climbing", "Музыка"]
    page = text(alice_client.get(url, {"q": "opera"}))
    assert "No interest matches “opera”." in page


def test_search_as_htmx_returns_only_the_results(alice_client, alice, frozen_now):
    person(alice, "Ana", seen_days_ago=1, interests=["Jazz", "Chess"])
    response = alice_client.get(
        reverse("contacts:interests"), {"q": "jazz"}, headers={"HX-Request": "true"}
    )
    fragment = text(response)
    assert fragment.lstrip().startswith('<div id="interest-results">')
    assert "<html" not in fragment
    assert "Jazz" in fragment and "Chess" not in fragment


def test_interests_page_needs_a_login(client):
    response = client.get(reverse("contacts:interests"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_query_count_does_not_grow_with_people(
    alice_client, alice, frozen_now, django_assert_num_queries
):
    interests = [interest_get_or_create(owner=alice, name=name) for name in ["A", "B", "C"]]
    through = Contact.interests.through

    def add_people(count: int, prefix: str) -> None:
        people = Contact.objects.bulk_create(
            [
                Contact(
                    owner=alice,
                    name=f"{prefix} {index}",
                    sort_name=f"{prefix.lower()} {index}",
                    added_on=TODAY,
                    last_interaction_on=TODAY - dt.timedelta(days=index),
                )
                for index in range(count)
            ]
        )
        through.objects.bulk_create(
            [
                through(contact_id=contact.pk, interest_id=interest.pk)
                for contact in people
                for interest in interests
            ]
        )

    add_people(2, "Small")
    url = reverse("contacts:interests")
    with CaptureQueriesContext(connection) as small:
        response = alice_client.get(url)
    assert len(names_in(text(response))) == 3 * 2

    add_people(38, "Large")
    with django_assert_num_queries(len(small)):
        response = alice_client.get(url)
    page = text(response)
    assert len(names_in(page)) == 3 * 3
    assert page.count("and 37 more") == 3
    # Not one query per interest or per person either: the session, the user, their settings,
    # the interests with their counts (which also fill "your interests") and their first people.
    assert len(small) == 5
