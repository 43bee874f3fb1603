"""/api/v1/interactions/: logging, editing and deleting through the API moves the same dates and
counts as the app does; bad bodies are 400s per field; another user's rows and ids are 404/400."""

from __future__ import annotations

import datetime as dt

import pytest

from api.base import etag_of
from contacts.models import Contact
from interactions.models import ActivityDay, Interaction
from reminders.models import Reminder
from tests.factories import CircleFactory, ContactFactory, InteractionFactory

URL = "/api/v1/interactions/"


def detail(pk: int) -> str:
    return f"{URL}{pk}/"


@pytest.fixture
def ada(alice):
    return ContactFactory(owner=alice, name="Ada Lovelace", cadence_days=14)


@pytest.fixture
def grace(alice):
    return ContactFactory(owner=alice, name="Grace Hopper", cadence_days=30)


def log(client, **body):
    return client.post(URL, body, format="json")


# --- Logging ----------------------------------------------------------------------------------


def test_logging_moves_the_persons_dates_and_the_days_count(alice_api, alice, ada, frozen_now):
    response = log(alice_api, kind="call", contacts=[ada.pk], notes="Talked about engines")

    assert response.status_code == 201
    body = response.json()
    interaction = Interaction.objects.get(pk=body["id"])
    assert response["Location"].endswith(detail(interaction.pk))
    assert response["ETag"] == etag_of(body)
    assert body["kind"] == "call"
    assert body["contacts"] == [ada.pk]
    assert body["occurred_on"] == "2026-11-28"
    assert dt.datetime.fromisoformat(body["occurred_at"]) == dt.datetime(
        2026, 11, 28, 9, 30, tzinfo=dt.UTC
    )
    assert body["notes"] == "Talked about engines"
    assert interaction.owner == alice
    ada.refresh_from_db()
    assert ada.last_interaction_on == dt.date(2026, 11, 28)
    assert ada.next_reach_out_on == dt.date(2026, 12, 12)
    day = ActivityDay.objects.get(owner=alice, day=dt.date(2026, 11, 28))
    assert (day.total, day.by_me, day.by_them) == (1, 0, 0)


def test_a_backdated_day_in_the_users_zone_is_noon_there(alice_api, alice, ada, frozen_now):
    alice.settings.time_zone = "Pacific/Auckland"
    alice.settings.save()

    response = log(alice_api, contacts=[ada.pk], occurred_on="2026-11-20", initiated_by="them")

    assert response.status_code == 201, response.json()
    interaction = Interaction.objects.get(pk=response.json()["id"])
    assert interaction.occurred_on == dt.date(2026, 11, 20)
    assert interaction.occurred_at == dt.datetime(2026, 11, 19, 23, tzinfo=dt.UTC)  # noon NZDT
    assert interaction.initiated_by == "them"
    assert ActivityDay.objects.get(owner=alice, day=dt.date(2026, 11, 20)).by_them == 1


def test_an_exact_moment_is_kept_and_dated_in_the_users_zone(alice_api, alice, ada, frozen_now):
    alice.settings.time_zone = "America/New_York"
    alice.settings.save()

    response = log(alice_api, contacts=[ada.pk], occurred_at="2026-11-28T03:15:07Z")

    assert response.status_code == 201, response.json()
    interaction = Interaction.objects.get(pk=response.json()["id"])
    assert interaction.occurred_at == dt.datetime(2026, 11, 28, 3, 15, 7, tzinfo=dt.UTC)
    assert interaction.occurred_on == dt.date(2026, 11, 27)  # 22:15 the evening before there


def test_a_moment_without_offset_is_on_the_users_clock(alice_api, alice, ada, frozen_now):
    alice.settings.time_zone = "Europe/Paris"
    alice.settings.save()

    response = log(alice_api, contacts=[ada.pk], occurred_at="2026-11-27T23:30:00")

    assert response.status_code == 201, response.json()
    interaction = Interaction.objects.get(pk=response.json()["id"])
    assert interaction.occurred_at == dt.datetime(2026, 11, 27, 22, 30, tzinfo=dt.UTC)
    assert interaction.occurred_on == dt.date(2026, 11, 27)


