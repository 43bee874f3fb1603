"""What a syncing script relies on: a change of a person's interests marks them changed, "due"
is the user's own today, lists cost the same queries at any size, limits answer 400."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import UserSettings
from contacts.limits import MAX_INTERESTS_PER_OWNER
from contacts.models import Contact, Interest
from tests.factories import CircleFactory, ContactFactory, InterestFactory

pytestmark = pytest.mark.usefixtures("frozen_now")
LATER = "2026-11-28T10:00:00Z"


def changed_since(api, moment: str = LATER) -> list[str]:
    response = api.get(f"/api/v1/contacts/?updated_since={moment}")
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_renaming_merging_or_deleting_an_interest_marks_its_people_changed(
    alice_api, alice, frozen_now
):
    jazz = InterestFactory(owner=alice, name="Jazz")
    bebop = InterestFactory(owner=alice, name="Bebop")
    ada = ContactFactory(owner=alice, name="Ada")
    bea = ContactFactory(owner=alice, name="Bea")
    ContactFactory(owner=alice, name="Cy")
    ada.interests.add(jazz)
    bea.interests.add(bebop)
    frozen_now.shift(dt.timedelta(hours=1))
    assert changed_since(alice_api) == []
    alice_api.patch(f"/api/v1/interests/{jazz.pk}/", {"name": "Swing"}, format="json")
    assert changed_since(alice_api) == ["Ada"]
    frozen_now.shift(dt.timedelta(hours=1))
    alice_api.post(f"/api/v1/interests/{jazz.pk}/merge/", {"others": [bebop.pk]}, format="json")
    assert changed_since(alice_api, "2026-11-28T11:00:00Z") == ["Bea"]
    frozen_now.shift(dt.timedelta(hours=1))
    assert alice_api.delete(f"/api/v1/interests/{jazz.pk}/").status_code == 204
    assert changed_since(alice_api, "2026-11-28T12:00:00Z") == ["Ada", "Bea"]


def test_due_is_the_users_own_today(alice_api, alice, frozen_now):
    UserSettings.objects.filter(user=alice).update(time_zone="Pacific/Auckland")
    ada = ContactFactory(owner=alice, name="Ada")
    Contact.objects.filter(pk=ada.pk).update(next_reach_out_on=dt.date(2026, 11, 29))
    # 20:00 UTC on the 28th is 09:00 on the 29th in Auckland.
    frozen_now.move_to(dt.datetime(2026, 11, 28, 20, tzinfo=dt.UTC))
    rows = alice_api.get("/api/v1/contacts/?due=true").json()["results"]
    assert [row["name"] for row in rows] == ["Ada"]


def test_a_new_interest_past_the_accounts_limit_is_a_400(alice_api, alice):
    Interest.objects.bulk_create(
        [
            Interest(owner=alice, name=f"i{n}", folded_name=f"i{n}")
            for n in range(MAX_INTERESTS_PER_OWNER)
        ]
    )
    response = alice_api.post(
        "/api/v1/contacts/", {"name": "Ada", "interests": ["Brand new"]}, format="json"
    )
    assert response.status_code == 400
    assert "interests" in response.json()
    assert not Contact.objects.filter(owner=alice).exists()
    response = alice_api.post("/api/v1/interests/", {"name": "Brand new"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    # An existing one is still fine.
    response = alice_api.post(
        "/api/v1/contacts/", {"name": "Ada", "interests": ["I1"]}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["interests"] == ["i1"]


@pytest.mark.parametrize("resource", ["circles", "interests"])
def test_circle_and_interest_lists_cost_the_same_queries_at_any_size(
    alice_api, alice, resource, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            circle, interest = CircleFactory(owner=alice), InterestFactory(owner=alice)
            contact = ContactFactory(owner=alice, circle=circle)
            contact.interests.add(interest)

    add(2)
    with django_assert_max_num_queries(10) as few:
        assert alice_api.get(f"/api/v1/{resource}/?page_size=200").status_code == 200
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = alice_api.get(f"/api/v1/{resource}/?page_size=200")
    assert len(response.json()["results"]) == 32
    assert {row["people_count"] for row in response.json()["results"]} == {1}
