"""Bulk edits of the contact list: each action on exactly the chosen rows (ticked, or every one
matching the filters), due dates recomputed, one-step undo, delete with confirmation, only the
owner's rows, set-based (a constant number of queries)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import BulkChange, Contact, Interest
from contacts.services import contacts_bulk_edit, contacts_recompute_due
from interactions.models import Interaction
from reminders.models import Reminder
from tests.factories import CircleFactory, ContactFactory, InteractionFactory, InterestFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)  # conftest.FROZEN_NOW
ADDED = dt.date(2026, 11, 1)
BULK = reverse("contacts:bulk")


def text(response) -> str:
    return html.unescape(response.content.decode())


def bulk(client, action: str, contacts=(), **extra):
    data = {"action": action, "ids": [contact.pk for contact in contacts], **extra}
    return client.post(BULK, data)


def messages_after(client, response) -> str:
    """The page the redirect leads to, where the flash messages are shown."""
    assert response.status_code == 302
    return text(client.get(response.url))


def dates(contacts) -> list[dt.date | None]:
    return list(
        Contact.objects.filter(pk__in=[c.pk for c in contacts])
        .order_by("pk")
        .values_list("next_reach_out_on", flat=True)
    )


def snapshot(owner) -> dict:
    """Everything a bulk change may touch, per contact."""
    return {
        contact.pk: (
            contact.circle_id,
            contact.cadence_days,
            contact.paused,
            contact.archived,
            contact.last_interaction_on,
            contact.next_reach_out_on,
            frozenset(contact.interests.values_list("pk", flat=True)),
        )
        for contact in Contact.objects.filter(owner=owner).order_by("pk")
    }


@pytest.fixture
def circles(alice):
    return {
        "friends": CircleFactory(owner=alice, name="Friends", cadence_days=30),
        "mentors": CircleFactory(owner=alice, name="Mentors", cadence_days=60),
    }


def people(owner, count, *, prefix="Person", **fields) -> list[Contact]:
    made = [
        ContactFactory(owner=owner, name=f"{prefix} {index:02}", added_on=ADDED, **fields)
        for index in range(count)
    ]
    contacts_recompute_due(owner=owner, contact_ids=[c.pk for c in made])
    return made


# --- Each action changes exactly the selected rows ------------------------------------------------


def test_moving_12_people_to_a_60_day_circle_moves_their_dates(
    alice_client, alice, circles, frozen_now
):
    selected = people(alice, 12, prefix="Moving", circle=circles["friends"])
    staying = people(alice, 3, prefix="Staying", circle=circles["friends"])
    assert set(dates(selected)) == {dt.date(2026, 12, 1)}

    response = bulk(
        alice_client, "set_circle", selected, target_circle=circles["mentors"].pk, querystring="q=o"
    )

    assert response.status_code == 302
    assert response.url == reverse("contacts:list") + "?q=o"
    assert "Moved 12 people to Mentors." in messages_after(alice_client, response)
    assert set(
        Contact.objects.filter(pk__in=[c.pk for c in selected]).values_list("circle", flat=True)
    ) == {circles["mentors"].pk}
    assert dates(selected) == [dt.date(2026, 12, 31)] * 12
    assert dates(staying) == [dt.date(2026, 12, 1)] * 3
    assert all(
        c.circle_id == circles["friends"].pk
        for c in Contact.objects.filter(name__startswith="Staying")
    )


def test_own_rhythm_still_wins_after_a_circle_move(alice_client, alice, circles, frozen_now):
    own = people(alice, 1, prefix="Own", circle=circles["friends"], cadence_days=7)[0]
    bulk(alice_client, "set_circle", [own], target_circle=circles["mentors"].pk)
    own.refresh_from_db()
    assert own.circle == circles["mentors"]
    assert own.next_reach_out_on == ADDED + dt.timedelta(days=7)


def test_taking_people_out_of_their_circle(alice_client, alice, circles, frozen_now):
    selected = people(alice, 2, circle=circles["friends"])
    response = bulk(alice_client, "set_circle", selected, target_circle="")
    assert "Took 2 people out of their circle." in messages_after(alice_client, response)
    assert dates(selected) == [None, None]
    assert not Contact.objects.filter(circle__isnull=False).exists()


def test_setting_and_clearing_a_rhythm(alice_client, alice, circles, frozen_now):
    selected = people(alice, 3, prefix="Selected", circle=circles["friends"])
    other = people(alice, 1, prefix="Other", circle=circles["friends"])

    response = bulk(alice_client, "set_cadence", selected, cadence_days="7")
    assert "Set 3 people to every 7 days." in messages_after(alice_client, response)
    assert dates(selected) == [dt.date(2026, 11, 8)] * 3
    assert set(
        Contact.objects.filter(pk__in=[c.pk for c in selected]).values_list(
            "cadence_days", flat=True
        )
    ) == {7}
    assert dates(other) == [dt.date(2026, 12, 1)]

    response = bulk(alice_client, "set_cadence", selected[:2], cadence_days="")
    assert "Set 2 people to follow their circle." in messages_after(alice_client, response)
    assert dates(selected) == [dt.date(2026, 12, 1)] * 2 + [dt.date(2026, 11, 8)]


def test_a_silly_rhythm_is_refused(alice_client, alice, frozen_now):
    selected = people(alice, 2, cadence_days=30)
    response = bulk(alice_client, "set_cadence", selected, cadence_days="0")
    assert "Ensure this value is greater than or equal to 1." in messages_after(
        alice_client, response
    )
    assert set(Contact.objects.values_list("cadence_days", flat=True)) == {30}
    assert not BulkChange.objects.exists()


@pytest.mark.parametrize(
    ("action", "field", "before", "after", "message"),
    [
        ("pause", "paused", False, True, "Paused reminders for 2 people."),
        ("unpause", "paused", True, False, "Resumed reminders for 2 people."),
        ("archive", "archived", False, True, "Archived 2 people."),
        ("unarchive", "archived", True, False, "Brought back 2 people."),
    ],
)
def test_flags_change_on_exactly_the_selected_rows(
    alice_client, alice, frozen_now, action, field, before, after, message
):
    selected = people(alice, 2, prefix="Selected", cadence_days=7, **{field: before})
    people(alice, 2, prefix="Other", cadence_days=7, **{field: before})
    response = bulk(alice_client, action, selected)
    assert message in messages_after(alice_client, response)
    changed = dict(Contact.objects.values_list("name", field))
    assert changed == {
        "Selected 00": after,
        "Selected 01": after,
        "Other 00": before,
        "Other 01": before,
    }


def test_one_person_is_a_person(alice_client, alice, frozen_now):
    response = bulk(alice_client, "archive", people(alice, 1))
    assert "Archived 1 person." in messages_after(alice_client, response)


def test_adding_an_interest_reuses_the_existing_one(alice_client, alice, frozen_now):
    jazz = InterestFactory(owner=alice, name="Jazz")
    selected = people(alice, 3, prefix="Selected")
    selected[0].interests.add(jazz)
    other = people(alice, 1, prefix="Other")[0]

    response = bulk(alice_client, "add_interest", selected, interest_name="  JÁZZ ")

    assert "Added “Jazz” to 3 people." in messages_after(alice_client, response)
    assert Interest.objects.filter(owner=alice).count() == 1
    assert set(jazz.contacts.values_list("pk", flat=True)) == {c.pk for c in selected}
    assert not other.interests.exists()


def test_adding_a_new_interest_creates_it_once(alice_client, alice, frozen_now):
    selected = people(alice, 4)
    bulk(alice_client, "add_interest", selected, interest_name="Climbing")
    climbing = Interest.objects.get(owner=alice)
    assert climbing.name == "Climbing"
    assert climbing.contacts.count() == 4


def test_removing_an_interest_from_the_selected_rows(alice_client, alice, frozen_now):
    jazz = InterestFactory(owner=alice, name="Jazz")
    chess = InterestFactory(owner=alice, name="Chess")
    selected = people(alice, 2, prefix="Selected")
    other = people(alice, 1, prefix="Other")[0]
    for contact in [*selected, other]:
        contact.interests.add(jazz, chess)

    response = bulk(alice_client, "remove_interest", selected, target_interest=jazz.pk)

    assert "Removed “Jazz” from 2 people." in messages_after(alice_client, response)
    assert list(jazz.contacts.all()) == [other]
    assert chess.contacts.count() == 3
    assert Interest.objects.filter(pk=jazz.pk).exists()


@pytest.mark.parametrize(
    ("action", "extra", "error"),
    [
        ("add_interest", {"interest_name": "  "}, "Type the interest to add."),
        ("remove_interest", {}, "Pick the interest to remove."),
        ("nonsense", {}, "Select a valid choice. nonsense is not one of the available choices."),
    ],
)
def test_incomplete_actions_are_refused(alice_client, alice, frozen_now, action, extra, error):
    selected = people(alice, 2)
    response = bulk(alice_client, action, selected, **extra)
    assert error in messages_after(alice_client, response)
    assert not BulkChange.objects.exists()
    assert not Interest.objects.exists()


def test_no_tick_at_all_is_refused(alice_client, alice, circles, frozen_now):
    people(alice, 2, circle=circles["friends"])
    before = snapshot(alice)
    response = bulk(alice_client, "set_circle", [], target_circle=circles["mentors"].pk)
    assert "Tick at least one person first." in messages_after(alice_client, response)
    assert snapshot(alice) == before
    assert not BulkChange.objects.exists()


# --- "All matching" -----------------------------------------------------------------------------


def test_all_matching_applies_to_every_contact_matching_the_filters(
    alice_client, alice, circles, frozen_now
):
    # More than a page (50) matches, so this is not just the rows that were shown.
    matching = people(alice, 55, prefix="Lisbon", circle=circles["friends"], city="Lisbon")
    wrong_circle = people(alice, 3, prefix="Lisbon Mentor", circle=circles["mentors"])
    wrong_words = people(alice, 3, prefix="Porto", circle=circles["friends"])
    archived = people(alice, 2, prefix="Lisbon Gone", circle=circles["friends"], archived=True)

    response = alice_client.post(
        BULK,
        {
            "action": "set_cadence",
            "cadence_days": "90",
            "all_matching": "on",
            # Ticking an outsider doesn't add them to "all matching".
            "ids": [wrong_words[0].pk],
            "q": "lisbon",
            "circle": circles["friends"].pk,
            "status": "",
            "querystring": f"q=lisbon&circle={circles['friends'].pk}",
        },
    )

    assert "Set 55 people to every 90 days." in messages_after(alice_client, response)
    assert set(dates(matching)) == {ADDED + dt.timedelta(days=90)}
    changed = set(Contact.objects.filter(cadence_days=90).values_list("pk", flat=True))
    assert changed == {c.pk for c in matching}
    assert not {c.pk for c in wrong_circle + wrong_words + archived} & changed


def test_all_matching_with_the_archived_filter(alice_client, alice, frozen_now):
    people(alice, 3, prefix="Gone", archived=True)
    people(alice, 2, prefix="Gone Active")
    people(alice, 2, prefix="Other", archived=True)
    response = alice_client.post(
        BULK, {"action": "unarchive", "all_matching": "on", "q": "gone", "status": "archived"}
    )
    assert "Brought back 3 people." in messages_after(alice_client, response)
    assert set(Contact.objects.filter(archived=False).values_list("name", flat=True)) == {
        "Gone 00",
        "Gone 01",
        "Gone 02",
        "Gone Active 00",
        "Gone Active 01",
    }


def test_all_matching_with_an_interest_filter_never_reaches_bobs(
    alice_client, alice, bob, frozen_now
):
    jazz = InterestFactory(owner=alice, name="Jazz")
    fans = people(alice, 3, prefix="Fan")
    for fan in fans:
        fan.interests.add(jazz)
    people(alice, 2, prefix="Not a fan")
    bobs = people(bob, 2, prefix="Bob fan")
    bobs_jazz = InterestFactory(owner=bob, name="Jazz")
    for contact in bobs:
        contact.interests.add(bobs_jazz)

    response = alice_client.post(
        BULK, {"action": "pause", "all_matching": "on", "interest": jazz.pk}
    )

    assert "Paused reminders for 3 people." in messages_after(alice_client, response)
    assert set(Contact.objects.filter(paused=True).values_list("pk", flat=True)) == {
        c.pk for c in fans
    }


# --- Undo -----------------------------------------------------------------------------------------


@pytest.fixture
def mixed(alice, circles):
    """Contacts in every state a bulk change touches, so undo has something to put back."""
    jazz = InterestFactory(owner=alice, name="Jazz")
    chess = InterestFactory(owner=alice, name="Chess")
    rows = [
        ContactFactory(owner=alice, name="In Friends", circle=circles["friends"], added_on=ADDED),
        ContactFactory(owner=alice, name="In Mentors", circle=circles["mentors"], added_on=ADDED),
        ContactFactory(owner=alice, name="Own Rhythm", cadence_days=7, added_on=ADDED),
        ContactFactory(
            owner=alice,
            name="Paused",
            circle=circles["friends"],
            cadence_days=21,
            paused=True,
            added_on=ADDED,
        ),
        ContactFactory(
            owner=alice, name="Snoozed", cadence_days=10, snoozed_until=dt.date(2027, 1, 15)
        ),
        ContactFactory(owner=alice, name="Archived", circle=circles["mentors"], archived=True),
        ContactFactory(owner=alice, name="No Rhythm", added_on=ADDED),
    ]
    InteractionFactory(
        owner=alice,
        contacts=[rows[0], rows[2]],
        occurred_at=dt.datetime(2026, 10, 20, 12, tzinfo=dt.UTC),
    )
    rows[0].interests.add(jazz, chess)
    rows[3].interests.add(jazz)
    rows[6].interests.add(chess)
    contacts_recompute_due(owner=alice)
    return {"rows": rows, "jazz": jazz, "chess": chess}


UNDOABLE = [
    ("set_circle", {"target_circle": "mentors"}),
    ("set_circle", {"target_circle": ""}),
    ("set_cadence", {"cadence_days": "90"}),
    ("set_cadence", {"cadence_days": ""}),
    ("pause", {}),
    ("unpause", {}),
    ("archive", {}),
    ("unarchive", {}),
    ("add_interest", {"interest_name": "jazz"}),
    ("add_interest", {"interest_name": "Brand new"}),
    ("remove_interest", {"target_interest": "jazz"}),
]


@pytest.mark.parametrize(("action", "extra"), UNDOABLE)
def test_undo_restores_everything_exactly(
    alice_client, alice, circles, mixed, frozen_now, action, extra
):
    resolved = {
        key: (
            circles[value].pk
            if value in circles
            else mixed[value].pk
            if key == "target_interest"
            else value
        )
        for key, value in extra.items()
    }
    before = snapshot(alice)
    response = bulk(alice_client, action, mixed["rows"], **resolved)
    assert response.status_code == 302
    assert snapshot(alice) != before  # the change did something worth undoing
    change = BulkChange.objects.get(owner=alice)

    response = alice_client.post(
        reverse("contacts:bulk_undo", args=[change.pk]), {"next": "/contacts/?q=x"}
    )

    assert response.status_code == 302
    assert response.url == "/contacts/?q=x"
    assert f"Undone: {change.description}." in messages_after(alice_client, response)
    assert snapshot(alice) == before
    change.refresh_from_db()
    assert change.undone_at is not None


def test_undo_of_an_interest_added_keeps_it_on_those_who_had_it(
    alice_client, alice, mixed, frozen_now
):
    jazz = mixed["jazz"]
    had_it = set(jazz.contacts.values_list("pk", flat=True))
    bulk(alice_client, "add_interest", mixed["rows"], interest_name="Jazz")
    assert jazz.contacts.count() == len(mixed["rows"])
    change = BulkChange.objects.get()
    alice_client.post(reverse("contacts:bulk_undo", args=[change.pk]))
    assert set(jazz.contacts.values_list("pk", flat=True)) == had_it


def test_the_list_offers_to_undo_the_last_change(alice_client, alice, mixed, frozen_now):
    bulk(alice_client, "pause", mixed["rows"][:2])
    page = text(alice_client.get(reverse("contacts:list")))
    change = BulkChange.objects.get()
    assert "Last bulk change: Paused reminders for 2 people." in page
    assert reverse("contacts:bulk_undo", args=[change.pk]) in page


def test_only_the_most_recent_change_can_be_undone_and_only_once(
    alice_client, alice, circles, mixed, frozen_now
):
    rows = mixed["rows"]
    original = snapshot(alice)
    bulk(alice_client, "set_circle", rows, target_circle=circles["mentors"].pk)
    after_first = snapshot(alice)
    bulk(alice_client, "pause", rows)
    after_second = snapshot(alice)
    first, second = BulkChange.objects.order_by("pk")

    response = alice_client.post(reverse("contacts:bulk_undo", args=[first.pk]))
    assert "Only the most recent bulk change can be undone." in messages_after(
        alice_client, response
    )
    assert snapshot(alice) == after_second
    first.refresh_from_db()
    assert first.undone_at is None

    alice_client.post(reverse("contacts:bulk_undo", args=[second.pk]))
    assert snapshot(alice) == after_first

    response = alice_client.post(reverse("contacts:bulk_undo", args=[second.pk]))
    assert "Only the most recent bulk change can be undone." in messages_after(
        alice_client, response
    )
    assert snapshot(alice) == after_first
    assert snapshot(alice) != original


def test_after_an_undo_the_list_does_not_offer_an_undo_that_will_be_refused(
    alice_client, alice, circles, mixed, frozen_now
):
    rows = mixed["rows"]
    bulk(alice_client, "set_circle", rows, target_circle=circles["mentors"].pk)
    bulk(alice_client, "pause", rows)
    _, second = BulkChange.objects.order_by("pk")
    assert re.findall(
        r'action="/contacts/bulk/(\d+)/undo/"', text(alice_client.get(reverse("contacts:list")))
    ) == [str(second.pk)]
    alice_client.post(reverse("contacts:bulk_undo", args=[second.pk]))
    page = text(alice_client.get(reverse("contacts:list")))
    assert re.findall(r'action="/contacts/bulk/(\d+)/undo/"', page) == []
    assert "Last bulk change" not in page


def test_undoing_a_move_out_of_a_circle_deleted_since(alice_client, alice, circles, frozen_now):
    rows = people(alice, 2, circle=circles["friends"])
    bulk(alice_client, "set_circle", rows, target_circle=circles["mentors"].pk)
    alice_client.post(reverse("contacts:circle_delete", args=[circles["friends"].pk]))
    change = BulkChange.objects.get()
    problem = None
    # Rolled back either way: a dangling key would otherwise also break the test's teardown.
    with transaction.atomic():
        response = alice_client.post(reverse("contacts:bulk_undo", args=[change.pk]))
        state = list(Contact.objects.values_list("circle_id", "next_reach_out_on"))
        try:
            connection.check_constraints()
        except IntegrityError as error:
            problem = error
        transaction.set_rollback(True)
    assert problem is None
    assert response.status_code == 302
    # Their old circle is gone: they stay without one, and without a rhythm.
    assert state == [(None, None), (None, None)]


def test_bob_cannot_undo_alices_change(alice_client, alice, bob, mixed, frozen_now):
    bulk(alice_client, "archive", mixed["rows"][:2])
    after = snapshot(alice)
    change = BulkChange.objects.get()
    bob_client = Client()
    bob_client.force_login(bob)
    response = bob_client.post(reverse("contacts:bulk_undo", args=[change.pk]))
    assert response.status_code == 404
    assert snapshot(alice) == after
    change.refresh_from_db()
    assert change.undone_at is None


def test_undo_only_accepts_post(alice_client, alice, mixed, frozen_now):
    bulk(alice_client, "archive", mixed["rows"][:2])
    after = snapshot(alice)
    change = BulkChange.objects.get()
    assert alice_client.get(reverse("contacts:bulk_undo", args=[change.pk])).status_code == 405
    assert snapshot(alice) == after


# --- Delete -------------------------------------------------------------------------------------


@pytest.fixture
def to_delete(alice):
    ana, bea, carl = (
        ContactFactory(owner=alice, name=name, cadence_days=7, added_on=ADDED)
        for name in ["Ana Lopez", "Bea Costa", "Carl Jensen"]
    )
    solo = InteractionFactory(owner=alice, contacts=[ana], notes="Just Ana")
    pair = InteractionFactory(owner=alice, contacts=[ana, bea], notes="Ana and Bea")
    shared = InteractionFactory(owner=alice, contacts=[bea, carl], notes="Bea and Carl")
    contacts_recompute_due(owner=alice)
    for contact in [ana, bea, carl]:
        Reminder.objects.create(
            owner=alice, contact=contact, kind=Reminder.Kind.REACH_OUT, due_on=TODAY
        )
    return {"ana": ana, "bea": bea, "carl": carl, "solo": solo, "pair": pair, "shared": shared}


def test_bulk_delete_asks_first_and_deletes_nothing(alice_client, alice, to_delete, frozen_now):
    response = bulk(alice_client, "delete", [to_delete["ana"], to_delete["bea"]])
    assert response.status_code == 200
    page = text(response)
    assert "Delete 2 people?" in page
    assert "This can't be undone." in page
    assert "their notes, interests, important dates and reminders" in page
    assert "removed from 3 logged interactions" in page
    assert "<li>Ana Lopez</li>" in page and "<li>Bea Costa</li>" in page
    assert "Carl Jensen" not in page
    assert "Delete for good" in page
    assert Contact.objects.count() == 3
    assert Reminder.objects.count() == 3
    assert Interaction.objects.count() == 3


def test_bulk_delete_after_confirming(alice_client, alice, to_delete, frozen_now):
    carl = to_delete["carl"]
    carl_before = Contact.objects.get(pk=carl.pk)
    confirm = text(bulk(alice_client, "delete", [to_delete["ana"], to_delete["bea"]]))
    # Post exactly what the confirmation page's form carries.
    form = re.search(r'<form method="post" action="/contacts/bulk/".*?</form>', confirm, re.S)
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0))
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    assert data["confirmed"] == ["yes"]

    response = alice_client.post(BULK, data)

    assert "Deleted 2 people." in messages_after(alice_client, response)
    assert list(Contact.objects.values_list("name", flat=True)) == ["Carl Jensen"]
    assert list(Reminder.objects.values_list("contact", flat=True)) == [carl.pk]
    # Interactions with nobody left go; the one shared with Carl stays, with Carl only.
    assert list(Interaction.objects.values_list("notes", flat=True)) == ["Bea and Carl"]
    assert list(to_delete["shared"].contacts.all()) == [carl]
    carl.refresh_from_db()
    assert carl.last_interaction_on == carl_before.last_interaction_on
    assert carl.next_reach_out_on == carl_before.next_reach_out_on


def test_bulk_delete_of_all_matching_lists_the_first_ten(alice_client, alice, frozen_now):
    people(alice, 12, prefix="Gone")
    people(alice, 2, prefix="Kept")
    response = alice_client.post(
        BULK, {"action": "delete", "all_matching": "on", "q": "gone", "querystring": "q=gone"}
    )
    page = text(response)
    assert "Delete 12 people?" in page
    assert "…and 2 more" in page
    # "All matching" is confirmed by its filter, not by a list of ids.
    assert page.count('name="ids"') == 0
    assert 'name="all_matching" value="on"' in page
    assert 'name="q" value="gone"' in page
    assert Contact.objects.count() == 14

    response = alice_client.post(
        BULK,
        {
            "action": "delete",
            "confirmed": "yes",
            "all_matching": "on",
            "q": "gone",
            "querystring": "q=gone",
        },
    )
    assert response.url == reverse("contacts:list") + "?q=gone"
    assert "Deleted 12 people." in messages_after(alice_client, response)
    assert set(Contact.objects.values_list("name", flat=True)) == {"Kept 00", "Kept 01"}


# --- Only the owner's rows ------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["archive", "delete", "set_cadence"])
def test_bobs_ids_are_rejected(alice_client, alice, bob, frozen_now, action):
    mine = people(alice, 1, prefix="Mine", cadence_days=30)[0]
    theirs = people(bob, 1, prefix="Bobs", cadence_days=30)[0]
    before = snapshot(alice), snapshot(bob)

    response = bulk(alice_client, action, [mine, theirs], cadence_days="7", confirmed="yes")

    page = messages_after(alice_client, response)
    assert f"Select a valid choice. {theirs.pk} is not one of the available choices." in page
    assert (snapshot(alice), snapshot(bob)) == before
    assert not BulkChange.objects.exists()


def test_bobs_circle_and_interest_are_rejected_as_targets(alice_client, alice, bob, frozen_now):
    mine = people(alice, 2, cadence_days=30)
    bobs_circle = CircleFactory(owner=bob, name="Bob's circle", cadence_days=5)
    bobs_jazz = InterestFactory(owner=bob, name="Jazz")
    for contact in mine:
        contact.interests.add(InterestFactory(owner=alice, name=f"Mine {contact.pk}"))
    before = snapshot(alice)

    response = bulk(alice_client, "set_circle", mine, target_circle=bobs_circle.pk)
    assert "Select a valid choice." in messages_after(alice_client, response)
    response = bulk(alice_client, "remove_interest", mine, target_interest=bobs_jazz.pk)
    assert "Select a valid choice." in messages_after(alice_client, response)

    assert snapshot(alice) == before
    assert not BulkChange.objects.exists()
    assert not bobs_circle.contacts.exists()


def test_bulk_needs_a_login_and_a_post(client, alice, frozen_now):
    mine = people(alice, 1)
    response = client.post(BULK, {"action": "archive", "ids": [mine[0].pk]})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(alice)
    assert client.get(BULK).status_code == 405
    assert not Contact.objects.filter(archived=True).exists()


# --- Set-based: the number of queries doesn't depend on how many people ---------------------------


@pytest.mark.parametrize(
    ("action", "value"),
    [
        ("set_circle", "circle"),
        ("set_circle", None),
        ("set_cadence", 45),
        ("pause", None),
        ("archive", None),
        ("add_interest", "name"),
        ("remove_interest", "interest"),
    ],
)
def test_bulk_edit_runs_a_constant_number_of_queries(
    alice, bob, frozen_now, django_assert_num_queries, action, value
):
    def setup(owner, count):
        circle = CircleFactory(owner=owner, name="Target", cadence_days=60)
        interest = InterestFactory(owner=owner, name="Jazz")
        contacts = people(owner, count, cadence_days=30)
        for contact in contacts:
            contact.interests.add(interest)
        return contacts, {"circle": circle, "name": f"New {count}", "interest": interest}.get(
            value, value
        )

    # Two owners so both runs start from the same state (a new interest to create, etc.).
    few, few_value = setup(alice, 5)
    many, many_value = setup(bob, 50)
    with CaptureQueriesContext(connection) as small:
        contacts_bulk_edit(
            owner=alice, contact_ids=[c.pk for c in few], action=action, value=few_value
        )
    with django_assert_num_queries(len(small)):
        change = contacts_bulk_edit(
            owner=bob, contact_ids=[c.pk for c in many], action=action, value=many_value
        )
    assert "50 people" in change.description
    # 16: adding or removing an interest also marks the people changed for the API's sync;
    # 17 with the page cache's version bump (network_crm/owner_cache.py).
    assert len(small) <= 17


def _bulk_people(owner, count: int, prefix: str) -> None:
    rows = [
        Contact(owner=owner, name=f"{prefix} {index:04}", added_on=ADDED) for index in range(count)
    ]
    for row in rows:
        row.fill_folded_fields()
    Contact.objects.bulk_create(rows)


def test_deleting_more_than_a_thousand_matching_people(alice_client, alice, frozen_now):
    _bulk_people(alice, 1001, "Gone")
    _bulk_people(alice, 2, "Kept")
    confirm = text(alice_client.post(BULK, {"action": "delete", "all_matching": "on", "q": "gone"}))
    assert "Delete 1001 people?" in confirm
    form = re.search(r'<form method="post" action="/contacts/bulk/".*?</form>', confirm, re.S)
    data: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0)
    ):
        data.setdefault(name, []).append(value)

    response = alice_client.post(BULK, data)

    assert response.status_code == 302
    assert set(Contact.objects.values_list("name", flat=True)) == {"Kept 0000", "Kept 0001"}