def test_a_group_interaction_with_a_follow_up(alice_api, alice, ada, grace, frozen_now):
    response = log(
        alice_api,
        kind="meal",
        contacts=[grace.pk, ada.pk],
        place="Chez Paul",
        duration_minutes=90,
        follow_up_on="2026-12-02",
        follow_up_note="Send the paper",
        ask_next_time="The new job",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["contacts"] == sorted([ada.pk, grace.pk])
    assert (body["place"], body["duration_minutes"]) == ("Chez Paul", 90)
    assert (body["follow_up_on"], body["follow_up_note"]) == ("2026-12-02", "Send the paper")
    assert body["ask_next_time"] == "The new job"
    assert Contact.objects.filter(last_interaction_on=dt.date(2026, 11, 28)).count() == 2


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "contacts", "required"),
        ({"contacts": []}, "contacts", "at least one contact"),
        ({"contacts": list(range(1, 202))}, "contacts", "At most 200"),
        ({"contacts": ["x"]}, "contacts", "valid integer"),
        ({"contacts": [10**30]}, "contacts", "less than or equal"),
        ({"kind": "dance"}, "kind", "not a valid choice"),
        ({"occurred_on": "2026-11-29"}, "occurred_on", "hasn't happened yet"),
        ({"occurred_at": "2026-11-29T12:00:00Z"}, "occurred_at", "hasn't happened yet"),
        ({"occurred_on": "1900-01-01"}, "occurred_on", "hundred years"),
        ({"occurred_at": "yesterday"}, "occurred_at", "format"),
        ({"occurred_at": "0001-01-01T00:30:00Z"}, "occurred_at", "hundred years"),
        ({"duration_minutes": 0}, "duration_minutes", "greater than or equal"),
        ({"follow_up_note": "Call back"}, "follow_up_on", "When should you follow up"),
        ({"follow_up_on": "2300-01-01"}, "follow_up_on", "hundred years"),
        ({"initiated_by": "nobody"}, "initiated_by", "not a valid choice"),
        ({"place": "x" * 201}, "place", "200"),
    ],
)
def test_bad_bodies_are_400_per_field_and_log_nothing(
    alice_api, alice, ada, frozen_now, body, field, message
):
    alice.settings.time_zone = "America/New_York"  # west of UTC: year 1 can't be shifted there
    alice.settings.save()
    if "contacts" not in body and field != "contacts":
        body = {**body, "contacts": [ada.pk]}

    response = log(alice_api, **body)

    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Interaction.objects.exists()
    assert not ActivityDay.objects.exists()


def test_another_users_contact_is_not_found(alice_api, bob, ada, frozen_now):
    bobs = ContactFactory(owner=bob, name="Bob's friend")

    response = log(alice_api, contacts=[ada.pk, bobs.pk])

    assert response.status_code == 400
    assert response.json() == {
        "contacts": [f"Contact {bobs.pk} was not found among your active contacts."]
    }
    assert not Interaction.objects.exists()
    bobs.refresh_from_db()
    assert bobs.last_interaction_on is None


def test_an_archived_contact_cannot_be_logged_with(alice_api, alice, frozen_now):
    gone = ContactFactory(owner=alice, archived=True)

    response = log(alice_api, contacts=[gone.pk])

    assert response.status_code == 400
    assert "not found" in response.json()["contacts"][0]


def test_a_read_token_cannot_log(alice_api_read, ada, frozen_now):
    response = log(alice_api_read, contacts=[ada.pk])

    assert response.status_code == 403
    assert not Interaction.objects.exists()


# --- Reading ------------------------------------------------------------------------------------


def test_retrieve_with_its_etag(alice_api, alice, ada):
    interaction = InteractionFactory(owner=alice, contacts=[ada], notes="Hello")

    response = alice_api.get(detail(interaction.pk))

    assert response.status_code == 200
    assert response.json()["notes"] == "Hello"
    assert response["ETag"] == etag_of(response.json())


def test_another_users_interaction_is_404_for_every_method(bob_api, alice, ada):
    interaction = InteractionFactory(owner=alice, contacts=[ada], notes="Private")
    before = Interaction.objects.get(pk=interaction.pk).updated_at

    assert bob_api.get(detail(interaction.pk)).status_code == 404
    assert bob_api.patch(detail(interaction.pk), {"notes": "x"}, format="json").status_code == 404
    assert bob_api.put(detail(interaction.pk), {"contacts": [1]}, format="json").status_code == 404
    assert bob_api.delete(detail(interaction.pk)).status_code == 404
    interaction.refresh_from_db()
    assert (interaction.notes, interaction.updated_at) == ("Private", before)
    assert bob_api.get(URL).json()["results"] == []


