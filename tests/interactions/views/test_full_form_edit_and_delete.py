"""The full interaction form, editing and deleting: the participants' dates always follow the
interactions that remain, while a "we're fine" restart and a snooze stay put."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from contacts.models import Contact
from interactions import services
from interactions.models import Interaction
from reminders.models import Reminder
from reminders.services.sweep import sweep_run
from tests.conftest import FROZEN_NOW
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)  # FROZEN_NOW, a Saturday
ADDED = dt.date(2026, 1, 1)  # ContactFactory's added_on


def log(owner, contacts, day: dt.date, **extra) -> Interaction:
    """An interaction at noon UTC on ``day``, through the service so dates are recomputed."""
    return services.interaction_log(
        owner=owner,
        contacts=contacts,
        kind=extra.pop("kind", "coffee"),
        occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        today=TODAY,
        **extra,
    )


def form_data(interaction: Interaction, **changes) -> dict:
    """What the edit form posts back for ``interaction``, with ``changes`` applied."""
    data = {
        "kind": interaction.kind,
        "people": [contact.pk for contact in interaction.contacts.all()],
        "occurred_on": interaction.occurred_on.isoformat(),
        "at_time": "12:00",
        "duration_minutes": interaction.duration_minutes or "",
        "place": interaction.place,
        "initiated_by": interaction.initiated_by,
        "notes": interaction.notes,
        "follow_up_on": interaction.follow_up_on.isoformat() if interaction.follow_up_on else "",
        "follow_up_note": interaction.follow_up_note,
        "ask_next_time": interaction.ask_next_time,
    }
    data.update(changes)
    return data


def dates(contact: Contact) -> tuple[dt.date | None, dt.date | None]:
    contact.refresh_from_db()
    return contact.last_interaction_on, contact.next_reach_out_on


def edit_url(interaction: Interaction) -> str:
    return reverse("interactions:edit", args=[interaction.pk])


def delete_url(interaction: Interaction) -> str:
    return reverse("interactions:delete", args=[interaction.pk])


# --- The full form ------------------------------------------------------------------------------


def test_full_form_starts_with_the_contact_ticked(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    ContactFactory(owner=alice, name="Someone Else")
    response = alice_client.get(reverse("interactions:create", args=[amara.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Log something with Amara Diallo" in html
    boxes = re.findall(r'<input type="checkbox" name="people"[^>]*>', html)
    assert len(boxes) == 1  # only the contact it was started from, not the whole address book
    assert f'value="{amara.pk}"' in boxes[0] and "checked" in boxes[0]
    assert 'value="2026-11-28"' in html  # the day defaults to today


def test_full_form_logs_one_interaction_with_everyone_and_every_detail(
    alice_client, alice, frozen_now
):
    amara = ContactFactory(owner=alice, name="Amara Diallo", cadence_days=14)
    ben = ContactFactory(owner=alice, name="Ben Carter", cadence_days=30)
    response = alice_client.post(
        reverse("interactions:create", args=[amara.pk]),
        {
            "kind": "meal",
            "people": [amara.pk, ben.pk],
            "occurred_on": "2026-11-26",
            "at_time": "19:30",
            "duration_minutes": "120",
            "place": "Chez Janou",
            "initiated_by": "them",
            "notes": "Ben is moving to Lisbon.",
            "follow_up_on": "2026-12-03",
            "follow_up_note": "Send Ben the flat listings",
            "ask_next_time": "how the move went",
            "next": "/contacts/",
        },
    )
    assert response.status_code == 302
    assert response.url == "/contacts/"
    interaction = Interaction.objects.get()
    assert interaction.owner == alice
    assert set(interaction.contacts.all()) == {amara, ben}
    assert interaction.kind == "meal"
    assert interaction.occurred_at == dt.datetime(2026, 11, 26, 19, 30, tzinfo=dt.UTC)
    assert interaction.occurred_on == dt.date(2026, 11, 26)
    assert interaction.duration_minutes == 120
    assert interaction.place == "Chez Janou"
    assert interaction.initiated_by == "them"
    assert interaction.notes == "Ben is moving to Lisbon."
    assert interaction.follow_up_on == dt.date(2026, 12, 3)
    assert interaction.follow_up_note == "Send Ben the flat listings"
    assert interaction.ask_next_time == "how the move went"
    assert dates(amara) == (dt.date(2026, 11, 26), dt.date(2026, 12, 10))
    assert dates(ben) == (dt.date(2026, 11, 26), dt.date(2026, 12, 26))


def test_full_form_time_is_in_the_users_zone(alice_client, alice, frozen_now):
    alice.settings.time_zone = "America/New_York"  # UTC-5 in November
    alice.settings.save()
    amara = ContactFactory(owner=alice, cadence_days=7)
    alice_client.post(
        reverse("interactions:create", args=[amara.pk]),
        {"kind": "call", "people": [amara.pk], "occurred_on": "2026-11-25", "at_time": "22:00"},
    )
    interaction = Interaction.objects.get()
    # 22:00 in New York is 03:00 the next day in UTC, but the user's day is the 25th.
    assert interaction.occurred_at == dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.UTC)
    assert interaction.occurred_on == dt.date(2026, 11, 25)
    assert dates(amara) == (dt.date(2026, 11, 25), dt.date(2026, 12, 2))


def test_the_cadence_clock_runs_from_the_day_it_happened_not_the_day_it_was_typed(
    alice_client, alice
):
    amara = ContactFactory(owner=alice, cadence_days=7)
    # Friday 27 November: log Tuesday's lunch.
    with time_machine.travel(dt.datetime(2026, 11, 27, 17, tzinfo=dt.UTC), tick=False):
        response = alice_client.post(
            reverse("interactions:create", args=[amara.pk]),
            {"kind": "meal", "people": [amara.pk], "occurred_on": "2026-11-24"},
        )
    assert response.status_code == 302
    assert Interaction.objects.get().occurred_on == dt.date(2026, 11, 24)
    assert dates(amara) == (dt.date(2026, 11, 24), dt.date(2026, 12, 1))


def test_a_future_day_is_refused(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    response = alice_client.post(
        reverse("interactions:create", args=[amara.pk]),
        {"kind": "coffee", "people": [amara.pk], "occurred_on": "2026-11-29"},
    )
    assert response.status_code == 200
    assert "That day hasn&#x27;t happened yet" in response.content.decode()
    assert not Interaction.objects.exists()
    assert dates(amara) == (None, None)


def test_a_follow_up_note_needs_a_date(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    response = alice_client.post(
        reverse("interactions:create", args=[amara.pk]),
        {
            "kind": "coffee",
            "people": [amara.pk],
            "occurred_on": "2026-11-27",
            "follow_up_note": "Send her the article",
        },
    )
    assert response.status_code == 200
    assert "When should you follow up?" in response.content.decode()
    assert not Interaction.objects.exists()


# --- Editing ------------------------------------------------------------------------------------


def test_edit_form_shows_what_was_logged(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo", cadence_days=7)
    interaction = log(alice, [amara], dt.date(2026, 11, 20), place="Café Oberkampf")
    html = alice_client.get(edit_url(interaction)).content.decode()
    assert "Edit coffee" in html
    assert 'value="Café Oberkampf"' in html
    assert 'value="2026-11-20"' in html
    box = re.search(r'<input type="checkbox" name="people"[^>]*>', html).group()
    assert f'value="{amara.pk}"' in box and "checked" in box


def test_moving_an_interaction_earlier_recomputes_everyone_in_it(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    ben = ContactFactory(owner=alice, cadence_days=30)
    log(alice, [amara], dt.date(2026, 11, 10))
    dinner = log(alice, [amara, ben], dt.date(2026, 11, 20))
    assert dates(amara) == (dt.date(2026, 11, 20), dt.date(2026, 11, 27))

    response = alice_client.post(edit_url(dinner), form_data(dinner, occurred_on="2026-11-05"))
    assert response.status_code == 302
    dinner.refresh_from_db()
    assert dinner.occurred_on == dt.date(2026, 11, 5)
    # Amara's coffee on the 10th is now her latest; Ben has only the dinner.
    assert dates(amara) == (dt.date(2026, 11, 10), dt.date(2026, 11, 17))
    assert dates(ben) == (dt.date(2026, 11, 5), dt.date(2026, 12, 5))


def test_moving_an_interaction_later_recomputes_everyone_in_it(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    ben = ContactFactory(owner=alice, cadence_days=30)
    log(alice, [amara], dt.date(2026, 11, 10))
    dinner = log(alice, [amara, ben], dt.date(2026, 11, 1))
    assert dates(amara) == (dt.date(2026, 11, 10), dt.date(2026, 11, 17))

    alice_client.post(edit_url(dinner), form_data(dinner, occurred_on="2026-11-25"))
    assert dates(amara) == (dt.date(2026, 11, 25), dt.date(2026, 12, 2))
    assert dates(ben) == (dt.date(2026, 11, 25), dt.date(2026, 12, 25))


def test_removing_someone_from_an_interaction_recomputes_them_too(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    ben = ContactFactory(owner=alice, cadence_days=30)
    carla = ContactFactory(owner=alice, cadence_days=14)
    log(alice, [ben], dt.date(2026, 10, 1))
    dinner = log(alice, [amara, ben, carla], dt.date(2026, 11, 20))

    response = alice_client.post(edit_url(dinner), form_data(dinner, people=[amara.pk]))
    assert response.status_code == 302
    assert list(dinner.contacts.all()) == [amara]
    assert dates(amara) == (dt.date(2026, 11, 20), dt.date(2026, 11, 27))
    # Ben falls back on his October call, Carla on the day she was added.
    assert dates(ben) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert dates(carla) == (None, ADDED + dt.timedelta(days=14))


def test_adding_someone_in_an_edit_moves_their_dates(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    ben = ContactFactory(owner=alice, cadence_days=30)
    coffee = log(alice, [amara], dt.date(2026, 11, 20))
    alice_client.post(edit_url(coffee), form_data(coffee, people=[amara.pk, ben.pk]))
    assert set(coffee.contacts.all()) == {amara, ben}
    assert dates(ben) == (dt.date(2026, 11, 20), dt.date(2026, 12, 20))


def test_edit_refuses_a_future_day_and_changes_nothing(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    coffee = log(alice, [amara], dt.date(2026, 11, 20))
    response = alice_client.post(edit_url(coffee), form_data(coffee, occurred_on="2026-12-01"))
    assert response.status_code == 200
    assert "That day hasn&#x27;t happened yet" in response.content.decode()
    coffee.refresh_from_db()
    assert coffee.occurred_on == dt.date(2026, 11, 20)
    assert dates(amara) == (dt.date(2026, 11, 20), dt.date(2026, 11, 27))


def test_a_restart_survives_an_edit_and_a_delete(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7, cadence_restarted_on=dt.date(2026, 11, 25))
    coffee = log(alice, [amara], dt.date(2026, 11, 20))
    # The clock runs from the later of the two: the "we're fine" on the 25th.
    assert dates(amara) == (dt.date(2026, 11, 20), dt.date(2026, 12, 2))

    alice_client.post(edit_url(coffee), form_data(coffee, occurred_on="2026-11-15"))
    assert dates(amara) == (dt.date(2026, 11, 15), dt.date(2026, 12, 2))
    alice_client.post(edit_url(coffee), form_data(coffee, occurred_on="2026-11-27"))
    assert dates(amara) == (dt.date(2026, 11, 27), dt.date(2026, 12, 4))

    alice_client.post(delete_url(coffee))
    assert dates(amara) == (None, dt.date(2026, 12, 2))
    assert amara.cadence_restarted_on == dt.date(2026, 11, 25)


def test_a_snooze_survives_an_edit_and_a_delete(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7, snoozed_until=dt.date(2026, 12, 20))
    coffee = log(alice, [amara], dt.date(2026, 11, 20))
    assert dates(amara) == (dt.date(2026, 11, 20), dt.date(2026, 12, 20))

    alice_client.post(edit_url(coffee), form_data(coffee, occurred_on="2026-11-27"))
    assert dates(amara) == (dt.date(2026, 11, 27), dt.date(2026, 12, 20))
    assert amara.snoozed_until == dt.date(2026, 12, 20)

    alice_client.post(delete_url(coffee))
    assert dates(amara) == (None, dt.date(2026, 12, 20))
    assert amara.snoozed_until == dt.date(2026, 12, 20)


def test_editing_the_notes_keeps_a_snoozed_follow_up_reminder(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    coffee = log(
        alice,
        [amara],
        dt.date(2026, 11, 20),
        follow_up_on=dt.date(2026, 11, 25),
        follow_up_note="Send the article",
    )
    sweep_run(now=FROZEN_NOW)
    reminder = Reminder.objects.get(kind="follow_up", interaction=coffee)
    Reminder.objects.filter(pk=reminder.pk).update(
        state="snoozed", snoozed_until=dt.date(2026, 12, 5)
    )

    alice_client.post(edit_url(coffee), form_data(coffee, notes="Fixed a typo"))
    sweep_run(now=FROZEN_NOW)
    reminder = Reminder.objects.get(kind="follow_up", interaction=coffee)
    assert (reminder.state, reminder.snoozed_until) == ("snoozed", dt.date(2026, 12, 5))


def test_editing_keeps_an_archived_participant(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    old_friend = ContactFactory(owner=alice, name="Old Friend", cadence_days=7)
    dinner = log(alice, [amara, old_friend], dt.date(2026, 11, 20), kind="meal")
    Contact.objects.filter(pk=old_friend.pk).update(archived=True)

    html = alice_client.get(edit_url(dinner)).content.decode()
    # What the browser posts back: every box the form showed ticked.
    ticked = [
        int(value)
        for value in re.findall(
            r'<input type="checkbox" name="people" value="(\d+)"[^>]*checked', html
        )
    ]
    alice_client.post(edit_url(dinner), form_data(dinner, people=ticked, notes="typo fixed"))
    dinner.refresh_from_db()
    assert dinner.notes == "typo fixed"
    assert set(dinner.contacts.all()) == {amara, old_friend}
    assert dates(old_friend)[0] == dt.date(2026, 11, 20)


def test_a_follow_up_moves_off_someone_removed_from_the_interaction(
    alice_client, alice, frozen_now
):
    amara = ContactFactory(owner=alice, name="Amara Diallo", cadence_days=7)
    ben = ContactFactory(owner=alice, name="Ben Carter", cadence_days=7)
    dinner = log(
        alice,
        [amara, ben],
        dt.date(2026, 11, 20),
        follow_up_on=dt.date(2026, 11, 25),
        follow_up_note="Send Ben the flat listings",
    )
    sweep_run(now=FROZEN_NOW)
    assert Reminder.objects.get(interaction=dinner).contact in {amara, ben}

    alice_client.post(edit_url(dinner), form_data(dinner, people=[ben.pk]))
    sweep_run(now=FROZEN_NOW)
    live = Reminder.objects.filter(interaction=dinner, state__in=["open", "snoozed"])
    assert [reminder.contact for reminder in live] == [ben]


def test_moving_an_open_follow_up_gives_a_fresh_reminder_on_the_new_day(
    alice_client, alice, frozen_now
):
    amara = ContactFactory(owner=alice, cadence_days=7)
    coffee = log(
        alice,
        [amara],
        dt.date(2026, 11, 20),
        follow_up_on=dt.date(2026, 11, 25),
        follow_up_note="A",
    )
    sweep_run(now=FROZEN_NOW)
    assert Reminder.objects.get(interaction=coffee).due_on == dt.date(2026, 11, 25)
    alice_client.post(edit_url(coffee), form_data(coffee, follow_up_on="2026-12-02"))
    sweep_run(now=FROZEN_NOW)
    assert not Reminder.objects.filter(interaction=coffee).exists()
    sweep_run(now=dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC))
    reminder = Reminder.objects.get(interaction=coffee)
    assert (reminder.state, reminder.due_on) == ("open", dt.date(2026, 12, 2))


def test_a_new_promise_after_the_last_one_was_kept_gets_a_reminder(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    coffee = log(
        alice,
        [amara],
        dt.date(2026, 11, 20),
        follow_up_on=dt.date(2026, 11, 25),
        follow_up_note="A",
    )
    sweep_run(now=FROZEN_NOW)
    reminder = Reminder.objects.get(interaction=coffee)
    alice_client.post(reverse("reminders:done", args=[reminder.pk]))
    alice_client.post(
        edit_url(coffee),
        form_data(coffee, follow_up_on="2026-12-02", follow_up_note="Send the second article"),
    )
    sweep_run(now=dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC))
    assert Reminder.objects.filter(
        interaction=coffee, state="open", due_on=dt.date(2026, 12, 2)
    ).exists()


# --- Deleting -----------------------------------------------------------------------------------


def test_delete_page_asks_first_and_changes_nothing(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo", cadence_days=7)
    coffee = log(alice, [amara], dt.date(2026, 11, 20))
    response = alice_client.get(delete_url(coffee))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Delete this coffee?" in html
    assert "Friday 20 November 2026 with Amara Diallo" in html
    assert '<button class="button danger" type="submit">Delete</button>' in html
    assert Interaction.objects.filter(pk=coffee.pk).exists()
    assert dates(amara) == (dt.date(2026, 11, 20), dt.date(2026, 11, 27))


def test_deleting_falls_back_on_the_interactions_that_remain(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    ben = ContactFactory(owner=alice, cadence_days=30)
    log(alice, [amara], dt.date(2026, 11, 10))
    dinner = log(alice, [amara, ben], dt.date(2026, 11, 20))

    response = alice_client.post(delete_url(dinner), {"next": "/contacts/"})
    assert response.status_code == 302
    assert response.url == "/contacts/"
    assert not Interaction.objects.filter(pk=dinner.pk).exists()
    assert dates(amara) == (dt.date(2026, 11, 10), dt.date(2026, 11, 17))
    # Nothing left for Ben: the clock runs from the day he was added.
    assert dates(ben) == (None, ADDED + dt.timedelta(days=30))


def test_plain_delete_without_next_goes_to_the_activity_page(alice_client, alice, frozen_now):
    coffee = log(alice, [ContactFactory(owner=alice)], dt.date(2026, 11, 20))
    response = alice_client.post(delete_url(coffee))
    assert response.status_code == 302
    assert response.url == reverse("interactions:list")
    assert not Interaction.objects.exists()


def test_htmx_delete_says_undone_and_tells_the_page(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    coffee = log(alice, [amara], dt.date(2026, 11, 20))
    response = alice_client.post(delete_url(coffee), headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = f"Undone: the coffee with {escape(amara.name)} is out of the log."
    assert text in response.content.decode()
    assert "contactChanged" in json.loads(response.headers["HX-Trigger"])
    assert not Interaction.objects.exists()
    assert dates(amara) == (None, ADDED + dt.timedelta(days=7))


# --- Ownership ----------------------------------------------------------------------------------


def test_bob_cannot_see_edit_or_delete_alices_interaction(client, alice, bob, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    coffee = log(alice, [amara], dt.date(2026, 11, 20), notes="private")
    bobs_friend = ContactFactory(owner=bob)
    client.force_login(bob)
    assert client.get(edit_url(coffee)).status_code == 404
    assert client.get(delete_url(coffee)).status_code == 404
    response = client.post(
        edit_url(coffee),
        form_data(coffee, notes="bob was here", people=[bobs_friend.pk], occurred_on="2026-11-01"),
    )
    assert response.status_code == 404
    assert client.post(delete_url(coffee)).status_code == 404
    assert client.post(delete_url(coffee), headers={"HX-Request": "true"}).status_code == 404
    coffee.refresh_from_db()
    assert coffee.notes == "private"
    assert coffee.occurred_on == dt.date(2026, 11, 20)
    assert list(coffee.contacts.all()) == [amara]
    assert dates(amara) == (dt.date(2026, 11, 20), dt.date(2026, 11, 27))


def test_bob_cannot_start_the_full_form_from_alices_contact(client, alice, bob, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    client.force_login(bob)
    assert client.get(reverse("interactions:create", args=[amara.pk])).status_code == 404
    response = client.post(
        reverse("interactions:create", args=[amara.pk]),
        {"kind": "coffee", "people": [amara.pk], "occurred_on": "2026-11-27"},
    )
    assert response.status_code == 404
    assert not Interaction.objects.exists()


def test_bob_cannot_add_alices_contact_through_people(client, alice, bob, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo", cadence_days=7)
    bobs_friend = ContactFactory(owner=bob, cadence_days=7)
    client.force_login(bob)
    response = client.post(
        reverse("interactions:create", args=[bobs_friend.pk]),
        {"kind": "coffee", "people": [bobs_friend.pk, amara.pk], "occurred_on": "2026-11-27"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Select a valid choice. {amara.pk} is not one of the available choices." in html
    assert "Amara Diallo" not in html
    assert not Interaction.objects.exists()
    assert dates(amara) == (None, None)  # never touched, not even recomputed

    bobs_coffee = log(bob, [bobs_friend], dt.date(2026, 11, 20))
    response = client.post(
        edit_url(bobs_coffee), form_data(bobs_coffee, people=[bobs_friend.pk, amara.pk])
    )
    assert response.status_code == 200
    assert f"Select a valid choice. {amara.pk} is not one of the available choices." in (
        response.content.decode()
    )
    assert list(bobs_coffee.contacts.all()) == [bobs_friend]
    assert not amara.interactions.exists()
    assert dates(amara) == (None, None)


def test_alice_cannot_add_bobs_contact_to_her_own_interaction(alice_client, alice, bob, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    bobs_friend = ContactFactory(owner=bob, name="Bob's Friend", cadence_days=7)
    coffee = log(alice, [amara], dt.date(2026, 11, 20))
    response = alice_client.post(
        edit_url(coffee),
        form_data(coffee, people=[amara.pk, bobs_friend.pk], occurred_on="2026-11-25"),
    )
    assert response.status_code == 200
    assert f"Select a valid choice. {bobs_friend.pk} is not one of the available choices." in (
        response.content.decode()
    )
    coffee.refresh_from_db()
    assert coffee.occurred_on == dt.date(2026, 11, 20)
    assert list(coffee.contacts.all()) == [amara]
    assert not bobs_friend.interactions.exists()
    assert dates(bobs_friend) == (None, None)
