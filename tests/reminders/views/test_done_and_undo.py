"""A follow-up marked done from the dashboard can be reopened from the announcement's Undo."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from reminders.models import Reminder
from tests.conftest import FROZEN_NOW
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def promise(alice, frozen_now) -> Reminder:
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    return Reminder.objects.create(
        owner=alice,
        contact=amara,
        kind=Reminder.Kind.FOLLOW_UP,
        due_on=dt.date(2026, 11, 27),
        note="Send Amara the article",
    )


def row(reminder: Reminder) -> tuple:
    return Reminder.objects.values_list("state", "closed_at").get(pk=reminder.pk)


def test_undo_of_done_reopens_the_follow_up(alice_client, promise, frozen_now):
    response = alice_client.post(reverse("reminders:done", args=[promise.pk]), headers=HTMX)
    assert response.status_code == 200
    assert row(promise) == ("done", FROZEN_NOW)
    html = response.content.decode()
    assert "Done: Send Amara the article." in html
    token = {"token": TOKEN.search(html).group(1)}

    undo_url = reverse("reminders:undo_done", args=[promise.pk])
    undo = alice_client.post(undo_url, token, headers=HTMX)
    assert undo.status_code == 200
    assert undo.headers["HX-Retarget"] == "#announce"
    assert "reminderChanged" in json.loads(undo.headers["HX-Trigger"])
    assert "Reopened: Send Amara the article." in undo.content.decode()
    assert row(promise) == ("open", None)
    dashboard = alice_client.get(reverse("dashboard")).content.decode()
    assert "Send Amara the article · due" in dashboard

    # Twice, or after it was closed again by another click: nothing to undo.
    assert alice_client.post(undo_url, token, headers=HTMX).status_code == 404
    frozen_now.shift(dt.timedelta(minutes=1))
    alice_client.post(reverse("reminders:done", args=[promise.pk]), headers=HTMX)
    assert alice_client.post(undo_url, token).status_code == 404
    assert row(promise)[0] == "done"


def test_undo_without_htmx_redirects_with_the_message(alice_client, promise):
    response = alice_client.post(
        reverse("reminders:done", args=[promise.pk]), {"next": reverse("dashboard")}
    )
    assert response.status_code == 302
    page = alice_client.get(reverse("dashboard")).content.decode()
    token = {"token": TOKEN.search(page).group(1), "next": reverse("dashboard")}
    response = alice_client.post(reverse("reminders:undo_done", args=[promise.pk]), token)
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert row(promise) == ("open", None)


def test_another_users_reminder_is_a_404(alice_client, promise, bob):
    html = alice_client.post(
        reverse("reminders:done", args=[promise.pk]), headers=HTMX
    ).content.decode()
    token = {"token": TOKEN.search(html).group(1)}
    url = reverse("reminders:undo_done", args=[promise.pk])
    bob_client = Client()
    bob_client.force_login(bob)
    assert bob_client.post(url, token).status_code == 404
    assert bob_client.get(url).status_code == 405
    assert row(promise)[0] == "done"


def test_a_reach_out_reminder_is_not_offered_an_undo(alice, alice_client, frozen_now):
    amara = ContactFactory(owner=alice, cadence_days=7)
    reach_out = Reminder.objects.create(
        owner=alice, contact=amara, kind=Reminder.Kind.REACH_OUT, due_on=dt.date(2026, 11, 27)
    )
    response = alice_client.post(reverse("reminders:done", args=[reach_out.pk]), headers=HTMX)
    assert response.status_code == 200
    assert "Undo" not in response.content.decode()
