"""/api/v1/circles/, interests/ and search/ through the services the pages use."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import Circle, Contact, Interest
from tests.factories import CircleFactory, ContactFactory, InterestFactory

pytestmark = pytest.mark.usefixtures("frozen_now")


# --- Circles -------------------------------------------------------------------------------------


def test_create_a_circle(alice_api, alice):
    response = alice_api.post(
        "/api/v1/circles/", {"name": " Climbers ", "cadence_days": 21}, format="json"
    )
    assert response.status_code == 201, response.json()
    circle = Circle.objects.get(owner=alice, name="Climbers")
    assert response.json() == {
        "id": circle.pk,
        "name": "Climbers",
        "cadence_days": 21,
        "people_count": 0,
    }
    assert response["Location"].endswith(f"/api/v1/circles/{circle.pk}/")


def test_a_new_cadence_re_times_everyone_in_the_circle(alice_api, alice, frozen_now):
    circle = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    ada = ContactFactory(owner=alice, circle=circle)
    ContactFactory(owner=alice, circle=circle, archived=True)
    frozen_now.shift(dt.timedelta(hours=1))
    response = alice_api.patch(f"/api/v1/circles/{circle.pk}/", {"cadence_days": 10}, format="json")
    assert response.status_code == 200
    assert response.json()["people_count"] == 1
    assert response.json()["name"] == "Friends"
    ada.refresh_from_db()
    assert ada.next_reach_out_on == dt.date(2026, 1, 11)
    # The circle's name shows on phone cards: its people are marked changed.
    assert ada.updated_at == dt.datetime(2026, 11, 28, 10, 30, tzinfo=dt.UTC)


def test_circle_names_are_unique_folded(alice_api, alice):
    CircleFactory(owner=alice, name="Amigos")
    other = CircleFactory(owner=alice, name="Work")
    response = alice_api.post("/api/v1/circles/", {"name": "AMIGOS"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    response = alice_api.patch(f"/api/v1/circles/{other.pk}/", {"name": "amigos"}, format="json")
    assert response.status_code == 400
    assert Circle.objects.filter(owner=alice).count() == 2
    other.refresh_from_db()
    assert other.name == "Work"


@pytest.mark.parametrize("body", [{"name": ""}, {"name": "X", "cadence_days": 0}, {}])
def test_bad_circles_are_400(alice_api, alice, body):
    assert alice_api.post("/api/v1/circles/", body, format="json").status_code == 400
    assert not Circle.objects.filter(owner=alice).exists()


def test_deleting_a_circle_keeps_its_people(alice_api, alice):
    circle = CircleFactory(owner=alice, cadence_days=7)
    ada = ContactFactory(owner=alice, circle=circle)
    ada.refresh_from_db()
    assert ada.next_reach_out_on is None  # factories skip the service
    response = alice_api.delete(f"/api/v1/circles/{circle.pk}/")
    assert response.status_code == 204
    ada.refresh_from_db()
    assert ada.circle is None
    assert ada.next_reach_out_on is None
    assert not Circle.objects.filter(pk=circle.pk).exists()


def test_circles_list(alice_api, alice):
    CircleFactory(owner=alice, name="B")
    CircleFactory(owner=alice, name="A")
    rows = alice_api.get("/api/v1/circles/").json()["results"]
    assert [row["name"] for row in rows] == ["B", "A"]


# --- Interests -----------------------------------------------------------------------------------


def test_create_rename_and_delete_an_interest(alice_api, alice):
    response = alice_api.post("/api/v1/interests/", {"name": "Jazz", "mine": True}, format="json")
    assert response.status_code == 201, response.json()
    interest = Interest.objects.get(owner=alice)
    assert response.json() == {"id": interest.pk, "name": "Jazz", "mine": True, "people_count": 0}
    ada = ContactFactory(owner=alice)
    ada.interests.add(interest)
    response = alice_api.patch(
        f"/api/v1/interests/{interest.pk}/", {"name": "Bebop"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"id": interest.pk, "name": "Bebop", "mine": True, "people_count": 1}
    interest.refresh_from_db()
    assert interest.folded_name == "bebop"
    assert alice_api.delete(f"/api/v1/interests/{interest.pk}/").status_code == 204
    assert not Interest.objects.filter(owner=alice).exists()
    assert Contact.objects.filter(pk=ada.pk).exists()


def test_interest_names_are_unique_folded(alice_api, alice):
    InterestFactory(owner=alice, name="Jazz")
    other = InterestFactory(owner=alice, name="Blues")
    response = alice_api.post("/api/v1/interests/", {"name": "JAZZ"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    response = alice_api.patch(f"/api/v1/interests/{other.pk}/", {"name": "jázz"}, format="json")
    assert response.status_code == 400
    assert "merge" in response.json()["name"][0]
    other.refresh_from_db()
    assert other.name == "Blues"


def test_merge_interests(alice_api, alice, bob):
    jazz = InterestFactory(owner=alice, name="Jazz")
    bebop = InterestFactory(owner=alice, name="Bebop", mine=True)
    ada = ContactFactory(owner=alice)
    ada.interests.add(bebop)
    response = alice_api.post(
        f"/api/v1/interests/{jazz.pk}/merge/", {"others": [bebop.pk]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"id": jazz.pk, "name": "Jazz", "mine": True, "people_count": 1}
    assert list(ada.interests.all()) == [jazz]
    assert not Interest.objects.filter(pk=bebop.pk).exists()


def test_merge_refuses_unknown_and_foreign_ids(alice_api, alice, bob):
    jazz = InterestFactory(owner=alice, name="Jazz")
    bobs = InterestFactory(owner=bob, name="Bebop")
    response = alice_api.post(
        f"/api/v1/interests/{jazz.pk}/merge/", {"others": [bobs.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "others" in response.json()
    assert Interest.objects.filter(pk=bobs.pk).exists()
    response = alice_api.post(f"/api/v1/interests/{bobs.pk}/merge/", {"others": [jazz.pk]})
    assert response.status_code == 404
    assert Interest.objects.filter(owner=alice).count() == 1


def test_interests_list_and_mine_filter(alice_api, alice):
    InterestFactory(owner=alice, name="Jazz", mine=True)
    InterestFactory(owner=alice, name="Opera")
    rows = alice_api.get("/api/v1/interests/").json()["results"]
    assert [row["name"] for row in rows] == ["Jazz", "Opera"]
    rows = alice_api.get("/api/v1/interests/?mine=true").json()["results"]
    assert [row["name"] for row in rows] == ["Jazz"]
    assert alice_api.get("/api/v1/interests/?mine=maybe").status_code == 400


# --- Search --------------------------------------------------------------------------------------


def test_search_is_the_apps_search(alice_api, alice):
    emile = ContactFactory(owner=alice, name="Émile Zola")
    emile.methods.create(owner=alice, kind="phone", value="+33 1 23 45 67")
    ContactFactory(owner=alice, name="Emil Archived", archived=True)
    ContactFactory(owner=alice, name="Someone Else")
    response = alice_api.get("/api/v1/search/?q=emile")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["name"] for row in rows] == ["Émile Zola"]
    assert rows[0]["id"] == emile.pk
    assert [r["name"] for r in alice_api.get("/api/v1/search/?q=234567").json()["results"]] == [
        "Émile Zola"
    ]
    archived = alice_api.get("/api/v1/search/?q=emil&archived=true").json()["results"]
    assert [row["name"] for row in archived] == ["Emil Archived"]


def test_search_needs_words(alice_api, alice):
    response = alice_api.get("/api/v1/search/?q=%20")
    assert response.status_code == 400
    assert "q" in response.json()
    assert alice_api.get("/api/v1/search/").status_code == 400


def test_read_tokens_cannot_change_circles_or_interests(alice_api_read, alice):
    circle = CircleFactory(owner=alice, name="Friends")
    interest = InterestFactory(owner=alice, name="Jazz")
    assert alice_api_read.get("/api/v1/circles/").status_code == 200
    assert alice_api_read.get("/api/v1/search/?q=x").status_code == 200
    assert alice_api_read.post("/api/v1/circles/", {"name": "X"}, format="json").status_code == 403
    url = f"/api/v1/circles/{circle.pk}/"
    assert alice_api_read.patch(url, {"name": "X"}, format="json").status_code == 403
    assert alice_api_read.delete(url).status_code == 403
    assert (
        alice_api_read.post("/api/v1/interests/", {"name": "X"}, format="json").status_code == 403
    )
    url = f"/api/v1/interests/{interest.pk}/"
    assert alice_api_read.post(f"{url}merge/", {"others": [interest.pk]}).status_code == 403
    assert alice_api_read.delete(url).status_code == 403
    assert list(Circle.objects.filter(owner=alice).values_list("name", flat=True)) == ["Friends"]
    assert list(Interest.objects.filter(owner=alice).values_list("name", flat=True)) == ["Jazz"]


def test_a_retried_merge_answers_the_same(alice_api, alice):
    jazz = InterestFactory(owner=alice, name="Jazz")
    bebop = InterestFactory(owner=alice, name="Bebop")
    url = f"/api/v1/interests/{jazz.pk}/merge/"
    first = alice_api.post(url, {"others": [bebop.pk]}, format="json", HTTP_IDEMPOTENCY_KEY="m")
    again = alice_api.post(url, {"others": [bebop.pk]}, format="json", HTTP_IDEMPOTENCY_KEY="m")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert list(Interest.objects.filter(owner=alice)) == [jazz]
