"""Each reminders page answers the methods it is for and refuses the others with 405; what a
calendar app, a monitor or a mail scanner polls also answers HEAD, without acting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.services import contact_save
from reminders import links
from reminders.models import Reminder

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def reminder(alice) -> Reminder:
    contact = contact_save(
        contact=Contact(owner=alice, name="Amara Diallo", cadence_days=7),
        today=TODAY - dt.timedelta(days=30),
    )
    return Reminder.objects.create(
        owner=alice, contact=contact, kind=Reminder.Kind.REACH_OUT, due_on=TODAY
    )


def test_the_dashboard_is_read_only(alice_client):
    assert alice_client.get(reverse("dashboard")).status_code == 200
    assert alice_client.post(reverse("dashboard")).status_code == 405


def test_marking_done_and_a_new_calendar_address_take_a_post(alice_client, alice, reminder):
    token = alice.settings.calendar_token

    assert alice_client.get(reverse("reminders:done", args=[reminder.pk])).status_code == 405
    assert alice_client.get(reverse("reminders:calendar_regenerate")).status_code == 405

    reminder.refresh_from_db()
    alice.settings.refresh_from_db()
    assert (reminder.state, alice.settings.calendar_token) == (Reminder.State.OPEN, token)


def test_the_calendar_feed_and_health_answer_head_but_not_post(client, alice):
    feed = reverse("reminders:calendar", args=[alice.settings.calendar_token])

    assert client.head(feed).status_code == 200
    assert client.post(feed).status_code == 405
    assert client.head(reverse("health")).status_code == 503  # no sweep has run yet
    assert client.post(reverse("health")).status_code == 405


def test_a_signed_link_answers_head_without_acting_and_refuses_put(client, reminder):
    act = reverse("reminders:act", args=[links.action_token(reminder, "done")])
    unsubscribe = reverse(
        "reminders:unsubscribe", args=[links.unsubscribe_token(reminder.owner_id)]
    )

    assert client.head(act).status_code == 200
    assert client.head(unsubscribe).status_code == 200
    assert client.put(act).status_code == 405
    assert client.put(unsubscribe).status_code == 405

    reminder.refresh_from_db()
    assert (reminder.state, reminder.version) == (Reminder.State.OPEN, 1)
    assert reminder.owner.settings.digest_frequency != "off"
