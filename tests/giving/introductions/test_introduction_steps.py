"""Introductions through their double opt-in steps: the service, and the pages that drive it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contacts.models import Contact
from giving.models import Introduction
from giving.services.introductions import (
    IntroductionRefused,
    introduction_create,
    introduction_move,
)
from interactions.models import Interaction
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()
State = Introduction.State


@pytest.fixture
def ana(alice):
    return ContactFactory(owner=alice, name="Ana Lima")


@pytest.fixture
def ben(alice):
    return ContactFactory(owner=alice, name="Ben Adler")


def test_reaching_introduced_logs_one_introduction_with_both_and_moves_their_dates(alice, ana, ben):
    introduction = introduction_create(
        owner=alice, person_a=ana, person_b=ben, reason="Both into climbing"
    )
    for state in (State.ASKED_A, State.ASKED_B, State.AGREED):
        introduction_move(introduction=introduction, state=state, now=NOW, today=TODAY)
    assert not Interaction.objects.exists()
    introduction_move(introduction=introduction, state=State.INTRODUCED, now=NOW, today=TODAY)
    introduction_move(
        introduction=introduction, state=State.DONE, now=NOW, today=TODAY, outcome="They met"
    )
    (interaction,) = Interaction.objects.all()
    assert interaction.kind == Interaction.Kind.INTRODUCTION
    assert set(interaction.contacts.all()) == {ana, ben}
    assert "Both into climbing" in interaction.notes
    introduction.refresh_from_db()
    assert (introduction.interaction, introduction.introduced_on) == (interaction, TODAY)
    assert introduction.outcome == "They met"
    assert set(Contact.objects.values_list("last_interaction_on", flat=True)) == {TODAY}


def test_going_back_before_introduced_takes_the_interaction_back(alice, ana, ben):
    introduction = introduction_create(owner=alice, person_a=ana, person_b=ben)
    introduction_move(introduction=introduction, state=State.INTRODUCED, now=NOW, today=TODAY)
    previous = introduction_move(
        introduction=introduction, state=State.AGREED, now=NOW, today=TODAY
    )
    assert previous == State.INTRODUCED
    assert not Interaction.objects.exists()
    introduction.refresh_from_db()
    assert (introduction.state, introduction.introduced_on) == (State.AGREED, None)
    assert set(Contact.objects.values_list("last_interaction_on", flat=True)) == {None}


def test_declining_after_the_introduction_keeps_what_happened(alice, ana, ben):
    introduction = introduction_create(owner=alice, person_a=ana, person_b=ben)
    introduction_move(introduction=introduction, state=State.INTRODUCED, now=NOW, today=TODAY)
    introduction_move(introduction=introduction, state=State.DECLINED, now=NOW, today=TODAY)
    assert Interaction.objects.count() == 1


def test_one_person_cannot_be_introduced_to_themselves(alice, ana):
    with pytest.raises(IntroductionRefused):
        introduction_create(owner=alice, person_a=ana, person_b=ana)


def test_the_add_page_finds_people_then_saves_the_introduction(alice_client, alice, ana, ben):
    url = reverse("introductions:add")
    page = alice_client.get(url, {"a": ana.pk, "q": "adler"})
    assert "Introduce Ana Lima to…" in page.content.decode()
    assert f"b={ben.pk}" in page.content.decode()
    page = alice_client.get(url, {"a": ana.pk, "b": ben.pk})
    assert "Why should Ana Lima and Ben Adler meet?" in page.content.decode()
    response = alice_client.post(
        url, {"person_a": ana.pk, "person_b": ben.pk, "reason": "<b>jobs</b>"}
    )
    introduction = Introduction.objects.get()
    assert response.url == reverse("introductions:detail", args=[introduction.pk])
    page = alice_client.get(response.url).content.decode()
    assert "&lt;b&gt;jobs&lt;/b&gt;" in page and "<b>jobs" not in page
    assert "I asked Ana Lima" in page and "Double opt-in" in page


@pytest.mark.parametrize(
    "data",
    [
        {"person_b": ""},
        {"person_a": "x", "person_b": "y"},
        {"person_a": "1", "person_b": "1"},
        {"reason": "x" * 5000},
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(alice_client, ana, ben, data):
    data = {"person_a": ana.pk, "person_b": ben.pk, **data}
    if data["person_a"] == "1":
        data["person_b"] = data["person_a"] = ana.pk
    response = alice_client.post(reverse("introductions:add"), data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Introduction.objects.exists()


def test_someone_elses_person_is_an_invalid_choice(alice_client, bob, ana):
    bobs = ContactFactory(owner=bob, name="Bob's friend")
    response = alice_client.post(
        reverse("introductions:add"), {"person_a": ana.pk, "person_b": bobs.pk}
    )
    assert "Select a valid choice" in response.content.decode()
    assert alice_client.get(reverse("introductions:add"), {"a": bobs.pk}).status_code == 404
    assert not Introduction.objects.exists()


def test_the_step_buttons_move_it_on_and_undo_goes_back(alice_client, alice, ana, ben, frozen_now):
    introduction = introduction_create(owner=alice, person_a=ana, person_b=ben)
    url = reverse("introductions:step", args=[introduction.pk])
    for state in ("asked_a", "asked_b", "agreed", "introduced"):
        response = alice_client.post(url, {"state": state})
        assert response.status_code == 302
    page = alice_client.get(response.url).content.decode()
    assert "Introduced. How did it go?" in page
    assert "Undo" in page  # the announce travels as a message without htmx
    assert Interaction.objects.filter(kind="introduction").count() == 1
    alice_client.post(url, {"state": "agreed"})  # what the Undo posts
    assert not Interaction.objects.exists()
    assert alice_client.post(url, {"state": "nonsense"}).status_code == 302
    introduction.refresh_from_db()
    assert introduction.state == State.AGREED


def test_the_list_shows_introductions_filtered_by_person(alice_client, alice, ana, ben):
    chloe = ContactFactory(owner=alice, name="Chloé Roux")
    introduction_create(owner=alice, person_a=ana, person_b=ben)
    introduction_create(owner=alice, person_a=ben, person_b=chloe)
    page = alice_client.get(reverse("introductions:list")).content.decode()
    assert "Ana Lima and Ben Adler" in page and "Ben Adler and Chloé Roux" in page
    page = alice_client.get(reverse("introductions:list"), {"contact": ana.pk}).content.decode()
    assert "Ana Lima and Ben Adler" in page and "Chloé Roux" not in page


def test_delete_forgets_the_introduction(alice_client, alice, ana, ben):
    introduction = introduction_create(owner=alice, person_a=ana, person_b=ben)
    alice_client.post(reverse("introductions:delete", args=[introduction.pk]))
    assert not Introduction.objects.exists()


@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "１２", "abc", ""])
def test_odd_ids_in_the_address_are_a_404_or_ignored_never_a_500(alice_client, value):
    for params in ({"a": value}, {"a": value, "b": value}, {"contact": value}):
        for name in ("introductions:add", "introductions:list"):
            response = alice_client.get(reverse(name), params)
            assert response.status_code in (200, 404)


def test_an_introduction_made_last_week_is_logged_on_that_day(
    alice_client, alice, ana, ben, frozen_now
):
    introduction = introduction_create(owner=alice, person_a=ana, person_b=ben)
    url = reverse("introductions:step", args=[introduction.pk])
    future = alice_client.post(url, {"state": "introduced", "on": "2026-12-01"}, follow=True)
    assert "can&#x27;t be in the future" in future.content.decode()
    assert not Interaction.objects.exists()
    alice_client.post(url, {"state": "introduced", "on": "2026-11-21"})
    (interaction,) = Interaction.objects.all()
    assert interaction.occurred_on == dt.date(2026, 11, 21)
    introduction.refresh_from_db()
    assert (introduction.state, introduction.introduced_on) == (
        State.INTRODUCED,
        dt.date(2026, 11, 21),
    )
    assert set(Contact.objects.values_list("last_interaction_on", flat=True)) == {
        dt.date(2026, 11, 21)
    }


def test_the_list_reads_a_fixed_number_of_queries_and_says_when_capped(
    alice_client, alice, ana, ben, monkeypatch, django_assert_max_num_queries
):
    introduction_create(owner=alice, person_a=ana, person_b=ben)
    with django_assert_max_num_queries(5) as few:
        alice_client.get(reverse("introductions:list"))
    for _ in range(3):
        introduction_create(owner=alice, person_a=ContactFactory(owner=alice), person_b=ana)
    monkeypatch.setattr("giving.introductions_selectors.LIST_LIMIT", 3)
    with django_assert_max_num_queries(len(few)):
        page = alice_client.get(reverse("introductions:list")).content.decode()
    assert page.count("/introductions/") >= 3 and "The 3 most recently changed are shown" in page
