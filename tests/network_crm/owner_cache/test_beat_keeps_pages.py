"""Beat's every-minute tasks don't outdate cached pages when they change nothing a page shows;
the sweep does when it opens a reminder, and when the scheduler comes back after a silence
(docs/decisions/0013)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from api import tasks as api_tasks
from notify import tasks as notify_tasks
from reminders.models import Reminder, SchedulerHeartbeat
from reminders.services.sweep import sweep_run
from tests.factories import ContactFactory
from tests.network_crm.owner_cache.helpers import fetch, warm

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")
NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def versions() -> list[int]:
    return list(User.objects.order_by("pk").values_list("data_version", flat=True))


def test_an_idle_minute_of_beat_keeps_every_page(alice_client, alice, bob):
    with time_machine.travel(NOON, tick=False) as traveller:
        sweep_run(now=NOON)  # the first beat: every page learns the scheduler runs
        warm(alice_client, DASHBOARD)
        before = versions()
        traveller.shift(dt.timedelta(minutes=1))
        sweep_run(now=NOON + dt.timedelta(minutes=1))
        api_tasks.deliver_webhooks()
        notify_tasks.deliver_notifications()

        assert SchedulerHeartbeat.objects.get(name="sweep").last_run_at == NOON + dt.timedelta(
            minutes=1
        )
        assert versions() == before
        assert fetch(alice_client, DASHBOARD)[1] == "hit"


def test_the_first_beat_and_a_beat_after_a_silence_outdate_every_page(alice, bob):
    sweep_run(now=NOON)
    first = versions()
    sweep_run(now=NOON + dt.timedelta(minutes=9))  # on time (beats every minute or few)
    assert versions() == first
    sweep_run(now=NOON + dt.timedelta(minutes=30))  # back after 21 minutes of silence
    after = versions()
    assert all(a != b for a, b in zip(after, first, strict=True))


def test_a_superusers_stale_status_line_goes_at_the_next_beat(alice_client, alice):
    alice.is_superuser = True
    alice.save(update_fields=["is_superuser"])
    with time_machine.travel(NOON, tick=False) as traveller:
        sweep_run(now=NOON)
        traveller.shift(dt.timedelta(minutes=30))
        html = warm(alice_client, DASHBOARD)
        assert "doesn't seem to be running" in html
        sweep_run(now=NOON + dt.timedelta(minutes=30))
        html, cached = fetch(alice_client, DASHBOARD)
        assert cached == "miss"
        assert "doesn't seem to be running" not in html
        assert "Reminders last checked just now" in html


def test_a_sweep_that_opens_a_reminder_outdates_the_page(alice_client, alice):
    with time_machine.travel(NOON, tick=False):
        sweep_run(now=NOON)
        ContactFactory(owner=alice, name="Ada Lovelace", next_reach_out_on=NOON.date())
        Reminder.objects.all().delete()
        warm(alice_client, DASHBOARD)
        sweep_run(now=NOON)
        assert Reminder.objects.filter(owner=alice, state=Reminder.State.OPEN).count() == 1
        assert fetch(alice_client, DASHBOARD)[1] == "miss"
