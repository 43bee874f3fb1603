"""A 29 February birthday: always written as 29 February (with its year when known), celebrated
on 28 February in common years, on the contact page, the dashboard, the digest and the feed."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from contacts.models import ImportantDate
from reminders.models import Digest
from reminders.services.digests import digest_render
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def leaplings(alice):
    alice.settings.time_zone = "UTC"
    alice.settings.date_reminder_days = 7
    alice.settings.save()
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    bea = ContactFactory(owner=alice, name="Bea Costa")
    ImportantDate.objects.create(
        owner=alice, contact=ana, kind="birthday", month=2, day=29, year=1988
    )
    ImportantDate.objects.create(owner=alice, contact=bea, kind="birthday", month=2, day=29)
    return ana, bea


def get(client, user, url: str) -> str:
    # Logged in at the travelled-to moment, so the session is fresh then.
    client.force_login(user)
    return text(client.get(url))


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


def test_contact_page_in_a_common_year(client, alice, leaplings):
    ana, bea = leaplings
    with at(dt.date(2026, 2, 20)):
        page = get(client, alice, ana.get_absolute_url())
        assert "<dd>29 February 1988 <span" in page
        assert "(in 8 days, on 28 February, turns 38)" in page
        page = get(client, alice, bea.get_absolute_url())
        assert "<dd>29 February <span" in page
        assert "(in 8 days, on 28 February)" in page


def test_contact_page_in_a_leap_year(client, alice, leaplings):
    ana, _bea = leaplings
    with at(dt.date(2028, 2, 20)):
        page = get(client, alice, ana.get_absolute_url())
        assert "<dd>29 February 1988 <span" in page
        assert "(in 9 days, turns 40)" in page


def test_dashboard_says_when_it_is_celebrated_and_which_day_it_is(client, alice, leaplings):
    with at(dt.date(2026, 2, 25)):
        page = get(client, alice, reverse("dashboard"))
    assert "Birthday in 3 days · Sat 28 Feb, for 29 February 1988 · turns 38" in page
    assert "Birthday in 3 days · Sat 28 Feb, for 29 February</p>" in page
    with at(dt.date(2028, 2, 25)):
        page = get(client, alice, reverse("dashboard"))
    assert "Birthday in 4 days · Tue 29 Feb · turns 40" in page
    assert ", for 29 February" not in page


@pytest.mark.parametrize(
    ("day", "expected", "not_expected"),
    [
        (
            dt.date(2026, 2, 25),
            [
                "Ana Lopez: Birthday on Saturday 28 February, for 29 February 1988 (turns 38)",
                "Bea Costa: Birthday on Saturday 28 February, for 29 February",
            ],
            "28 February 1988",
        ),
        (
            dt.date(2028, 2, 25),
            [
                "Ana Lopez: Birthday on Tuesday 29 February (turns 40)",
                "Bea Costa: Birthday on Tuesday 29 February",
            ],
            ", for 29 February",
        ),
    ],
)
def test_digest_follows_the_same_rule(alice, leaplings, day, expected, not_expected):
    digest = Digest.objects.create(owner=alice, local_date=day)
    message, _count = digest_render(digest=digest)
    body = message.body
    html_body = " ".join(html.unescape(message.alternatives[0][0]).split())
    for line in expected:
        assert line in body
        assert line in html_body
    assert not_expected not in body and not_expected not in html_body


def test_feed_starts_on_the_29th_of_the_year_and_falls_on_the_28th_in_common_years(
    client, alice, leaplings
):
    with at(dt.date(2026, 2, 1)):
        alice.settings.refresh_from_db()
        url = reverse("reminders:calendar", args=[alice.settings.calendar_token])
        calendar = Calendar.from_ical(client.get(url).content)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    for summary, start in [
        ("Birthday: Ana Lopez", dt.date(1988, 2, 29)),
        ("Birthday: Bea Costa", dt.date(2000, 2, 29)),
    ]:
        event = events[summary]
        assert event["DTSTART"].dt == start
        rule = rrulestr(
            event["RRULE"].to_ical().decode(),
            dtstart=dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC),
        )
        days = [
            moment.date()
            for moment in rule.between(
                dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2029, 1, 1, tzinfo=dt.UTC)
            )
        ]
        assert days == [dt.date(2026, 2, 28), dt.date(2027, 2, 28), dt.date(2028, 2, 29)]
