"""The activity page: everything the owner logged, newest first, filtered and paginated."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from interactions import services
from tests.factories import CircleFactory, ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

URL = reverse("interactions:list")
HTMX = {"HX-Request": "true"}


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def logged(owner, people, day: dt.date, *, hour: int = 12, **extra):
    return InteractionFactory(owner=owner, contacts=people, occurred_at=at(day, hour), **extra)


def notes_in(html: str) -> list[str]:
    """The notes of the listed interactions, top to bottom."""
    return re.findall(r'<div class="notes">([^<]*)</div>', html)


def results(html: str) -> str:
    return html.split('id="activity-results"')[1].split("</section>")[0]


def test_lists_the_owners_interactions_newest_first_with_their_people(
    alice_client, alice, bob, frozen_now
):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    ben = ContactFactory(owner=alice, name="Ben Carter")
    logged(alice, [amara], dt.date(2026, 11, 1), notes="oldest")
    logged(alice, [amara, ben], dt.date(2026, 11, 20), kind="meal", notes="newest", place="Janou")
    logged(alice, [ben], dt.date(2026, 11, 10), kind="call", notes="middle")
    # Same day: the later hour first.
    logged(alice, [ben], dt.date(2026, 11, 10), hour=18, kind="call", notes="middle, evening")
    logged(bob, [ContactFactory(owner=bob, name="Bob Pal")], dt.date(2026, 11, 25), notes="bobs")

    response = alice_client.get(URL)
    assert response.status_code == 200
    html = results(response.content.decode())
    assert notes_in(html) == ["newest", "middle, evening", "middle", "oldest"]
    assert "4 interactions" in html
    newest = html.split('<li class="activity-row">')[1]
    assert "<strong>Meal</strong> with" in newest
    assert "Amara Diallo</a>, " in newest and "Ben Carter</a>" in newest and "Janou" in newest
    # The day is its heading's, above the row.
    heading = html.split('<li class="activity-row">')[0].rsplit('<h2 class="day-heading">')[1]
    assert "Friday 20 November" in heading and "8 days ago" in heading
    assert "Bob Pal" not in response.content.decode()
    assert "bobs" not in response.content.decode()


def test_an_empty_history_says_so(alice_client, alice, bob, frozen_now):
    logged(bob, [ContactFactory(owner=bob)], dt.date(2026, 11, 25))
    html = alice_client.get(URL).content.decode()
    assert "Nothing logged yet." in html
    assert "<li" not in results(html)


def test_thirty_per_page_and_filters_kept_across_pages(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice)
    start = dt.date(2026, 1, 1)
    for index in range(35):
        logged(alice, [amara], start + dt.timedelta(days=index), kind="call", notes=f"n{index}")
    logged(alice, [amara], dt.date(2026, 6, 1), kind="coffee", notes="a coffee")

    assert "36 interactions" in results(alice_client.get(URL).content.decode())
    first = results(alice_client.get(URL, {"kind": "call"}).content.decode())
    assert notes_in(first) == [f"n{index}" for index in range(34, 4, -1)]
    assert "35 interactions" in first and "Page 1 of 2" in first
    assert 'href="?kind=call&amp;page=2">Older</a>' in first
    assert "Newer" not in first

    second = results(alice_client.get(URL, {"kind": "call", "page": "2"}).content.decode())
    assert notes_in(second) == ["n4", "n3", "n2", "n1", "n0"]
    assert 'href="?kind=call&amp;page=1">Newer</a>' in second
    assert "Older" not in second

    # A page number past the end shows the last page rather than an error.
    last = results(alice_client.get(URL, {"kind": "call", "page": "99"}).content.decode())
    assert notes_in(last) == ["n4", "n3", "n2", "n1", "n0"]


def test_filter_by_kind(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice)
    logged(alice, [amara], dt.date(2026, 11, 1), kind="call", notes="the call")
    logged(alice, [amara], dt.date(2026, 11, 2), kind="coffee", notes="the coffee")
    html = alice_client.get(URL, {"kind": "call"}).content.decode()
    assert notes_in(html) == ["the call"]
    assert '<option value="call" selected>' in html


def test_filter_by_circle(alice_client, alice, bob, frozen_now):
    friends = CircleFactory(owner=alice, name="Friends")
    mentors = CircleFactory(owner=alice, name="Mentors")
    amara = ContactFactory(owner=alice, circle=friends)
    ben = ContactFactory(owner=alice, circle=mentors)
    carla = ContactFactory(owner=alice)
    logged(alice, [amara], dt.date(2026, 11, 1), notes="friend only")
    logged(alice, [ben, carla], dt.date(2026, 11, 2), notes="mentor and no circle")
    logged(alice, [amara, ben], dt.date(2026, 11, 3), notes="both circles")
    logged(alice, [carla], dt.date(2026, 11, 4), notes="no circle")

    html = alice_client.get(URL, {"circle": friends.pk}).content.decode()
    assert notes_in(html) == ["both circles", "friend only"]
    html = alice_client.get(URL, {"circle": mentors.pk}).content.decode()
    assert notes_in(html) == ["both circles", "mentor and no circle"]


def test_filter_by_contact(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    ben = ContactFactory(owner=alice, name="Ben Carter")
    logged(alice, [amara], dt.date(2026, 11, 1), notes="amara alone")
    logged(alice, [ben], dt.date(2026, 11, 2), notes="ben alone")
    logged(alice, [amara, ben], dt.date(2026, 11, 3), notes="together")

    html = alice_client.get(URL, {"contact": amara.pk}).content.decode()
    assert "<h1>Activity with Amara Diallo</h1>" in html
    assert notes_in(html) == ["together", "amara alone"]
    # The chosen person stays in the form, so changing another filter keeps it.
    assert f'name="contact" value="{amara.pk}"' in html


def test_someone_elses_contact_id_shows_nothing(alice_client, alice, bob, frozen_now):
    amara = ContactFactory(owner=alice)
    logged(alice, [amara], dt.date(2026, 11, 1), notes="alice's coffee")
    bobs_friend = ContactFactory(owner=bob, name="Bob Pal")
    logged(bob, [bobs_friend], dt.date(2026, 11, 2), notes="bob's coffee")

    response = alice_client.get(URL, {"contact": bobs_friend.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert notes_in(html) == []
    assert "Nothing logged with these filters yet." in html
    assert "Bob Pal" not in html and "bob&#x27;s coffee" not in html


def test_nonsense_filters_do_not_break_the_page(alice_client, alice, bob, frozen_now):
    amara = ContactFactory(owner=alice)
    logged(alice, [amara], dt.date(2026, 11, 1), notes="alice's coffee")
    bobs_circle = CircleFactory(owner=bob)
    for params in (
        {"contact": "abc"},
        {"since": "not a date"},
        {"kind": "<script>"},
        {"circle": bobs_circle.pk},
        {"page": "x"},
    ):
        response = alice_client.get(URL, params)
        assert response.status_code == 200, params
        assert "<script>" not in response.content.decode()


def test_filter_by_date_range_is_inclusive_and_uses_the_users_day(alice_client, alice, frozen_now):
    alice.settings.time_zone = "Asia/Tokyo"  # UTC+9
    alice.settings.save()
    amara = ContactFactory(owner=alice)
    for day in (1, 5, 10, 15):
        services.interaction_log(
            owner=alice,
            contacts=[amara],
            kind="coffee",
            occurred_at=at(dt.date(2026, 11, day), hour=12),
            today=dt.date(2026, 11, 28),
            notes=f"day {day}",
        )
    # 20:00 UTC on the 4th is already 05:00 on the 5th in Tokyo: it belongs to the 5th.
    services.interaction_log(
        owner=alice,
        contacts=[amara],
        kind="call",
        occurred_at=at(dt.date(2026, 11, 4), hour=20),
        today=dt.date(2026, 11, 28),
        notes="early on the 5th",
    )
    html = alice_client.get(URL, {"since": "2026-11-05", "until": "2026-11-10"}).content.decode()
    assert notes_in(html) == ["day 10", "day 5", "early on the 5th"]
    assert "3 interactions" in html  # counted from the per-day totals, in the user's days
    html = alice_client.get(URL, {"since": "2026-11-06"}).content.decode()
    assert notes_in(html) == ["day 15", "day 10"]
    assert "2 interactions" in html
    html = alice_client.get(URL, {"until": "2026-11-04"}).content.decode()
    assert notes_in(html) == ["day 1"]
    assert "1 interaction<" in html
    assert "5 interactions" in alice_client.get(URL).content.decode()
    html = alice_client.get(URL, {"kind": "call", "since": "2026-11-05"}).content.decode()
    assert notes_in(html) == ["early on the 5th"] and "1 interaction<" in html


def test_filters_combine(alice_client, alice, frozen_now):
    friends = CircleFactory(owner=alice)
    amara = ContactFactory(owner=alice, circle=friends)
    ben = ContactFactory(owner=alice)
    logged(alice, [amara], dt.date(2026, 11, 1), kind="call", notes="early call")
    logged(alice, [amara], dt.date(2026, 11, 20), kind="call", notes="late call")
    logged(alice, [amara], dt.date(2026, 11, 21), kind="coffee", notes="late coffee")
    logged(alice, [ben], dt.date(2026, 11, 22), kind="call", notes="ben call")
    html = alice_client.get(
        URL, {"kind": "call", "circle": friends.pk, "since": "2026-11-10"}
    ).content.decode()
    assert notes_in(html) == ["late call"]


def test_htmx_returns_only_the_results(alice_client, alice, frozen_now):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    logged(alice, [amara], dt.date(2026, 11, 1), kind="call", notes="the call")
    logged(alice, [amara], dt.date(2026, 11, 2), kind="coffee", notes="the coffee")
    response = alice_client.get(URL, {"kind": "call"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<section class="card activity-results" id="activity-results"')
    assert html.endswith("</section>")
    assert "<html" not in html and "<form" not in html
    assert notes_in(html) == ["the call"]


def test_bobs_interactions_never_listed_whatever_the_filters(client, alice, bob, frozen_now):
    friends = CircleFactory(owner=alice)
    amara = ContactFactory(owner=alice, circle=friends)
    logged(alice, [amara], dt.date(2026, 11, 1), kind="call", notes="alice")
    bobs_circle = CircleFactory(owner=bob)
    bobs_friend = ContactFactory(owner=bob, circle=bobs_circle, name="Bob Pal")
    logged(bob, [bobs_friend], dt.date(2026, 11, 2), kind="call", notes="bob")
    client.force_login(bob)
    for params in ({}, {"kind": "call"}, {"contact": amara.pk}, {"circle": friends.pk}):
        html = client.get(URL, params).content.decode()
        assert "alice" not in notes_in(html), params
    client.force_login(alice)
    for params in ({}, {"kind": "call"}, {"contact": bobs_friend.pk}, {"circle": bobs_circle.pk}):
        html = client.get(URL, params).content.decode()
        assert "bob" not in notes_in(html), params
        assert "Bob Pal" not in html


def test_anonymous_visitors_are_sent_to_log_in(client, alice):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response.url


def test_query_count_does_not_grow_with_interactions(
    alice_client, alice, frozen_now, django_assert_num_queries, django_assert_max_num_queries
):
    circle = CircleFactory(owner=alice)
    people = [ContactFactory(owner=alice, circle=circle) for _ in range(4)]

    def add(count: int, offset: int) -> None:
        for index in range(offset, offset + count):
            logged(
                alice,
                [people[index % 4], people[(index + 1) % 4]],
                dt.date(2026, 1, 1) + dt.timedelta(days=index % 300),
                notes=f"n{index}",
            )

    requests = [
        ({}, {}),
        ({"circle": circle.pk, "contact": people[0].pk}, {}),
        ({"kind": "coffee", "page": "2"}, HTMX),
    ]
    add(5, 0)
    small = []
    for params, headers in requests:
        # session, user, settings, then a handful for the filters, the count, the page, its people.
        with django_assert_max_num_queries(12) as ctx:
            assert alice_client.get(URL, params, headers=headers).status_code == 200
        small.append(len(ctx.captured_queries))
    add(75, 5)
    for (params, headers), expected in zip(requests, small, strict=True):
        with django_assert_num_queries(expected):
            response = alice_client.get(URL, params, headers=headers)
    html = response.content.decode()
    assert "80 interactions" in html and len(notes_in(html)) == 30
    assert "Page 2 of 3" in html
