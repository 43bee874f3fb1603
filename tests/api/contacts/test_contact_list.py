"""The contact list's filters, pages and query count (api/views/contacts.py, ContactFilter)."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import Contact
from tests.factories import CircleFactory, ContactFactory, InterestFactory

pytestmark = pytest.mark.usefixtures("frozen_now")


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def people(alice):
    climbers = CircleFactory(owner=alice, name="Climbers", cadence_days=14)
    jazz = InterestFactory(owner=alice, name="Jazz")
    ada = ContactFactory(owner=alice, name="Ada", circle=climbers)
    ada.interests.add(jazz)
    ContactFactory(owner=alice, name="Bea", archived=True)
    cy = ContactFactory(owner=alice, name="Cy", company="Émile & Co")
    Contact.objects.filter(pk=cy.pk).update(next_reach_out_on=dt.date(2026, 11, 28))
    Contact.objects.filter(pk=ada.pk).update(next_reach_out_on=dt.date(2026, 11, 29))
    return {"climbers": climbers, "jazz": jazz}


def test_filters(alice_api, people):
    assert names(alice_api.get("/api/v1/contacts/")) == ["Ada", "Bea", "Cy"]
    assert names(alice_api.get("/api/v1/contacts/?archived=true")) == ["Bea"]
    assert names(alice_api.get("/api/v1/contacts/?archived=false")) == ["Ada", "Cy"]
    circle = people["climbers"].pk
    assert names(alice_api.get(f"/api/v1/contacts/?circle={circle}")) == ["Ada"]
    assert names(alice_api.get("/api/v1/contacts/?circle=none")) == ["Bea", "Cy"]
    interest = people["jazz"].pk
    assert names(alice_api.get(f"/api/v1/contacts/?interest={interest}")) == ["Ada"]
    # Due today (28 November, UTC) in alice's time zone.
    assert names(alice_api.get("/api/v1/contacts/?due=true")) == ["Cy"]
    assert names(alice_api.get("/api/v1/contacts/?due=false")) == ["Ada", "Bea"]
    assert names(alice_api.get("/api/v1/contacts/?q=emile")) == ["Cy"]
    assert names(alice_api.get("/api/v1/contacts/?q=jazz")) == ["Ada"]


@pytest.mark.parametrize(
    "query", ["archived=perhaps", "circle=abc", "interest=1.5", "due=2", "updated_since=yesterday"]
)
def test_bad_filters_are_400(alice_api, people, query):
    response = alice_api.get(f"/api/v1/contacts/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_updated_since(alice_api, alice, frozen_now):
    ContactFactory(owner=alice, name="Old")
    frozen_now.shift(dt.timedelta(hours=2))
    ContactFactory(owner=alice, name="New")
    assert names(alice_api.get("/api/v1/contacts/?updated_since=2026-11-28T10:00:00Z")) == ["New"]
    # A client that sends the offset unencoded ("+" becomes a space) is understood.
    assert names(alice_api.get("/api/v1/contacts/?updated_since=2026-11-28T11:00:00+01:00")) == [
        "New"
    ]


def test_pages_walk_everyone_once(alice_api, alice):
    for number in range(7):
        ContactFactory(owner=alice, name=f"P{number}")
    seen, url = [], "/api/v1/contacts/?page_size=3"
    while url:
        body = alice_api.get(url).json()
        seen += [row["name"] for row in body["results"]]
        url = body["next"]
    assert seen == [f"P{n}" for n in range(7)]


def test_the_list_costs_the_same_queries_at_any_size(
    alice_api, alice, django_assert_max_num_queries
):
    def add(count):
        circle = CircleFactory(owner=alice)
        interest = InterestFactory(owner=alice)
        for _ in range(count):
            contact = ContactFactory(owner=alice, circle=circle)
            contact.interests.add(interest)
            contact.methods.create(owner=alice, kind="email", value="a@example.com")
            contact.dates.create(owner=alice, month=1, day=2)

    add(2)
    with django_assert_max_num_queries(12) as few:
        assert alice_api.get("/api/v1/contacts/?page_size=200").status_code == 200
    add(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = alice_api.get("/api/v1/contacts/?page_size=200")
    assert len(response.json()["results"]) == 42
