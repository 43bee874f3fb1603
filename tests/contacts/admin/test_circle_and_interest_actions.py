"""The circles' and interests' admin actions: rename a circle and re-time its people, merge
interests; each asked first, done through contacts.services and undone from its message."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from contacts.models import Circle, Contact, Interest
from contacts.services import contacts_recompute_due
from tests.factories import CircleFactory, ContactFactory, InterestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

CIRCLES = reverse("admin:contacts_circle_changelist")
INTERESTS = reverse("admin:contacts_interest_changelist")


def run(client, url: str, action: str, ids: list[int], fields: dict) -> tuple[str, str]:
    first = client.post(url, {"action": action, "index": "0", "_selected_action": ids})
    assert first.status_code == 200
    confirm = {"action": action, "_selected_action": ids, "confirmed": "yes", **fields}
    response = client.post(url, confirm, follow=True)
    assert response.status_code == 200
    return first.content.decode(), response.content.decode()


def undo(client, html: str, url: str) -> str:
    target = re.search(r'<form method="post" action="([^"]+)" class="crm-undo">', html).group(1)
    return client.post(target, {"next": url}, follow=True).content.decode()


@pytest.fixture(params=[False, True], ids=["user", "superuser"])
def admin_client(request, client, alice):
    alice.is_superuser = request.param
    alice.save()
    client.force_login(alice)
    return client


# --- Circles ---------------------------------------------------------------------------------


@pytest.fixture
def friends(alice):
    circle = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    for name, own in (("Amara", None), ("Kwame", 90)):
        ContactFactory(
            owner=alice,
            name=name,
            circle=circle,
            cadence_days=own,
            last_interaction_on=dt.date(2026, 11, 1),
        )
    contacts_recompute_due(owner=alice)
    return circle


def next_dates(owner) -> dict[str, dt.date]:
    return dict(Contact.objects.filter(owner=owner).values_list("name", "next_reach_out_on"))


def test_rename_and_retime_a_circle_then_undo(admin_client, alice, friends):
    assert next_dates(alice) == {"Amara": dt.date(2026, 12, 1), "Kwame": dt.date(2027, 1, 30)}

    page, after = run(
        admin_client,
        CIRCLES,
        "rename_circle",
        [friends.pk],
        {"name": "Good friends", "cadence_days": "14"},
    )

    assert "Rename a circle" in page and 'value="Friends"' in page and 'value="30"' in page
    assert (
        "Renamed “Friends” to “Good friends”; set “Good friends” to every 14 days and "
        "re-timed its 2 people." in after
    )
    friends.refresh_from_db()
    assert (friends.name, friends.cadence_days) == ("Good friends", 14)
    # Amara follows the circle; Kwame keeps his own 90 days.
    assert next_dates(alice) == {"Amara": dt.date(2026, 11, 15), "Kwame": dt.date(2027, 1, 30)}

    undone = undo(admin_client, after, CIRCLES)

    assert "Undone: “Friends” is back as it was." in undone
    friends.refresh_from_db()
    assert (friends.name, friends.cadence_days) == ("Friends", 30)
    assert next_dates(alice) == {"Amara": dt.date(2026, 12, 1), "Kwame": dt.date(2027, 1, 30)}


def test_rename_refuses_a_name_in_use_and_more_than_one_circle(admin_client, alice, friends):
    mentors = CircleFactory(owner=alice, name="Mentors")
    CircleFactory(owner=CircleFactory().owner, name="Taken elsewhere")  # someone else's: fine
    _, after = run(
        admin_client,
        CIRCLES,
        "rename_circle",
        [friends.pk],
        {"name": "mentors", "cadence_days": ""},
    )
    assert "You already have a circle with that name." in after
    _, after = run(
        admin_client,
        CIRCLES,
        "rename_circle",
        [friends.pk, mentors.pk],
        {"name": "Both", "cadence_days": "5"},
    )
    assert "Pick one circle to rename." in after
    assert set(Circle.objects.filter(owner=alice).values_list("name", flat=True)) == {
        "Friends",
        "Mentors",
    }
    _, after = run(
        admin_client,
        CIRCLES,
        "rename_circle",
        [friends.pk],
        {"name": "Taken elsewhere", "cadence_days": "30"},
    )
    assert "Renamed “Friends” to “Taken elsewhere”." in after


def test_rename_cannot_reach_another_users_circle(admin_client, alice, bob, friends):
    theirs = CircleFactory(owner=bob, name="Bob's poker night", cadence_days=7)
    response = admin_client.post(
        CIRCLES,
        {
            "action": "rename_circle",
            "_selected_action": [theirs.pk],
            "confirmed": "yes",
            "name": "Hacked",
            "cadence_days": "1",
        },
        follow=True,
    )
    assert response.status_code == 200
    theirs.refresh_from_db()
    assert (theirs.name, theirs.cadence_days) == ("Bob's poker night", 7)


def test_the_circles_list_counts_people_and_retimes_on_inline_edit(admin_client, alice, friends):
    page = admin_client.get(CIRCLES).content.decode()
    assert '<td class="field-members">2</td>' in page
    response = admin_client.post(
        CIRCLES,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": friends.pk,
            "form-0-cadence_days": "10",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert next_dates(alice)["Amara"] == dt.date(2026, 11, 11)


# --- Interests -------------------------------------------------------------------------------


@pytest.fixture
def interests(alice):
    jazz = InterestFactory(owner=alice, name="Jazz")
    jazz_music = InterestFactory(owner=alice, name="Jazz music", mine=True)
    bebop = InterestFactory(owner=alice, name="Bebop")
    amara = ContactFactory(owner=alice, name="Amara")
    kwame = ContactFactory(owner=alice, name="Kwame")
    lea = ContactFactory(owner=alice, name="Léa")
    amara.interests.add(jazz, jazz_music)  # both: must end with one, not two
    kwame.interests.add(jazz_music)
    lea.interests.add(bebop)
    return {"jazz": jazz, "jazz_music": jazz_music, "bebop": bebop}


def who_has(owner) -> dict[str, list[str]]:
    return {
        interest.name: sorted(interest.contacts.values_list("name", flat=True))
        for interest in Interest.objects.filter(owner=owner)
    }


def test_merge_interests_without_duplicates_then_undo(admin_client, alice, interests):
    before = who_has(alice)
    ids = [interests["jazz"].pk, interests["jazz_music"].pk, interests["bebop"].pk]

    page, after = run(
        admin_client, INTERESTS, "merge_interests", ids, {"keep": interests["jazz"].pk}
    )

    assert "Merge interests" in page and "3 interests" in page
    assert "Merged “Bebop”, “Jazz music” into “Jazz”: 2 people gained it." in after
    assert who_has(alice) == {"Jazz": ["Amara", "Kwame", "Léa"]}
    assert Interest.objects.get(pk=interests["jazz"].pk).mine  # "Jazz music" was one of mine
    through = Contact.interests.through
    assert through.objects.filter(interest_id=interests["jazz"].pk).count() == 3

    undone = undo(admin_client, after, INTERESTS)

    assert "Undone: 2 interests back, with their people." in undone
    assert who_has(alice) == before
    assert not Interest.objects.get(pk=interests["jazz"].pk).mine
    assert Interest.objects.get(pk=interests["jazz_music"].pk).mine


def test_merge_needs_two_and_stays_in_the_users_interests(admin_client, alice, bob, interests):
    _, after = run(
        admin_client,
        INTERESTS,
        "merge_interests",
        [interests["jazz"].pk],
        {"keep": interests["jazz"].pk},
    )
    assert "Pick at least two interests to merge." in after

    theirs = InterestFactory(owner=bob, name="Secret hobby")
    ContactFactory(owner=bob).interests.add(theirs)
    response = admin_client.post(
        INTERESTS,
        {
            "action": "merge_interests",
            "_selected_action": [interests["jazz"].pk, theirs.pk],
            "confirmed": "yes",
            "keep": theirs.pk,
        },
    )
    assert response.status_code == 200  # "keep" is not among the choices: nothing merged
    assert Interest.objects.filter(pk=theirs.pk, owner=bob).exists()
    assert Interest.objects.filter(owner=alice).count() == 3


def test_the_interests_list_counts_people_and_searches_folded(admin_client, alice, interests):
    page = admin_client.get(INTERESTS, {"q": "JÁZZ"})
    names = sorted(i.name for i in page.context["cl"].result_list)
    assert names == ["Jazz", "Jazz music"]
    assert '<td class="field-sharers">2</td>' in page.content.decode()
