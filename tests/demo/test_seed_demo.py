from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command, load_command_class
from django.db.models import Max

from accounts.models import User
from contacts.models import Circle, Contact, Interest
from contacts.services import DEFAULT_CIRCLES
from interactions.models import Interaction
from network_crm.text import fold
from tests.conftest import FROZEN_NOW
from tests.factories import (
    CircleFactory,
    ContactFactory,
    InteractionFactory,
    InterestFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

TODAY = FROZEN_NOW.date()  # 09:30 UTC: the same date in UTC and Europe/London


def seed(user: str, *, contacts: int = 50, interactions: int = 500, seed: int = 1) -> str:
    out = StringIO()
    call_command(
        "seed_demo",
        user=user,
        contacts=contacts,
        interactions=interactions,
        seed=seed,
        stdout=out,
    )
    return out.getvalue()


def names(user: User) -> list[str]:
    return list(Contact.objects.filter(owner=user).order_by("pk").values_list("name", flat=True))


def test_counts_match_the_arguments(alice):
    output = seed("alice@example.com", contacts=50, interactions=500)

    assert Contact.objects.filter(owner=alice).count() == 50
    assert Interaction.objects.filter(owner=alice).count() == 500
    assert "Seeded 50 contacts, 500 interactions for alice@example.com in " in output
    links = Interaction.contacts.through.objects.filter(interaction__owner=alice)
    assert links.values("interaction").distinct().count() == 500  # everyone met someone
    assert links.count() > 500  # and some met several people


def test_each_interaction_has_one_to_four_contacts_and_each_contact_up_to_four_interests(alice):
    seed("alice@example.com")

    for interaction in Interaction.objects.filter(owner=alice).prefetch_related("contacts"):
        assert 1 <= len(interaction.contacts.all()) <= 4
    interest_counts = [
        len(c.interests.all())
        for c in Contact.objects.filter(owner=alice).prefetch_related("interests")
    ]
    assert max(interest_counts) <= 4
    assert 0 in interest_counts and 4 in interest_counts


def test_defaults_are_200_contacts_and_20_interactions_each(alice, bob):
    call_command("seed_demo", user="alice@example.com", interactions=0, stdout=StringIO())
    call_command("seed_demo", user="bob@example.com", contacts=10, stdout=StringIO())

    assert Contact.objects.filter(owner=alice).count() == 200
    assert Interaction.objects.filter(owner=bob).count() == 200


def test_creates_a_missing_user_and_prints_the_login():
    output = seed("demo")

    user = User.objects.get(email="demo@example.com")
    assert user.name == "Demo"
    assert user.check_password("demo-password-123")
    assert user.settings.time_zone == "Europe/London"
    assert "demo@example.com" in output and "demo-password-123" in output
    assert Contact.objects.filter(owner=user).count() == 50


def test_a_bare_name_says_which_address_it_stands_for_and_that_it_was_created():
    output = seed("demo")

    assert "--user 'demo' has no @: using the address demo@example.com." in output
    assert "No account has the address demo@example.com: created it" in output


def test_a_bare_name_points_at_accounts_it_may_have_meant():
    UserFactory(email="ana@home.example", name="Ana")

    output = seed("ana")

    assert "Not ana@home.example: pass --user ana@home.example to seed that account." in output
    assert User.objects.filter(email="ana@example.com").exists()


def test_help_says_a_bare_name_means_an_example_com_address_created_if_missing():
    command = load_command_class("demo", "seed_demo")
    text = " ".join(command.create_parser("manage.py", "seed_demo").format_help().split())
    assert "A bare NAME (no @) stands for NAME@example.com" in text
    assert "is created, with the password demo-password-123, if no account has that address" in (
        text.replace("demo- password", "demo-password")
    )


def test_finds_an_existing_user_by_email_and_prints_no_password(alice):
    output = seed("Alice@Example.com")

    assert "password" not in output
    assert Contact.objects.filter(owner=alice).count() == 50
    assert User.objects.count() == 1


def test_rejects_a_user_that_is_not_an_email_address(db):
    with pytest.raises(CommandError):
        seed("not an email")
    assert not User.objects.exists()


def test_same_seed_gives_the_same_people_and_history():
    seed("first", seed=7)
    seed("second", seed=7)

    first, second = (
        User.objects.get(email="first@example.com"),
        User.objects.get(email="second@example.com"),
    )
    assert names(first) == names(second)
    fields = ["name", "added_on", "last_interaction_on", "next_reach_out_on", "paused"]
    assert list(Contact.objects.filter(owner=first).order_by("pk").values_list(*fields)) == list(
        Contact.objects.filter(owner=second).order_by("pk").values_list(*fields)
    )
    history = ["kind", "occurred_at", "notes"]
    assert list(
        Interaction.objects.filter(owner=first).order_by("pk").values_list(*history)
    ) == list(Interaction.objects.filter(owner=second).order_by("pk").values_list(*history))


def test_different_seeds_give_different_people():
    seed("first", seed=1)
    seed("second", seed=2)

    first = names(User.objects.get(email="first@example.com"))
    second = names(User.objects.get(email="second@example.com"))
    assert first != second
    assert len(set(first) & set(second)) < 10


def test_writes_only_the_target_users_rows(alice, bob):
    bob_contact = ContactFactory(owner=bob, name="Bob's friend", added_on=dt.date(2026, 1, 1))
    InteractionFactory(owner=bob, contacts=[bob_contact])
    InterestFactory(owner=bob, name="jazz")
    CircleFactory(owner=bob, name="Climbing crew")
    before = list(Contact.objects.filter(owner=bob).values())

    seed("alice@example.com")

    assert list(Contact.objects.filter(owner=bob).values()) == before
    assert Interaction.objects.filter(owner=bob).count() == 1
    assert list(Interest.objects.filter(owner=bob).values_list("name", flat=True)) == ["jazz"]
    assert list(Circle.objects.filter(owner=bob).values_list("name", flat=True)) == [
        "Climbing crew"
    ]
    assert Contact.objects.exclude(owner__in=[alice, bob]).count() == 0
    assert Interaction.objects.exclude(owner__in=[alice, bob]).count() == 0
    assert not (
        Interaction.contacts.through.objects.filter(interaction__owner=alice)
        .exclude(contact__owner=alice)
        .exists()
    )
    assert not (
        Contact.interests.through.objects.filter(contact__owner=alice)
        .exclude(interest__owner=alice)
        .exists()
    )
    assert (
        not Contact.objects.filter(owner=alice)
        .exclude(circle__owner=alice)
        .exclude(circle=None)
        .exists()
    )


def test_uses_the_users_own_circles_and_interests(alice):
    crew = CircleFactory(owner=alice, name="Climbing crew", cadence_days=21)
    jazz = InterestFactory(owner=alice, name="Jazz", mine=True)  # the pool's "jazz", folded alike

    seed("alice@example.com")

    assert list(Circle.objects.filter(owner=alice)) == [crew]
    assert Contact.objects.filter(owner=alice, circle=crew).exists()
    assert Interest.objects.filter(owner=alice, folded_name="jazz").get() == jazz
    assert Interest.objects.filter(owner=alice).count() > 20
    assert list(Interest.objects.filter(owner=alice, mine=True)) == [jazz]  # left as they were


def test_a_user_without_own_interests_gets_a_few_to_share(alice):
    seed("alice@example.com")

    mine = Interest.objects.filter(owner=alice, mine=True)
    assert mine.count() == 5
    assert Contact.objects.filter(owner=alice, interests__in=mine).exists()


def test_some_people_were_introduced_by_someone_the_user_knows(alice):
    seed("alice@example.com")

    introduced = Contact.objects.filter(owner=alice, introduced_by__isnull=False)
    assert introduced.exists()
    for contact in introduced.select_related("introduced_by"):
        assert contact.introduced_by.owner_id == alice.pk
        assert contact.introduced_by_id < contact.pk
        assert contact.how_we_met == f"Introduced by {contact.introduced_by.name}."


def test_creates_the_default_circles_for_a_user_without_any(alice):
    seed("alice@example.com")

    assert set(Circle.objects.filter(owner=alice).values_list("name", "cadence_days")) == set(
        DEFAULT_CIRCLES
    )


def test_some_contacts_are_due_and_some_are_not(alice):
    seed("alice@example.com", contacts=200, interactions=2000)

    active = Contact.objects.filter(owner=alice, paused=False, archived=False)
    assert active.filter(next_reach_out_on__lte=TODAY).exists()
    assert active.filter(next_reach_out_on__gt=TODAY).exists()
    contacts = Contact.objects.filter(owner=alice)
    assert contacts.filter(paused=True).exists()
    assert contacts.filter(archived=True).exists()
    assert contacts.filter(cadence_days__isnull=False).exists()
    assert contacts.filter(snoozed_until__gt=TODAY).exists()


def test_last_interaction_is_the_latest_interaction_of_each_contact(alice):
    seed("alice@example.com")

    contacts = Contact.objects.filter(owner=alice).annotate(latest=Max("interactions__occurred_on"))
    assert contacts.exclude(latest=None).count() > 40
    for contact in contacts:
        assert contact.last_interaction_on == contact.latest


def test_history_covers_about_two_years_up_to_now_in_the_users_zone(alice):
    seed("alice@example.com")

    interactions = Interaction.objects.filter(owner=alice)
    assert all(i.occurred_at <= FROZEN_NOW for i in interactions)
    assert all(i.occurred_on == i.occurred_at.date() for i in interactions)  # alice is on UTC
    days = sorted(i.occurred_on for i in interactions)
    assert TODAY - dt.timedelta(days=731) <= days[0] < TODAY - dt.timedelta(days=365)
    assert days[-1] >= TODAY - dt.timedelta(days=7)
    assert not Contact.objects.filter(owner=alice, added_on__gt=TODAY).exists()


def test_dates_are_the_owners_local_dates(alice):
    alice.settings.time_zone = "Pacific/Auckland"
    alice.settings.save()
    now = dt.datetime(2026, 11, 28, 23, 30, tzinfo=dt.UTC)  # 12:30 on the 29th in Auckland

    with time_machine.travel(now, tick=False):
        seed("alice@example.com")

    zone = ZoneInfo("Pacific/Auckland")
    interactions = list(Interaction.objects.filter(owner=alice))
    assert all(i.occurred_at <= now for i in interactions)
    assert all(i.occurred_on == i.occurred_at.astimezone(zone).date() for i in interactions)
    assert max(i.occurred_on for i in interactions) == dt.date(2026, 11, 29)


def test_names_come_from_many_scripts_and_search_columns_are_folded(alice):
    seed("alice@example.com", contacts=200, interactions=200)

    contacts = list(Contact.objects.filter(owner=alice))
    assert any(not c.name.isascii() for c in contacts)
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in c.name) for c in contacts)  # Cyrillic
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in c.name) for c in contacts)  # CJK
    accented = [c for c in contacts if any(ch in c.name for ch in "éèëöüáíóúñçãõ")]
    assert accented
    for contact in contacts:
        assert contact.sort_name == fold(contact.name)
        assert contact.search_text == fold(contact.search_text)
        assert contact.sort_name in contact.search_text
    for contact in accented:
        assert not any(ch in contact.sort_name for ch in "éèëöüáíóúñçãõ")


