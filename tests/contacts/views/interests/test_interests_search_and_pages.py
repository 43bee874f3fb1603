"""The interests page stays short with hundreds of interests: searched on the same folding as
every search (accents, apostrophes, case), thirty rows a page with the search kept, a count on
every row, the user's own interests first, only the owner's."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from contacts.models import Contact, Interest
from contacts.services import contact_interest_add
from tests.factories import ContactFactory, InterestFactory

pytestmark = pytest.mark.django_db

URL = reverse("contacts:interests")
HTMX = {"HX-Request": "true"}


def listed(response) -> list[str]:
    page = html.unescape(response.content.decode())
    return re.findall(r'<h2 class="interest-name" id="interest-\d+">(?:<a [^>]*>)?([^<]+)', page)


@pytest.fixture
def shared(alice):
    names = ["Café culture", "O’Brien's pub quiz", "Crème brûlée", "Jazz", "Free jazz"]
    for index, name in enumerate(names):
        contact_interest_add(contact=ContactFactory(owner=alice, name=f"F{index}"), name=name)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("cafe", ["Café culture"]),
        ("CAFÉ", ["Café culture"]),
        ("obrien", ["O’Brien's pub quiz"]),
        ("o'brien", ["O’Brien's pub quiz"]),
        ("O’BRIENS", ["O’Brien's pub quiz"]),
        ("creme brulee", ["Crème brûlée"]),
        ("jazz", ["Free jazz", "Jazz"]),
        ("quiz pub", ["O’Brien's pub quiz"]),
    ],
)
def test_search_is_folded_like_every_search(alice_client, shared, query, found):
    assert listed(alice_client.get(URL, {"q": query})) == found
    # The same through htmx: only the results come back.
    fragment = alice_client.get(URL, {"q": query}, headers=HTMX)
    assert listed(fragment) == found
    assert "<form" not in fragment.content.decode()


def test_without_javascript_the_search_is_a_plain_get(alice_client, shared):
    page = alice_client.get(URL, {"q": "cafe"}).content.decode()
    form = page.split('role="search"')[0].rsplit("<form", 1)[1] + page.split('role="search"')[1]
    assert 'method="get"' in form and f'action="{URL}"' in form
    assert 'name="q"' in form and 'value="cafe"' in form
    assert '<button class="button secondary" type="submit">Find</button>' in page
    assert "1 interest matches “cafe”" in html.unescape(page)


def test_another_users_interests_are_never_found(alice_client, alice, bob, shared):
    contact_interest_add(contact=ContactFactory(owner=bob, name="Bob Pal"), name="Café society")
    InterestFactory(owner=bob, name="Cafe racers", mine=True)
    assert listed(alice_client.get(URL, {"q": "cafe"})) == ["Café culture"]
    assert "Bob Pal" not in alice_client.get(URL, {"q": "cafe"}).content.decode()


def test_hundreds_of_interests_come_thirty_a_page_with_the_search_kept(alice_client, alice):
    contacts = Contact.objects.bulk_create(
        [ContactFactory.build(owner=alice, name=f"P{index}") for index in range(3)]
    )
    interests = Interest.objects.bulk_create(
        [
            Interest(owner=alice, name=f"Topic {index:03d}", folded_name=f"topic {index:03d}")
            for index in range(520)
        ]
    )
    through = Contact.interests.through
    through.objects.bulk_create(
        [
            through(contact_id=contacts[index % 3].pk, interest_id=interest.pk)
            for index, interest in enumerate(interests)
        ]
    )
    first = alice_client.get(URL)
    assert listed(first) == [f"Topic {index:03d}" for index in range(30)]
    page = html.unescape(first.content.decode())
    assert "520 interests · page 1 of 18" in page
    assert page.count('<li class="interest-row') == 30
    assert page.count("1 person</span>") == 30

    # Every word of the search is in the name: "topic 1" is any number with a 1 in it; the
    # search stays in the next page's link.
    matching = [f"Topic {index:03d}" for index in range(520) if "1" in f"{index:03d}"]
    found = alice_client.get(URL, {"q": "topic 1"})
    assert listed(found) == matching[:30]
    assert f"{len(matching)} interests match “topic 1”" in html.unescape(found.content.decode())
    assert 'href="?q=topic+1&amp;page=2"' in found.content.decode()
    second = alice_client.get(URL, {"q": "topic 1", "page": "2"})
    assert listed(second) == matching[30:60]


def test_each_row_counts_the_active_people_and_your_own_come_first(alice_client, alice):
    for _ in range(4):
        contact_interest_add(contact=ContactFactory(owner=alice), name="Chess")
    contact_interest_add(contact=ContactFactory(owner=alice, archived=True), name="Chess")
    contact_interest_add(contact=ContactFactory(owner=alice), name="Archery")
    InterestFactory(owner=alice, name="Zither", mine=True)
    page = html.unescape(alice_client.get(URL).content.decode())
    assert listed(alice_client.get(URL)) == ["Zither", "Archery", "Chess"]
    rows = page.split('<li class="interest-row')[1:]
    assert "yours too" in rows[0] and "Nobody else yet." in rows[0]
    assert '<span class="interest-count">1 person</span>' in rows[1]
    assert '<span class="interest-count">4 people</span>' in rows[2]
    # Your own interests' form is still above the list.
    assert page.index('id="my-interests"') < page.index('class="interest-row')
    assert 'name="mine-interests" value="Zither"' in page
