"""Which meetups the due section suggests, and which single nudges they replace."""

from __future__ import annotations

import datetime as dt

import pytest

from reminders.meetups import meetup_key, names_text
from reminders.models import MeetupDismissal
from tests.reminders.meetups.helpers import TODAY, interest, names, person, section

pytestmark = pytest.mark.django_db


def test_two_due_people_in_one_city_become_one_card_in_place_of_their_nudges(alice):
    person(alice, "Ana Lima", city="Lisbon", due_in=-5)
    person(alice, "Ben Costa", city="  lisbon ", due_in=-1)  # folded: the same city
    person(alice, "Chloé Martin", city="Paris", due_in=-2)
    result = section(alice)
    [meetup] = result["meetups"]
    assert names(meetup) == ["Ana Lima", "Ben Costa"]
    assert meetup.title == "Dinner with Ana Lima and Ben Costa in Lisbon?"
    assert meetup.kind == "meal"
    assert meetup.kinds[0] == ("meal", "Meal")
    assert [contact.name for contact in result["due"].items] == ["Chloé Martin"]
    assert result["due"].more == 0


def test_accents_and_case_are_one_city_but_an_empty_city_is_none(alice):
    person(alice, "Ana", city="Zürich")
    person(alice, "Ben", city="ZURICH")
    person(alice, "Nobody one", city="")
    person(alice, "Nobody two", city="   ")
    [meetup] = section(alice)["meetups"]
    assert names(meetup) == ["Ana", "Ben"]


def test_a_shared_interest_makes_a_coffee_card(alice):
    jazz = interest(alice, "Jazz")
    person(alice, "Ana", interests=[jazz], city="Lisbon")
    person(alice, "Ben", interests=[jazz], city="Porto")
    [meetup] = section(alice)["meetups"]
    assert meetup.title == "Coffee with Ana and Ben — you all like Jazz?"
    assert meetup.kinds[0] == ("coffee", "Coffee")


def test_someone_due_within_a_week_joins_but_not_later_and_not_alone(alice):
    person(alice, "Ana", city="Lisbon", due_in=0)
    person(alice, "Ben", city="Lisbon", due_in=7)
    person(alice, "Too late", city="Lisbon", due_in=8)
    person(alice, "Paused", city="Lisbon", due_in=2, paused=True)
    # Two people coming due, but nobody due today: no card yet.
    person(alice, "Soon one", city="Porto", due_in=2)
    person(alice, "Soon two", city="Porto", due_in=3)
    result = section(alice)
    [meetup] = result["meetups"]
    assert names(meetup) == ["Ana", "Ben"]
    assert result["due"].items == []  # Ana's nudge is in the card


def test_the_group_with_the_most_overdue_person_comes_first_and_nobody_is_in_two(alice):
    jazz, chess, go = interest(alice, "Jazz"), interest(alice, "Chess"), interest(alice, "Go")
    person(alice, "Most overdue", due_in=-20, interests=[chess], city="Porto")
    person(alice, "Second", due_in=-10, city="Lisbon", interests=[jazz])
    person(alice, "Third", due_in=-5, city="Lisbon", interests=[go])
    person(alice, "Fourth", due_in=-4, interests=[chess, jazz])
    person(alice, "Fifth", due_in=-3, interests=[go])
    result = section(alice)
    cards = result["meetups"]
    assert [names(meetup) for meetup in cards] == [
        ["Most overdue", "Fourth"],  # chess: holds the most overdue person
        ["Second", "Third"],  # Lisbon: Fourth is already in a card, so not jazz
    ]
    assert [contact.name for contact in result["due"].items] == ["Fifth"]


