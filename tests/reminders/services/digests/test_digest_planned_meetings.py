"""The digest names the day's planned meetings (the owner's local day) with a short brief of each
person and a link to their brief; a digest with only a planned meeting is not empty; chat and
push messages (notify's digest_message) say it too. (The "something to share" line comes from
giving.things_selectors.share_suggestion_for_digest: None, no line.)"""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from accounts.models import UserSettings
from interactions.plans import plan_dismiss
from notify.services.deliveries import digest_message
from reminders.models import Digest
from reminders.selectors import digest_contents
from reminders.services.digests import digest_render
from reminders.services.sweep import sweep_run
from tests.interactions.plans.helpers import KOLKATA, live_in, person, plan

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 29)
# 10:00 in Kolkata on the 29th.
TEN_IN_KOLKATA = dt.datetime(2026, 11, 29, 4, 30, tzinfo=dt.UTC)


@pytest.fixture
def coffee(alice, settings):
    settings.SITE_URL = "https://crm.example.org"
    live_in(alice, KOLKATA)
    ana = person(alice, "Ana Lima", cadence_days=None)  # nobody is due: the plan alone
    planned = plan(alice, [ana], TEN_IN_KOLKATA, place="Blue Tokai", note="Her trip to Goa")
    alice.refresh_from_db()
    return ana, planned


def test_a_digest_with_only_a_planned_meeting_names_it_with_the_brief(alice, coffee):
    ana, _planned = coffee
    contents = digest_contents(owner=alice, day=DAY)
    assert not contents.is_empty and contents.item_count == 1

    message, count = digest_render(digest=Digest.objects.create(owner=alice, local_date=DAY))

    brief = "https://crm.example.org" + reverse("brief:contact", args=[ana.pk])
    assert count == 1
    assert message.subject == "Coffee with Ana Lima at 10:00"
    assert "* Coffee with Ana Lima at 10:00 (Blue Tokai)" in message.body
    assert "To talk about: Her trip to Goa" in message.body
    assert f"Ana Lima's brief: {brief}" in message.body
    html_body = html.unescape(message.alternatives[0][0])
    assert "Coffee with Ana Lima at 10:00" in html_body and f'href="{brief}"' in html_body
    assert "Something to share" not in message.body  # the stub suggests nothing

    title, body, _url = digest_message(digest=Digest.objects.get())
    assert title == "Coffee with Ana Lima at 10:00"
    assert "Today: Coffee with Ana Lima at 10:00." in body


def test_only_that_local_days_planned_meetings(alice, coffee):
    # The day before and after (in Kolkata) say nothing; 00:30 UTC on the 29th is still the 29th there.
    assert digest_contents(owner=alice, day=DAY - dt.timedelta(days=1)).is_empty
    assert digest_contents(owner=alice, day=DAY + dt.timedelta(days=1)).is_empty
    _ana, planned = coffee
    plan_dismiss(plan=planned)
    assert digest_contents(owner=alice, day=DAY).is_empty


def test_the_sweep_makes_a_digest_for_a_day_with_only_a_planned_meeting(alice, coffee):
    UserSettings.objects.filter(user=alice).update(
        next_digest_at=dt.datetime(2026, 11, 29, 2, 30, tzinfo=dt.UTC)  # 08:00 in Kolkata
    )
    sweep_run(now=dt.datetime(2026, 11, 29, 2, 31, tzinfo=dt.UTC))
    digest = Digest.objects.get(owner=alice)
    assert digest.local_date == DAY