def test_the_list_filters_like_the_activity_page(alice_api, alice, bob, ada, grace, frozen_now):
    circle = CircleFactory(owner=alice, name="Scientists")
    grace.circle = circle
    grace.save()
    first = InteractionFactory(
        owner=alice,
        contacts=[ada],
        kind="call",
        occurred_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    second = InteractionFactory(
        owner=alice,
        contacts=[grace],
        kind="coffee",
        occurred_at=dt.datetime(2026, 11, 10, tzinfo=dt.UTC),
    )
    InteractionFactory(owner=bob, contacts=[ContactFactory(owner=bob)])

    def ids(query: str) -> list[int]:
        response = alice_api.get(URL + query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids("") == [first.pk, second.pk]
    assert ids(f"?contact={ada.pk}") == [first.pk]
    assert ids(f"?circle={circle.pk}") == [second.pk]
    assert ids("?kind=coffee") == [second.pk]
    assert ids("?since=2026-11-05") == [second.pk]
    assert ids("?until=2026-11-05") == [first.pk]
    assert ids("?page_size=1") == [first.pk]


def test_another_users_contact_as_a_filter_shows_nothing(alice_api, alice, bob, ada):
    InteractionFactory(owner=alice, contacts=[ada])
    bobs = ContactFactory(owner=bob)
    InteractionFactory(owner=bob, contacts=[bobs])

    response = alice_api.get(f"{URL}?contact={bobs.pk}")

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?kind=dance", "kind"),
        ("?contact=abc", "contact"),
        ("?contact=99999999999999999999999", "contact"),
        ("?since=yesterday", "since"),
        ("?since=2026-11-10&until=2026-11-01", "until"),
        ("?updated_since=soon", "updated_since"),
    ],
)
def test_bad_filters_are_400(alice_api, query, field):
    response = alice_api.get(URL + query)

    assert response.status_code == 400
    assert field in response.json()


def test_updated_since_lists_what_changed(alice_api, alice, ada, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC), tick=False)
    old = InteractionFactory(owner=alice, contacts=[ada])
    time_machine.move_to(dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC), tick=False)
    new = InteractionFactory(owner=alice, contacts=[ada])

    response = alice_api.get(f"{URL}?updated_since=2026-11-10T00:00:00Z")

    assert [row["id"] for row in response.json()["results"]] == [new.pk]
    assert old.pk not in [row["id"] for row in response.json()["results"]]


def test_the_list_runs_a_constant_number_of_queries(
    alice_api, alice, ada, grace, django_assert_max_num_queries
):
    def page_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert alice_api.get(URL).status_code == 200
        return len(queries)

    InteractionFactory(owner=alice, contacts=[ada])
    few = page_queries()
    for _ in range(30):
        InteractionFactory(owner=alice, contacts=[ada, grace])
    with django_assert_max_num_queries(few):
        response = alice_api.get(URL)
    assert len(response.json()["results"]) == 31
    assert response.json()["results"][-1]["contacts"] == sorted([ada.pk, grace.pk])


# --- Editing and deleting ----------------------------------------------------------------------


