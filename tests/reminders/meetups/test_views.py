"""The meetup card on the dashboard and its actions: "Log it" (one group interaction, Undo) and
"Not now" (a dismissal for a week, the single nudges back, Undo)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contacts.models import Contact
from interactions.models import Interaction
from reminders.meetups import meetup_key
from reminders.models import MeetupDismissal
from tests.reminders.meetups.helpers import TODAY, person

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def lisbon(alice):
    return [
        person(alice, "Ana Lima", city="Lisbon", due_in=-5),
        person(alice, "Ben Costa", city="Lisbon", due_in=2),
    ]


def test_the_dashboard_shows_the_card_in_place_of_the_nudges(alice_client, lisbon, frozen_now):
    person(lisbon[0].owner, "Chloé Martin", due_in=-1)
    html = alice_client.get(reverse("dashboard")).content.decode()
    assert "Dinner with Ana Lima and Ben Costa in Lisbon?" in html
    assert 'Log coffee<span class="visually-hidden"> with Chloé Martin' in html
    assert "with Ana Lima</span>" not in html  # no single nudge for her
    assert "due 5 days ago" in html and "due in 2 days" in html
    fragment = alice_client.get(reverse("dashboard"), headers=HTMX).content.decode()
    assert "Dinner with Ana Lima and Ben Costa in Lisbon?" in fragment


def test_log_it_logs_one_interaction_with_everyone_and_nobody_is_due(
    alice_client, alice, lisbon, frozen_now
):
    ids = [contact.pk for contact in lisbon]
    response = alice_client.post(
        reverse("meetups:log"), {"people": ids, "kind": "meal"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Logged meal with Ana Lima and Ben Costa." in html
    interaction = Interaction.objects.get(owner=alice)
    assert interaction.kind == "meal"
    assert sorted(interaction.contacts.values_list("pk", flat=True)) == sorted(ids)
    assert interaction.occurred_on == TODAY
    for contact in Contact.objects.filter(pk__in=ids):
        assert contact.last_interaction_on == TODAY
        assert contact.next_reach_out_on == TODAY + dt.timedelta(days=14)
    assert reverse("interactions:delete", args=[interaction.pk]) in html  # the Undo
    assert "contactChanged" in response.headers["HX-Trigger"]
    dashboard = alice_client.get(reverse("dashboard")).content.decode()
    assert "Dinner with" not in dashboard
    assert "Nobody is due today" in dashboard

    alice_client.post(reverse("interactions:delete", args=[interaction.pk]), headers=HTMX)
    assert "Dinner with Ana Lima and Ben Costa" in alice_client.get("/").content.decode()


def test_log_it_without_htmx_redirects_with_the_message(alice_client, alice, lisbon, frozen_now):
    ids = [contact.pk for contact in lisbon]
    response = alice_client.post(reverse("meetups:log"), {"people": ids, "kind": "coffee"})
    assert response.status_code == 302
    assert Interaction.objects.get(owner=alice).kind == "coffee"
    assert "Logged coffee with Ana Lima and Ben Costa." in alice_client.get("/").content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "meal"}, "This field is required."),
        ({"people": ["one"], "kind": "meal"}, "Select a valid choice."),
        ({"people": ["99999999999999999999"], "kind": "meal"}, "Select a valid choice."),
        ({"kind": "dance"}, "Select a valid choice. dance is not one of the available choices."),
        ({"people": "self", "kind": "meal"}, "A meetup needs at least two people."),
    ],
)
def test_bad_input_logs_nothing_and_says_why(alice_client, alice, lisbon, data, message):
    if data.get("people") == "self":
        data["people"] = [lisbon[0].pk]
    elif "people" not in data:
        data["people"] = [contact.pk for contact in lisbon] if data["kind"] == "dance" else []
    response = alice_client.post(reverse("meetups:log"), data, headers=HTMX)
    assert response.status_code == 200
    assert "Nothing logged:" in response.content.decode()
    assert message in response.content.decode()
    assert not Interaction.objects.exists()


def test_another_users_people_cannot_be_logged_or_dismissed(bob_client, alice, lisbon):
    ids = [contact.pk for contact in lisbon]
    response = bob_client.post(reverse("meetups:log"), {"people": ids, "kind": "meal"})
    assert response.status_code == 302
    assert not Interaction.objects.exists()
    key = meetup_key(shares="city", value="lisbon", contact_ids=ids)
    bob_client.post(reverse("meetups:dismiss"), {"people": ids, "key": key}, headers=HTMX)
    assert not MeetupDismissal.objects.exists()
    MeetupDismissal.objects.create(owner=alice, key=key, until=TODAY)
    response = bob_client.post(reverse("meetups:undo_dismiss"), {"key": key}, headers=HTMX)
    assert "nothing to undo" in response.content.decode()
    assert MeetupDismissal.objects.filter(owner=alice).exists()


def test_not_now_brings_the_single_nudges_back_for_a_week_with_undo(
    alice_client, alice, lisbon, frozen_now
):
    ids = [contact.pk for contact in lisbon]
    html = alice_client.get("/").content.decode()
    key = meetup_key(shares="city", value="lisbon", contact_ids=ids)
    assert f'name="key" value="{key}"' in html
    old = MeetupDismissal.objects.create(owner=alice, key="city:" + "0" * 64, until=TODAY)
    response = alice_client.post(
        reverse("meetups:dismiss"), {"people": ids, "key": key}, headers=HTMX
    )
    text = response.content.decode()
    assert "Not now, then: Ana Lima and Ben Costa are back one by one." in text
    assert "comes up again from Saturday 5 December" in text
    assert "contactChanged" in response.headers["HX-Trigger"]
    dismissal = MeetupDismissal.objects.get(owner=alice)
    assert (dismissal.key, dismissal.until) == (key, TODAY + dt.timedelta(days=7))
    assert not MeetupDismissal.objects.filter(pk=old.pk).exists()  # ended ones are cleared
    dashboard = alice_client.get("/").content.decode()
    assert "Dinner with" not in dashboard
    assert "with Ana Lima</span>" in dashboard  # her own nudge again
    assert "with Ben Costa</span>" not in dashboard  # not due yet: only the card showed him

    response = alice_client.post(reverse("meetups:undo_dismiss"), {"key": key}, headers=HTMX)
    assert "Undone: the meetup is suggested again." in response.content.decode()
    assert not MeetupDismissal.objects.exists()
    assert "Dinner with Ana Lima and Ben Costa" in alice_client.get("/").content.decode()


@pytest.mark.parametrize("key", ["", "city:xyz", "city:" + "A" * 64, "party:" + "0" * 64])
def test_a_malformed_key_is_refused(alice_client, lisbon, key):
    ids = [contact.pk for contact in lisbon]
    response = alice_client.post(
        reverse("meetups:dismiss"), {"people": ids, "key": key}, headers=HTMX
    )
    assert "Nothing changed:" in response.content.decode()
    assert not MeetupDismissal.objects.exists()


def test_hostile_names_and_cities_are_escaped(alice_client, alice, frozen_now):
    person(alice, "<script>alert(1)</script>", city="<b>Lisbon</b>")
    person(alice, "Ben", city="<b>Lisbon</b>")
    html = alice_client.get("/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "in &lt;b&gt;Lisbon&lt;/b&gt;?" in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("name", ["meetups:log", "meetups:dismiss", "meetups:undo_dismiss"])
def test_only_post(alice_client, name):
    assert alice_client.get(reverse(name)).status_code == 405


def test_signed_out_is_sent_to_log_in(client):
    response = client.post(reverse("meetups:log"), {})
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]
