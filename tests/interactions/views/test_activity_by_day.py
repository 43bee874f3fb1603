"""The activity list by day: a heading per local day of the user ("Today", "Yesterday", then
the date), an icon per kind, a day cut by a page boundary labelled on both pages, and the same
number of queries whatever the page size."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interactions import services, views
from interactions.models import Interaction
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

URL = reverse("interactions:list")
HTMX = {"HX-Request": "true"}


def headings(html: str) -> list[str]:
    """The day headings of the results, as text, top to bottom."""
    found = re.findall(r'<h2 class="day-heading">(.*?)</h2>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", heading).split()) for heading in found]


def days(html: str) -> list[list[str]]:
    """The notes under each day heading, heading by heading."""
    parts = html.split('<h2 class="day-heading">')[1:]
    return [re.findall(r'<div class="notes">([^<]*)</div>', part) for part in parts]


def log(owner, contact, when: dt.datetime, notes: str, kind: str = "coffee") -> Interaction:
    return services.interaction_log(
        owner=owner,
        contacts=[contact],
        kind=kind,
        occurred_at=when,
        today=dt.date(2026, 11, 29),
        notes=notes,
    )


def test_days_are_the_users_own_today_yesterday_then_dates(alice_client, alice):
    # 20:00 UTC on Saturday 28 November is 09:00 on Sunday the 29th in Auckland (UTC+13).
    alice.settings.time_zone = "Pacific/Auckland"
    alice.settings.save()
    amara = ContactFactory(owner=alice)
    utc = dt.UTC
    log(alice, amara, dt.datetime(2026, 11, 28, 19, tzinfo=utc), "sunday 8am")
    log(alice, amara, dt.datetime(2026, 11, 28, 9, tzinfo=utc), "saturday 10pm")
    log(alice, amara, dt.datetime(2026, 11, 27, 12, tzinfo=utc), "saturday 1am")
    log(alice, amara, dt.datetime(2026, 11, 26, 12, tzinfo=utc), "friday 1am")
    log(alice, amara, dt.datetime(2025, 11, 26, 12, tzinfo=utc), "a year ago")

    with time_machine.travel(dt.datetime(2026, 11, 28, 20, tzinfo=utc), tick=False):
        html = alice_client.get(URL).content.decode()

    assert headings(html) == [
        "Today",
        "Yesterday",
        "Friday 27 November 2 days ago",
        "Thursday 27 November 2025 12 months ago",
    ]
    assert days(html) == [
        ["sunday 8am"],
        ["saturday 10pm", "saturday 1am"],
        ["friday 1am"],
        ["a year ago"],
    ]


def test_the_same_moments_in_utc_fall_on_other_days(alice_client, alice):
    amara = ContactFactory(owner=alice)
    log(alice, amara, dt.datetime(2026, 11, 28, 19, tzinfo=dt.UTC), "saturday evening")
    log(alice, amara, dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), "friday noon")
    with time_machine.travel(dt.datetime(2026, 11, 28, 20, tzinfo=dt.UTC), tick=False):
        html = alice_client.get(URL).content.decode()
    assert headings(html) == ["Today", "Yesterday"]
    assert days(html) == [["saturday evening"], ["friday noon"]]


def test_every_kind_has_its_icon_beside_its_name(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice)
    for index, (kind, _) in enumerate(Interaction.Kind.choices):
        InteractionFactory(
            owner=alice,
            contacts=[amara],
            kind=kind,
            occurred_at=dt.datetime(2026, 11, 20, index, tzinfo=dt.UTC),
        )
    html = alice_client.get(URL).content.decode()
    rows = html.split('<li class="activity-row">')[1:]
    assert len(rows) == len(Interaction.Kind.choices)
    shown = {}
    for row in rows:
        icon = re.search(r'<svg class="kind-icon kind-(\w+)"[^>]*>', row)
        assert icon, row
        assert 'aria-hidden="true"' in icon.group(0) and "style" not in row
        assert "<path" in row or "<rect" in row or "<circle" in row  # something is drawn
        shown[icon.group(1)] = re.search(r"<strong>([^<]+)</strong>", row).group(1)
    assert shown == dict(Interaction.Kind.choices)
    # Each kind draws its own picture.
    pictures = {re.sub(r'class="[^"]*"', "", row.split("</svg>")[0]) for row in rows}
    assert len(pictures) == len(Interaction.Kind.choices)


def on_day(owner, contact, day: dt.date, count: int, label: str) -> None:
    for index in range(count):
        InteractionFactory(
            owner=owner,
            contacts=[contact],
            occurred_at=dt.datetime.combine(day, dt.time(20), tzinfo=dt.UTC)
            - dt.timedelta(minutes=index),
            notes=f"{label}{index}",
        )


def test_a_day_cut_by_the_page_says_so_on_both_pages(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice)
    on_day(alice, amara, dt.date(2026, 11, 27), 29, "a")  # yesterday
    on_day(alice, amara, dt.date(2026, 11, 20), 3, "b")  # one on page 1, two on page 2
    on_day(alice, amara, dt.date(2026, 11, 10), 28, "c")  # fills page 2 exactly
    on_day(alice, amara, dt.date(2026, 11, 1), 1, "d")  # page 3 alone

    first = alice_client.get(URL).content.decode()
    assert headings(first) == ["Yesterday", "Friday 20 November 8 days ago"]
    assert [len(notes) for notes in days(first)] == [29, 1]
    assert first.count("This day continues on the next page.") == 1
    assert "(continued)" not in first

    second = alice_client.get(URL, {"page": 2}).content.decode()
    assert headings(second) == [
        "Friday 20 November (continued) 8 days ago",
        "Tuesday 10 November 3 weeks ago",
    ]
    assert [len(notes) for notes in days(second)] == [2, 28]
    # Page 2 ends where 10 November ends: nothing continues.
    assert "continues on the next page" not in second

    third = alice_client.get(URL, {"page": 3}, headers=HTMX).content.decode()
    assert headings(third) == ["Sunday 1 November 4 weeks ago"]
    assert "continue" not in third
    # Every interaction shows once across the pages, in order.
    everything = [n for page in (first, second, third) for day in days(page) for n in day]
    assert everything == (
        [f"a{i}" for i in range(29)]
        + [f"b{i}" for i in range(3)]
        + [f"c{i}" for i in range(28)]
        + ["d0"]
    )


def test_filtered_pages_are_grouped_too(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice)
    on_day(alice, amara, dt.date(2026, 11, 27), 2, "x")
    InteractionFactory(
        owner=alice,
        contacts=[amara],
        kind="call",
        occurred_at=dt.datetime(2026, 11, 27, 23, tzinfo=dt.UTC),
        notes="the call",
    )
    html = alice_client.get(URL, {"kind": "call"}).content.decode()
    assert headings(html) == ["Yesterday"]
    assert days(html) == [["the call"]]


@pytest.mark.parametrize("page", ["1", "2"])
def test_query_count_does_not_depend_on_the_page_size(
    alice_client, alice, frozen_now, monkeypatch, django_assert_num_queries, page, settings
):
    people = [ContactFactory(owner=alice) for _ in range(3)]
    for index in range(120):
        InteractionFactory(
            owner=alice,
            contacts=people[: 1 + index % 3],
            occurred_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC) + dt.timedelta(hours=7 * index),
        )
    monkeypatch.setattr(views, "ACTIVITY_PAGE_SIZE", 5)
    settings.OWNER_CACHE_ENABLED = False  # the page size changes, not the data
    alice_client.get(URL, {"page": page})  # the session is warm from here on
    with CaptureQueriesContext(connection) as small:
        html = alice_client.get(URL, {"page": page}).content.decode()
    assert html.count('<li class="activity-row">') == 5

    monkeypatch.setattr(views, "ACTIVITY_PAGE_SIZE", 50)
    with django_assert_num_queries(len(small)):
        html = alice_client.get(URL, {"page": page}).content.decode()
    assert html.count('<li class="activity-row">') == 50
    assert 0 < len(headings(html)) <= 50