def test_redating_moves_the_dates_and_both_days(alice_api, alice, ada, frozen_now):
    created = log(alice_api, contacts=[ada.pk], occurred_on="2026-11-20").json()

    response = alice_api.patch(detail(created["id"]), {"occurred_on": "2026-11-25"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["occurred_on"] == "2026-11-25"
    assert response["ETag"] == etag_of(response.json())
    ada.refresh_from_db()
    assert ada.last_interaction_on == dt.date(2026, 11, 25)
    days = dict(ActivityDay.objects.filter(owner=alice).values_list("day", "total"))
    assert days == {dt.date(2026, 11, 20): 0, dt.date(2026, 11, 25): 1}


def test_patching_notes_keeps_the_moment_and_people(alice_api, alice, ada, grace, frozen_now):
    created = log(
        alice_api, contacts=[ada.pk, grace.pk], occurred_at="2026-11-27T17:45:12.5+00:00"
    ).json()

    response = alice_api.patch(detail(created["id"]), {"notes": "Edited"}, format="json")

    assert response.status_code == 200, response.json()
    interaction = Interaction.objects.get(pk=created["id"])
    assert interaction.notes == "Edited"
    assert interaction.occurred_at == dt.datetime(2026, 11, 27, 17, 45, 12, 500000, tzinfo=dt.UTC)
    assert set(interaction.contacts.values_list("pk", flat=True)) == {ada.pk, grace.pk}


def test_changing_who_was_there_recomputes_both(alice_api, alice, ada, grace, frozen_now):
    created = log(alice_api, contacts=[ada.pk], occurred_on="2026-11-20").json()

    response = alice_api.put(
        detail(created["id"]), {"contacts": [grace.pk], "kind": "call"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["contacts"] == [grace.pk]
    # As everywhere in DRF, an optional field left out keeps its value (here the day).
    assert response.json()["occurred_on"] == "2026-11-20"
    assert response.json()["kind"] == "call"
    ada.refresh_from_db()
    grace.refresh_from_db()
    assert ada.last_interaction_on is None
    assert grace.last_interaction_on == dt.date(2026, 11, 20)


def test_an_archived_participant_stays_but_none_can_be_added(alice_api, alice, ada, frozen_now):
    created = log(alice_api, contacts=[ada.pk]).json()
    Contact.objects.filter(pk=ada.pk).update(archived=True)
    gone = ContactFactory(owner=alice, archived=True)

    kept = alice_api.patch(detail(created["id"]), {"notes": "still here"}, format="json")
    added = alice_api.patch(detail(created["id"]), {"contacts": [ada.pk, gone.pk]}, format="json")

    assert kept.status_code == 200
    assert added.status_code == 400
    assert list(Interaction.objects.get(pk=created["id"]).contacts.all()) == [ada]


def test_moving_the_follow_up_drops_the_pending_reminder(alice_api, alice, ada, frozen_now):
    created = log(
        alice_api, contacts=[ada.pk], follow_up_on="2026-11-28", follow_up_note="Send it"
    ).json()
    Reminder.objects.create(
        owner=alice,
        contact=ada,
        interaction_id=created["id"],
        kind=Reminder.Kind.FOLLOW_UP,
        due_on=dt.date(2026, 11, 28),
        note="Send it",
    )

    response = alice_api.patch(detail(created["id"]), {"follow_up_on": "2026-12-05"}, format="json")

    assert response.status_code == 200
    assert not Reminder.objects.filter(state__in=Reminder.LIVE_STATES).exists()


def test_a_bad_edit_changes_nothing(alice_api, alice, ada, frozen_now):
    created = log(alice_api, contacts=[ada.pk], notes="Before").json()

    response = alice_api.patch(
        detail(created["id"]), {"notes": "After", "occurred_on": "2027-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert "occurred_on" in response.json()
    assert Interaction.objects.get(pk=created["id"]).notes == "Before"


def test_a_read_token_cannot_edit_or_delete(alice_api_read, alice, ada):
    interaction = InteractionFactory(owner=alice, contacts=[ada], notes="Kept")

    assert (
        alice_api_read.patch(detail(interaction.pk), {"notes": "x"}, format="json").status_code
        == 403
    )
    assert alice_api_read.delete(detail(interaction.pk)).status_code == 403
    interaction.refresh_from_db()
    assert interaction.notes == "Kept"


def test_deleting_falls_back_on_what_remains(alice_api, alice, ada, frozen_now):
    older = log(alice_api, contacts=[ada.pk], occurred_on="2026-11-01").json()
    newer = log(alice_api, contacts=[ada.pk], occurred_on="2026-11-20").json()

    response = alice_api.delete(detail(newer["id"]))

    assert response.status_code == 204
    assert list(Interaction.objects.values_list("pk", flat=True)) == [older["id"]]
    ada.refresh_from_db()
    assert ada.last_interaction_on == dt.date(2026, 11, 1)
    assert ActivityDay.objects.get(owner=alice, day=dt.date(2026, 11, 20)).total == 0
    assert alice_api.get(detail(newer["id"])).status_code == 404