def test_search_columns_are_what_contact_save_would_write(alice):
    seed("alice@example.com", contacts=30, interactions=30)

    for contact in Contact.objects.filter(owner=alice):
        stored = (contact.sort_name, contact.search_text)
        contact.save()
        contact.refresh_from_db()
        assert (contact.sort_name, contact.search_text) == stored


def test_gives_a_first_taste_of_give_first(alice, bob):
    from giving.models import Introduction, ShareItem
    from interactions.models import PlannedInteraction

    seed("alice@example.com", contacts=30, interactions=100)

    items = ShareItem.objects.filter(owner=alice)
    assert items.count() == 3
    # Every item's topics are interests someone in the network has, so it suggests somebody.
    for item in items:
        topics = list(item.topics.all())
        assert topics and all(topic.owner_id == alice.pk for topic in topics)
        assert Contact.objects.filter(owner=alice, interests__in=topics).exists()
    planned = PlannedInteraction.objects.get(owner=alice)
    assert planned.state == PlannedInteraction.State.PLANNED
    # Tomorrow at 10:00 on the owner's clock (Europe/London in this test).
    local = planned.starts_at.astimezone(ZoneInfo(alice.settings.time_zone))
    assert (local.date(), local.hour) == (TODAY + dt.timedelta(days=1), 10)
    assert [c.owner_id for c in planned.contacts.all()] == [alice.pk]
    introduction = Introduction.objects.get(owner=alice)
    assert introduction.person_a != introduction.person_b
    assert {introduction.person_a.owner_id, introduction.person_b.owner_id} == {alice.pk}
    assert not ShareItem.objects.filter(owner=bob).exists()
