"""Another user's contacts, circles and interests: 404 on every method, 400 in a body, absent
from lists; nothing of alice's changes (network_crm/owned.py)."""

from __future__ import annotations

import pytest

from contacts.models import Circle, Contact, Interest
from tests.factories import CircleFactory, ContactFactory, InterestFactory

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def alices(alice):
    circle = CircleFactory(owner=alice, name="Alice's circle")
    interest = InterestFactory(owner=alice, name="Alice's interest")
    contact = ContactFactory(owner=alice, name="Alice's friend", circle=circle)
    contact.interests.add(interest)
    return {"contacts": contact, "circles": circle, "interests": interest}


def snapshot() -> list:
    return [
        list(Contact.objects.order_by("pk").values()),
        list(Circle.objects.order_by("pk").values()),
        list(Interest.objects.order_by("pk").values()),
        list(Contact.interests.through.objects.order_by("pk").values()),
    ]


@pytest.mark.parametrize("resource", ["contacts", "circles", "interests"])
def test_bob_gets_404_for_alices_objects(bob_api, alices, resource):
    before = snapshot()
    url = f"/api/v1/{resource}/{alices[resource].pk}/"
    assert bob_api.get(url).status_code == 404
    assert bob_api.put(url, {"name": "Mine"}, format="json").status_code == 404
    assert bob_api.patch(url, {"name": "Mine"}, format="json").status_code == 404
    assert bob_api.delete(url).status_code == 404
    if resource == "interests":
        assert bob_api.post(f"{url}merge/", {"others": [1]}, format="json").status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("resource", ["contacts", "circles", "interests"])
def test_bobs_lists_never_show_alices_rows(bob_api, bob, alices, resource):
    assert bob_api.get(f"/api/v1/{resource}/").json()["results"] == []


def test_bobs_filters_and_search_with_alices_ids_find_nothing(bob_api, bob, alices):
    ContactFactory(owner=bob, name="Bob's friend")
    circle, interest = alices["circles"].pk, alices["interests"].pk
    assert bob_api.get(f"/api/v1/contacts/?circle={circle}").json()["results"] == []
    assert bob_api.get(f"/api/v1/contacts/?interest={interest}").json()["results"] == []
    assert bob_api.get("/api/v1/search/?q=alice").json()["results"] == []
    assert bob_api.get("/api/v1/contacts/?q=alice").json()["results"] == []


def test_bobs_bodies_with_alices_ids_are_refused(bob_api, bob, alices):
    before = snapshot()
    circle, friend = alices["circles"].pk, alices["contacts"].pk
    response = bob_api.post("/api/v1/contacts/", {"name": "X", "circle": circle}, format="json")
    assert response.status_code == 400
    assert response.json()["circle"] == [f"No circle with id {circle} in your network."]
    response = bob_api.post(
        "/api/v1/contacts/", {"name": "X", "introduced_by": friend}, format="json"
    )
    assert response.status_code == 400
    assert "introduced_by" in response.json()
    bobs = ContactFactory(owner=bob)
    response = bob_api.patch(f"/api/v1/contacts/{bobs.pk}/", {"circle": circle}, format="json")
    assert response.status_code == 400
    bobs_interest = InterestFactory(owner=bob)
    response = bob_api.post(
        f"/api/v1/interests/{bobs_interest.pk}/merge/",
        {"others": [alices["interests"].pk]},
        format="json",
    )
    assert response.status_code == 400
    assert snapshot()[0][:1] == before[0][:1]
    assert not Contact.objects.filter(owner=bob, name="X").exists()
    bobs.refresh_from_db()
    assert bobs.circle is None


def test_an_interest_name_alice_has_is_bobs_own_new_interest(bob_api, bob, alices):
    response = bob_api.post(
        "/api/v1/contacts/", {"name": "X", "interests": ["Alice's interest"]}, format="json"
    )
    assert response.status_code == 201
    interest = Interest.objects.get(owner=bob)
    assert interest.pk != alices["interests"].pk
    assert list(alices["contacts"].interests.all()) == [alices["interests"]]
