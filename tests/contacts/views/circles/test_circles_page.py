"""The circles page: list with people counts, add, rename, re-time (everyone in it moves, in one
set-based recompute), delete (people stay, without a circle), and only the owner's circles."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Circle, Contact
from contacts.services import contacts_recompute_due
from tests.factories import CircleFactory, ContactFactory

pytestmark = pytest.mark.django_db

ADDED = dt.date(2026, 11, 1)
CIRCLES = reverse("contacts:circles")
ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def text(response) -> str:
    return html.unescape(response.content.decode())


def follow(client, response) -> str:
    assert response.status_code == 302
    assert response.url == CIRCLES
    return text(client.get(response.url))


def member(owner, name, circle, **fields) -> Contact:
    contact = ContactFactory(owner=owner, name=name, circle=circle, added_on=ADDED, **fields)
    contacts_recompute_due(owner=owner, contact_ids=[contact.pk])
    contact.refresh_from_db()
    return contact


def next_dates(*contacts) -> list[dt.date | None]:
    return [Contact.objects.get(pk=c.pk).next_reach_out_on for c in contacts]


def edit(client, circle, **fields):
    data = {f"c{circle.pk}-{key}": value for key, value in fields.items()}
    return client.post(reverse("contacts:circle_edit", args=[circle.pk]), data)


# --- The list -------------------------------------------------------------------------------------


def test_circles_are_listed_with_their_people_counts(alice_client, alice, bob):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    mentors = CircleFactory(owner=alice, name="Mentors", cadence_days=60)
    empty = CircleFactory(owner=alice, name="Acquaintances", cadence_days=120)
    member(alice, "Ana", friends)
    member(alice, "Bea", friends)
    member(alice, "Gone", friends, archived=True)  # archived people aren't counted
    member(alice, "Carl", mentors)
    CircleFactory(owner=bob, name="Bob's poker night")

    page = text(alice_client.get(CIRCLES))

    assert f'<a href="/contacts/?circle={friends.pk}">2 people</a>' in page
    assert f'<a href="/contacts/?circle={mentors.pk}">1 person</a>' in page
    assert f'<a href="/contacts/?circle={empty.pk}">0 people</a>' in page
    assert 'value="Friends"' in page and 'value="120"' in page
    assert "poker" not in page


def test_the_count_links_to_the_people_in_the_circle(alice_client, alice):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    member(alice, "Ana In Friends", friends)
    member(alice, "Bea Elsewhere", None)
    listed = text(alice_client.get(f"/contacts/?circle={friends.pk}"))
    assert "Ana In Friends" in listed and "Bea Elsewhere" not in listed


def test_no_circles_yet(alice_client, alice):
    assert "No circles yet." in text(alice_client.get(CIRCLES))


def test_circles_page_needs_a_login(client):
    response = client.get(CIRCLES)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Add ------------------------------------------------------------------------------------------


def test_add_a_circle(alice_client, alice):
    response = alice_client.post(
        CIRCLES, {"new-name": "  Climbing   crew ", "new-cadence_days": "21"}
    )
    assert "Circle “Climbing crew” added." in follow(alice_client, response)
    circle = Circle.objects.get(owner=alice)
    assert (circle.name, circle.cadence_days) == ("Climbing crew", 21)


def test_add_a_circle_without_a_rhythm(alice_client, alice):
    alice_client.post(CIRCLES, {"new-name": "Book club", "new-cadence_days": ""})
    assert Circle.objects.get(owner=alice).cadence_days is None


@pytest.mark.parametrize("name", ["Friends", "friends", " FRIENDS ", "FrIeNdS"])
def test_a_duplicate_name_is_refused_ignoring_case(alice_client, alice, name):
    CircleFactory(owner=alice, name="Friends", cadence_days=30)
    response = alice_client.post(CIRCLES, {"new-name": name, "new-cadence_days": "14"})
    assert response.status_code == 200
    assert "You already have a circle with this name." in text(response)
    assert list(Circle.objects.values_list("name", "cadence_days")) == [("Friends", 30)]


def test_a_duplicate_name_in_other_letters_is_refused_ignoring_case(alice_client, alice):
    CircleFactory(owner=alice, name="Équipe", cadence_days=30)
    CircleFactory(owner=alice, name="Друзья", cadence_days=14)
    for name in ["ÉQUIPE", "équipe", "ДРУЗЬЯ"]:
        response = alice_client.post(CIRCLES, {"new-name": name, "new-cadence_days": "7"})
        assert "You already have a circle with this name." in text(response), name
    assert Circle.objects.count() == 2


def test_another_users_circle_name_is_no_clash(alice_client, alice, bob):
    CircleFactory(owner=bob, name="Friends")
    response = alice_client.post(CIRCLES, {"new-name": "Friends", "new-cadence_days": "30"})
    assert "Circle “Friends” added." in follow(alice_client, response)
    assert Circle.objects.filter(name="Friends").count() == 2


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"new-name": "", "new-cadence_days": "14"}, "This field is required."),
        (
            {"new-name": "Daily", "new-cadence_days": "0"},
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            {"new-name": "Rarely", "new-cadence_days": "5000"},
            "Ensure this value is less than or equal to 3650.",
        ),
    ],
)
def test_an_invalid_new_circle_is_refused(alice_client, alice, data, error):
    response = alice_client.post(CIRCLES, data)
    assert response.status_code == 200
    assert error in text(response)
    assert not Circle.objects.exists()


# --- Rename and re-time ---------------------------------------------------------------------------


def test_rename_keeps_everyones_dates(alice_client, alice):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    ana = member(alice, "Ana", friends)
    before = next_dates(ana)
    response = edit(alice_client, friends, name="Old friends", cadence_days="30")
    page = follow(alice_client, response)
    assert "Circle “Old friends” saved." in page
    assert "Everyone in it has been re-timed." not in page
    friends.refresh_from_db()
    assert friends.name == "Old friends"
    assert next_dates(ana) == before


def test_rename_to_an_existing_name_is_refused(alice_client, alice):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    CircleFactory(owner=alice, name="Mentors", cadence_days=60)
    response = edit(alice_client, friends, name="MENTORS", cadence_days="14")
    assert "You already have a circle with this name." in follow(alice_client, response)
    friends.refresh_from_db()
    assert (friends.name, friends.cadence_days) == ("Friends", 30)


def test_renaming_a_circle_to_its_own_name_in_other_case_is_fine(alice_client, alice):
    friends = CircleFactory(owner=alice, name="friends", cadence_days=30)
    edit(alice_client, friends, name="Friends", cadence_days="30")
    friends.refresh_from_db()
    assert friends.name == "Friends"


def test_retiming_a_circle_moves_everyone_in_it(alice_client, alice, frozen_now):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    mentors = CircleFactory(owner=alice, name="Mentors", cadence_days=30)
    ana = member(alice, "Ana", friends)
    bea = member(alice, "Bea", friends, snoozed_until=dt.date(2027, 3, 1))
    own = member(alice, "Own Rhythm", friends, cadence_days=7)
    gone = member(alice, "Archived", friends, archived=True)
    other = member(alice, "In Mentors", mentors)
    assert next_dates(ana, bea, own, gone, other) == [
        dt.date(2026, 12, 1),
        dt.date(2027, 3, 1),
        dt.date(2026, 11, 8),
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 1),
    ]

    response = edit(alice_client, friends, name="Friends", cadence_days="60")

    assert "Circle “Friends” saved. Everyone in it has been re-timed." in follow(
        alice_client, response
    )
    assert next_dates(ana, bea, own, gone, other) == [
        dt.date(2026, 12, 31),
        dt.date(2027, 3, 1),  # the snooze still pushes later
        dt.date(2026, 11, 8),  # their own rhythm wins
        dt.date(2026, 12, 31),
        dt.date(2026, 12, 1),  # another circle: untouched
    ]


def test_clearing_a_circles_rhythm_stops_its_reminders(alice_client, alice, frozen_now):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    ana = member(alice, "Ana", friends)
    own = member(alice, "Own Rhythm", friends, cadence_days=7)
    edit(alice_client, friends, name="Friends", cadence_days="")
    assert next_dates(ana, own) == [None, dt.date(2026, 11, 8)]


def test_an_invalid_rhythm_is_refused_and_nothing_moves(alice_client, alice, frozen_now):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    ana = member(alice, "Ana", friends)
    response = edit(alice_client, friends, name="Friends", cadence_days="0")
    assert "Ensure this value is greater than or equal to 1." in follow(alice_client, response)
    friends.refresh_from_db()
    assert friends.cadence_days == 30
    assert next_dates(ana) == [dt.date(2026, 12, 1)]


def test_retiming_is_one_set_based_recompute(
    alice_client, alice, frozen_now, django_assert_num_queries
):
    small_circle = CircleFactory(owner=alice, name="Small", cadence_days=30)
    large_circle = CircleFactory(owner=alice, name="Large", cadence_days=30)
    small = [member(alice, f"S{index}", small_circle) for index in range(2)]
    large = [member(alice, f"L{index}", large_circle) for index in range(30)]

    with CaptureQueriesContext(connection) as two:
        edit(alice_client, small_circle, name="Small", cadence_days="60")
    with django_assert_num_queries(len(two)):
        edit(alice_client, large_circle, name="Large", cadence_days="60")

    assert set(next_dates(*small, *large)) == {dt.date(2026, 12, 31)}


# --- Delete ---------------------------------------------------------------------------------------


def test_delete_leaves_its_people_without_a_circle_and_re_timed(alice_client, alice, frozen_now):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    mentors = CircleFactory(owner=alice, name="Mentors", cadence_days=60)
    ana = member(alice, "Ana", friends)
    own = member(alice, "Own Rhythm", friends, cadence_days=7)
    other = member(alice, "In Mentors", mentors)

    response = alice_client.post(reverse("contacts:circle_delete", args=[friends.pk]))

    assert "Circle “Friends” deleted; 2 people in it now have no circle." in follow(
        alice_client, response
    )
    assert not Circle.objects.filter(pk=friends.pk).exists()
    assert Contact.objects.filter(owner=alice).count() == 3
    assert list(
        Contact.objects.filter(circle=None).order_by("name").values_list("name", flat=True)
    ) == [
        "Ana",
        "Own Rhythm",
    ]
    assert next_dates(ana, own, other) == [None, dt.date(2026, 11, 8), dt.date(2026, 12, 31)]


def test_deleting_an_empty_circle(alice_client, alice):
    empty = CircleFactory(owner=alice, name="Empty")
    response = alice_client.post(reverse("contacts:circle_delete", args=[empty.pk]))
    assert "Circle “Empty” deleted; 0 people in it now have no circle." in follow(
        alice_client, response
    )
    assert not Circle.objects.exists()


def test_deleting_a_circle_with_one_person_says_so_in_good_english(alice_client, alice):
    small = CircleFactory(owner=alice, name="Small")
    member(alice, "Ana", small)
    response = alice_client.post(reverse("contacts:circle_delete", args=[small.pk]))
    assert "Circle “Small” deleted; 1 person in it now has no circle." in follow(
        alice_client, response
    )


# --- Only the owner's circles ---------------------------------------------------------------------


def test_bob_cannot_edit_or_delete_alices_circle(bob_client, alice, bob, frozen_now):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    ana = member(alice, "Ana", friends)

    response = edit(bob_client, friends, name="Hacked", cadence_days="1")
    assert response.status_code == 404
    response = bob_client.post(reverse("contacts:circle_delete", args=[friends.pk]))
    assert response.status_code == 404

    friends.refresh_from_db()
    assert (friends.name, friends.cadence_days) == ("Friends", 30)
    assert Contact.objects.get(pk=ana.pk).circle == friends
    assert next_dates(ana) == [dt.date(2026, 12, 1)]


def test_edit_and_delete_only_accept_post(alice_client, alice):
    friends = CircleFactory(owner=alice, name="Friends")
    assert alice_client.get(reverse("contacts:circle_edit", args=[friends.pk])).status_code == 405
    assert alice_client.get(reverse("contacts:circle_delete", args=[friends.pk])).status_code == 405
    assert Circle.objects.filter(pk=friends.pk).exists()


def test_circles_are_listed_closest_rhythm_first_without_a_rhythm_last(alice_client, alice):
    CircleFactory(owner=alice, name="Book club", cadence_days=None)
    CircleFactory(owner=alice, name="Mentors", cadence_days=60)
    CircleFactory(owner=alice, name="Close friends", cadence_days=14)
    CircleFactory(owner=alice, name="Climbing crew", cadence_days=14)
    page = text(alice_client.get(CIRCLES))
    expected = ["Climbing crew", "Close friends", "Mentors", "Book club"]
    order = [page.index(f'value="{name}"') for name in expected]
    assert order == sorted(order)