def test_at_most_two_cards_and_six_people_with_four_names_in_the_title(alice):
    for index in range(8):
        person(alice, f"L{index}", city="Lisbon", due_in=-10 + index)
    for city in ("Porto", "Braga"):
        person(alice, f"{city} 1", city=city, due_in=-1)
        person(alice, f"{city} 2", city=city, due_in=0)
    result = section(alice, limit=12)
    cards = result["meetups"]
    assert len(cards) == 2
    assert names(cards[0]) == [f"L{index}" for index in range(6)]
    assert cards[0].title == "Dinner with L0, L1, L2, L3 and 2 others in Lisbon?"
    assert names(cards[1]) == ["Braga 1", "Braga 2"]  # then by name: Braga before Porto
    assert {contact.name for contact in result["due"].items} == {"L6", "L7", "Porto 1", "Porto 2"}
    assert result["due"].more == 0


def test_the_count_of_more_waiting_is_kept(alice):
    for index in range(7):
        person(alice, f"P{index}", city="Lisbon" if index < 2 else "", due_in=-10 + index)
    result = section(alice, limit=5)
    assert len(result["meetups"]) == 1
    assert len(result["due"].items) == 3
    assert result["due"].more == 2  # P5 and P6 are still waiting, as without the card


def test_a_dismissed_group_is_left_out_until_its_dismissal_ends(alice, bob):
    ana = person(alice, "Ana", city="Lisbon")
    ben = person(alice, "Ben", city="Lisbon")
    key = meetup_key(shares="city", value="lisbon", contact_ids=[ben.pk, ana.pk])
    assert section(alice)["meetups"][0].key == key
    MeetupDismissal.objects.create(owner=bob, key=key, until=TODAY + dt.timedelta(days=7))
    assert len(section(alice)["meetups"]) == 1  # bob's rows are not alice's
    MeetupDismissal.objects.create(owner=alice, key=key, until=TODAY + dt.timedelta(days=7))
    result = section(alice)
    assert result["meetups"] == []
    assert [contact.name for contact in result["due"].items] == ["Ana", "Ben"]
    later = TODAY + dt.timedelta(days=7)
    assert len(section(alice, today=later)["meetups"]) == 1


def test_a_new_member_makes_a_new_group_that_a_dismissal_does_not_cover(alice):
    ana, ben = person(alice, "Ana", city="Lisbon"), person(alice, "Ben", city="Lisbon")
    key = meetup_key(shares="city", value="lisbon", contact_ids=[ana.pk, ben.pk])
    MeetupDismissal.objects.create(owner=alice, key=key, until=TODAY + dt.timedelta(days=7))
    person(alice, "Chloé", city="Lisbon")
    [meetup] = section(alice)["meetups"]
    assert names(meetup) == ["Ana", "Ben", "Chloé"]


def test_another_owners_people_never_join(alice, bob):
    person(alice, "Ana", city="Lisbon")
    person(bob, "Bob's friend", city="Lisbon")
    jazz = interest(alice, "Jazz")
    person(alice, "Ben", interests=[jazz])
    person(bob, "Bob's jazz friend", interests=[interest(bob, "Jazz")])
    assert section(alice)["meetups"] == []


def test_names_text():
    assert names_text(["Ana"]) == "Ana"
    assert names_text(["Ana", "Ben"]) == "Ana and Ben"
    assert names_text(["Ana", "Ben", "Chloé"]) == "Ana, Ben and Chloé"
    assert names_text(list("ABCDE")) == "A, B, C, D and 1 other"
    assert names_text(list("ABCDEF")) == "A, B, C, D and 2 others"


def test_queries_do_not_grow_with_contacts(alice, django_assert_num_queries):
    jazz = interest(alice, "Jazz")

    def add(count, start):
        for index in range(start, start + count):
            person(
                alice, f"P{index}", city=f"City {index % 3}", interests=[jazz], due_in=index % 9 - 4
            )

    add(10, 0)
    # The capped due list and its count, who comes due soon, their interests, dismissals.
    with django_assert_num_queries(5):
        small = section(alice)
    add(60, 10)
    with django_assert_num_queries(5):
        big = section(alice)
    assert small["meetups"] and big["meetups"]
    assert len(big["meetups"][0].people) == 6
