"""/api/v1/reminders/: the dashboard's due list with its talking points, its "Snooze" and "We're
fine" buttons, and the reminder rows with "Done" — the same selectors and services as the app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact
from contacts.services import contacts_recompute_due
from interactions.services import interaction_log
from reminders.models import Reminder
from tests.conftest import FROZEN_NOW
from tests.factories import CircleFactory, ContactFactory, InterestFactory

TODAY = FROZEN_NOW.date()  # Saturday 28 November 2026
DUE = "/api/v1/reminders/due/"


def due_people(owner, count: int, *, circle=None) -> list[Contact]:
    """People added on 1 January on a 30-day rhythm: all due today, the first most overdue."""
    people = [
        ContactFactory(owner=owner, name=f"Person {i:02}", cadence_days=30 + i, circle=circle)
        for i in range(count)
    ]
    contacts_recompute_due(owner=owner, today=TODAY)
    return people


def test_the_due_list_is_the_dashboards_with_talking_points(alice_api, alice, frozen_now):
    circle = CircleFactory(owner=alice, name="Old friends")
    ada, grace = due_people(alice, 2, circle=circle)
    jazz = InterestFactory(owner=alice, name="Jazz", mine=True)
    InterestFactory(owner=alice, name="Golf", mine=False)
    ada.interests.add(jazz)
    interaction_log(
        owner=alice,
        contacts=[ada],
        kind="call",
        occurred_at=dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC),
        today=TODAY,
        ask_next_time="Her new job",
    )
    not_due = ContactFactory(owner=alice, name="Not due", cadence_days=None)

    response = alice_api.get(DUE)

    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["more"]) == (2, 0)
    by_id = {row["id"]: row for row in body["results"]}
    assert not_due.pk not in by_id
    ada.refresh_from_db()
    assert by_id[ada.pk] == {
        "id": ada.pk,
        "name": ada.name,
        "circle": circle.pk,
        "circle_name": "Old friends",
        "cadence_days": 30,
        "last_interaction_on": "2026-09-01",
        "next_reach_out_on": "2026-10-01",
        "overdue_days": 58,
        "shared_interests": ["Jazz"],
        "ask_about": "Her new job",
    }
    assert by_id[grace.pk]["shared_interests"] == []
    assert by_id[grace.pk]["ask_about"] == ""


def test_the_due_list_is_capped_by_the_daily_limit_and_counts_the_rest(
    alice_api, alice, frozen_now
):
    people = due_people(alice, 6)
    alice.settings.daily_limit = 4
    alice.settings.save()

    body = alice_api.get(DUE).json()

    assert (body["total"], body["more"]) == (6, 2)
    assert len(body["results"]) == 4
    # Most overdue relative to their rhythm first (the shortest rhythm here).
    assert body["results"][0]["id"] == people[0].pk


def test_the_due_list_runs_a_constant_number_of_queries(
    alice_api, alice, frozen_now, django_assert_max_num_queries
):
    due_people(alice, 1)
    with CaptureQueriesContext(connection) as one:
        alice_api.get(DUE)
    jazz = InterestFactory(owner=alice, name="Jazz", mine=True)
    for person in due_people(alice, 15):
        person.interests.add(jazz)

    with django_assert_max_num_queries(len(one)):
        body = alice_api.get(DUE).json()
    assert body["total"] == 16


def test_bob_sees_only_his_own_due_people(bob_api, alice, frozen_now):
    due_people(alice, 3)

    body = bob_api.get(DUE).json()

    assert body == {"total": 0, "more": 0, "results": []}


# --- Snooze and "we're fine" -------------------------------------------------------------------


def test_snooze_by_days_like_the_dashboard(alice_api, alice, frozen_now):
    (ada,) = due_people(alice, 1)
    reach_out = Reminder.objects.create(
        owner=alice, contact=ada, kind=Reminder.Kind.REACH_OUT, due_on=TODAY
    )

    response = alice_api.post(f"{DUE}{ada.pk}/snooze/", {}, format="json")

    assert response.status_code == 200
    assert response.json()["snoozed_until"] == "2026-12-05"  # a week, the dashboard's default
    assert response.json()["next_reach_out_on"] == "2026-12-05"
    ada.refresh_from_db()
    assert ada.snoozed_until == dt.date(2026, 12, 5)
    reach_out.refresh_from_db()
    assert reach_out.state == Reminder.State.DONE  # no longer due: closed, as from the page
    assert alice_api.get(DUE).json()["total"] == 0


def test_snooze_until_a_date(alice_api, alice, frozen_now):
    (ada,) = due_people(alice, 1)

    response = alice_api.post(f"{DUE}{ada.pk}/snooze/", {"until": "2027-01-15"}, format="json")

    assert response.status_code == 200
    ada.refresh_from_db()
    assert ada.snoozed_until == ada.next_reach_out_on == dt.date(2027, 1, 15)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"days": 0}, "days"),
        ({"days": 366}, "days"),
        ({"days": "soon"}, "days"),
        ({"until": "2026-11-28"}, "until"),  # not after today
        ({"until": "2029-01-01"}, "until"),  # beyond two years
        ({"until": "someday"}, "until"),
        ({"days": 3, "until": "2026-12-10"}, "until"),
    ],
)
def test_a_bad_snooze_is_400_and_changes_nothing(alice_api, alice, frozen_now, body, field):
    (ada,) = due_people(alice, 1)

    response = alice_api.post(f"{DUE}{ada.pk}/snooze/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    ada.refresh_from_db()
    assert ada.snoozed_until is None


def test_were_fine_restarts_the_rhythm_from_today(alice_api, alice, frozen_now):
    (ada,) = due_people(alice, 1)

    response = alice_api.post(f"{DUE}{ada.pk}/fine/")

    assert response.status_code == 200
    assert response.json()["cadence_restarted_on"] == "2026-11-28"
    assert response.json()["next_reach_out_on"] == "2026-12-28"
    ada.refresh_from_db()
    assert ada.cadence_restarted_on == TODAY
    assert ada.last_interaction_on is None  # nothing invented in the log


def test_were_fine_replays_under_the_same_key(alice_api, alice, frozen_now):
    (ada,) = due_people(alice, 1)

    first = alice_api.post(f"{DUE}{ada.pk}/fine/", HTTP_IDEMPOTENCY_KEY="fine-1")
    again = alice_api.post(f"{DUE}{ada.pk}/fine/", HTTP_IDEMPOTENCY_KEY="fine-1")

    assert again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"


def test_another_users_person_is_404_and_unchanged(bob_api, alice, frozen_now):
    (ada,) = due_people(alice, 1)

    assert bob_api.post(f"{DUE}{ada.pk}/snooze/", {"days": 3}, format="json").status_code == 404
    assert bob_api.post(f"{DUE}{ada.pk}/fine/").status_code == 404
    ada.refresh_from_db()
    assert (ada.snoozed_until, ada.cadence_restarted_on) == (None, None)


def test_a_read_token_cannot_act(alice_api_read, alice, frozen_now):
    (ada,) = due_people(alice, 1)

    assert alice_api_read.post(f"{DUE}{ada.pk}/fine/").status_code == 403
    assert alice_api_read.post(f"{DUE}{ada.pk}/snooze/").status_code == 403
    ada.refresh_from_db()
    assert (ada.snoozed_until, ada.cadence_restarted_on) == (None, None)


# --- The reminder rows and "Done" --------------------------------------------------------------


@pytest.fixture
def reminders(alice, frozen_now):
    ada, grace = due_people(alice, 2)
    follow_up = Reminder.objects.create(
        owner=alice, contact=ada, kind=Reminder.Kind.FOLLOW_UP, due_on=TODAY, note="Send the paper"
    )
    reach_out = Reminder.objects.create(
        owner=alice, contact=grace, kind=Reminder.Kind.REACH_OUT, due_on=TODAY
    )
    old = Reminder.objects.create(
        owner=alice,
        contact=grace,
        kind=Reminder.Kind.FOLLOW_UP,
        due_on=dt.date(2026, 6, 1),
        state=Reminder.State.DONE,
        closed_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
    )
    return {"follow_up": follow_up, "reach_out": reach_out, "old": old, "ada": ada, "grace": grace}


def test_the_reminder_list_and_its_filters(alice_api, bob_api, reminders):
    def ids(query: str = "") -> list[int]:
        response = alice_api.get(f"/api/v1/reminders/{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    follow_up, reach_out, old = reminders["follow_up"], reminders["reach_out"], reminders["old"]
    assert ids() == [follow_up.pk, reach_out.pk, old.pk]
    assert ids("?state=live") == [follow_up.pk, reach_out.pk]
    assert ids("?state=done") == [old.pk]
    assert ids("?kind=follow_up") == [follow_up.pk, old.pk]
    assert ids(f"?contact={reminders['grace'].pk}") == [reach_out.pk, old.pk]
    assert bob_api.get("/api/v1/reminders/").json()["results"] == []
    assert alice_api.get("/api/v1/reminders/?state=gone").status_code == 400


def test_one_reminder(alice_api, bob_api, reminders):
    follow_up = reminders["follow_up"]

    response = alice_api.get(f"/api/v1/reminders/{follow_up.pk}/")

    assert response.status_code == 200
    assert response.json()["note"] == "Send the paper"
    assert response.json()["kind"] == "follow_up"
    assert response.json()["state"] == "open"
    assert response.has_header("ETag")
    assert bob_api.get(f"/api/v1/reminders/{follow_up.pk}/").status_code == 404


def test_done_closes_a_follow_up(alice_api, reminders):
    follow_up = reminders["follow_up"]

    response = alice_api.post(f"/api/v1/reminders/{follow_up.pk}/done/")

    assert response.status_code == 200
    assert response.json()["state"] == "done"
    follow_up.refresh_from_db()
    assert follow_up.state == Reminder.State.DONE
    assert follow_up.closed_at == FROZEN_NOW


def test_done_on_a_reach_out_restarts_their_rhythm(alice_api, reminders):
    response = alice_api.post(f"/api/v1/reminders/{reminders['reach_out'].pk}/done/")

    assert response.status_code == 200
    grace = reminders["grace"]
    grace.refresh_from_db()
    assert grace.cadence_restarted_on == TODAY
    assert grace.next_reach_out_on > TODAY
    assert reminders["grace"].pk not in [row["id"] for row in alice_api.get(DUE).json()["results"]]


def test_done_twice_is_a_400_and_keeps_the_first_close(alice_api, reminders, time_machine):
    follow_up = reminders["follow_up"]
    alice_api.post(f"/api/v1/reminders/{follow_up.pk}/done/")
    time_machine.move_to(FROZEN_NOW + dt.timedelta(hours=1), tick=False)

    response = alice_api.post(f"/api/v1/reminders/{follow_up.pk}/done/")

    assert response.status_code == 400
    assert response.json() == {"state": ["This reminder is already done."]}
    follow_up.refresh_from_db()
    assert follow_up.closed_at == FROZEN_NOW


def test_done_is_404_for_bob_and_403_for_a_read_token(bob_api, alice_api_read, reminders):
    follow_up = reminders["follow_up"]

    assert bob_api.post(f"/api/v1/reminders/{follow_up.pk}/done/").status_code == 404
    assert alice_api_read.post(f"/api/v1/reminders/{follow_up.pk}/done/").status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.state == Reminder.State.OPEN
