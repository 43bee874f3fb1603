"""The contacts' changelist in the admin: inline rhythm and circle, filters, folded search, dates.

Edits made in the list go through contacts.services (the due date follows); every filter reads
the user's own local "today"; the search folds accents and apostrophes like the app's list.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.db.models import Count
from django.urls import reverse

from contacts.admin_filters import months_before
from contacts.models import Contact, ContactMethod
from contacts.selectors import common_cities
from tests.factories import CircleFactory, ContactFactory, InterestFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:contacts_contact_changelist")
# 12:00 UTC on 28 November is already 29 November in Auckland (UTC+13 in summer).
NOON_UTC = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
AUCKLAND_TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def admin_client(client, alice, request):
    alice.is_superuser = getattr(request, "param", False)
    alice.save()
    client.force_login(alice)
    return client


def names(response) -> list[str]:
    assert response.status_code == 200
    return sorted(contact.name for contact in response.context["cl"].result_list)


def list_edit(client, rows: list[dict]) -> object:
    """POST the changelist's inline form for ``rows`` ({"id", "circle", "cadence_days"})."""
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for number, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{number}-{key}"] = "" if value is None else str(value)
    return client.post(URL, data)


# --- list_editable ---------------------------------------------------------------------------


@pytest.mark.parametrize("admin_client", [False, True], indirect=True)
def test_rhythm_and_circle_edited_in_the_list_move_the_due_date(admin_client, alice):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    mentors = CircleFactory(owner=alice, name="Mentors", cadence_days=60)
    amara = ContactFactory(
        owner=alice, name="Amara", circle=friends, last_interaction_on=dt.date(2026, 11, 1)
    )
    kwame = ContactFactory(
        owner=alice, name="Kwame", circle=friends, last_interaction_on=dt.date(2026, 11, 1)
    )

    response = list_edit(
        admin_client,
        [
            {"id": amara.pk, "circle": friends.pk, "cadence_days": 7},
            {"id": kwame.pk, "circle": mentors.pk, "cadence_days": None},
        ],
    )

    assert response.status_code == 302
    amara.refresh_from_db()
    kwame.refresh_from_db()
    assert (amara.cadence_days, amara.next_reach_out_on) == (7, dt.date(2026, 11, 8))
    assert (kwame.circle, kwame.next_reach_out_on) == (mentors, dt.date(2026, 12, 31))


def test_the_list_refuses_another_users_circle(admin_client, alice, bob):
    mine = CircleFactory(owner=alice, name="Friends")
    theirs = CircleFactory(owner=bob, name="Bob's poker night")
    amara = ContactFactory(owner=alice, name="Amara", circle=mine)

    page = admin_client.get(URL).content.decode()
    assert "Friends" in page and "poker night" not in page  # not among the menu's choices
    assert '<option value="">No circle</option>' in page

    response = list_edit(admin_client, [{"id": amara.pk, "circle": theirs.pk, "cadence_days": 9}])
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    amara.refresh_from_db()
    assert (amara.circle, amara.cadence_days) == (mine, None)


def test_the_list_cannot_edit_another_users_contact(admin_client, alice, bob):
    theirs = ContactFactory(owner=bob, name="Bob's confidant", cadence_days=30)
    ContactFactory(owner=alice, name="Amara")
    list_edit(admin_client, [{"id": theirs.pk, "circle": None, "cadence_days": 1}])
    theirs.refresh_from_db()
    assert theirs.cadence_days == 30


# --- Filters ---------------------------------------------------------------------------------


@pytest.fixture
def people(alice):
    """Alice in Auckland, where it is already 29 November, and people in every state."""
    alice.settings.time_zone = "Pacific/Auckland"
    alice.settings.save()
    today = AUCKLAND_TODAY

    def person(name: str, **fields) -> Contact:
        return ContactFactory(owner=alice, name=name, **fields)

    return {
        "due_today": person("Due Today", next_reach_out_on=today, last_interaction_on=today),
        "overdue": person(
            "Overdue Olu",
            next_reach_out_on=today - dt.timedelta(days=3),
            last_interaction_on=months_before(today, 2),
        ),
        "tomorrow": person(
            "Tomorrow Tam",
            next_reach_out_on=today + dt.timedelta(days=1),
            last_interaction_on=months_before(today, 6),
        ),
        "paused": person("Paused Pia", paused=True, next_reach_out_on=today, city="Lisbon"),
        "archived": person(
            "Archived Ari",
            archived=True,
            next_reach_out_on=today,
            last_interaction_on=months_before(today, 12),
            city="lisbon",
        ),
        "old": person("Old Friend", last_interaction_on=months_before(today, 12) - dt.timedelta(1)),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "due"}, ["Due Today", "Overdue Olu"]),
        ({"status": "overdue"}, ["Overdue Olu"]),
        ({"status": "paused"}, ["Paused Pia"]),
        ({"status": "archived"}, ["Archived Ari"]),
        ({"city": "Lisbon"}, ["Archived Ari", "Paused Pia"]),
        ({"last_contact": "never"}, ["Paused Pia"]),
        ({"last_contact": "month"}, ["Due Today"]),
        ({"last_contact": "1-3"}, ["Overdue Olu"]),
        ({"last_contact": "3-12"}, ["Archived Ari", "Tomorrow Tam"]),
        ({"last_contact": "year"}, ["Old Friend"]),
        ({"status": "due", "last_contact": "1-3"}, ["Overdue Olu"]),
    ],
)
def test_each_filter_on_the_users_local_today(admin_client, people, params, expected):
    with time_machine.travel(NOON_UTC, tick=False):
        assert names(admin_client.get(URL, params)) == expected


def test_the_circle_and_interest_filters(admin_client, alice, bob):
    friends = CircleFactory(owner=alice, name="Friends")
    jazz = InterestFactory(owner=alice, name="Jazz")
    amara = ContactFactory(owner=alice, name="Amara", circle=friends)
    amara.interests.add(jazz)
    ContactFactory(owner=alice, name="Kwame")
    CircleFactory(owner=bob, name="Bob's poker night")

    page = admin_client.get(URL)
    assert "No circle" in page.content.decode() and "No interests" in page.content.decode()
    assert "poker night" not in page.content.decode()
    assert names(admin_client.get(URL, {"circle__id__exact": friends.pk})) == ["Amara"]
    assert names(admin_client.get(URL, {"circle__isnull": "True"})) == ["Kwame"]
    assert names(admin_client.get(URL, {"interests__id__exact": jazz.pk})) == ["Amara"]
    assert names(admin_client.get(URL, {"interests__isnull": "True"})) == ["Kwame"]


@pytest.mark.parametrize("admin_client", [False, True], indirect=True)
def test_the_city_filter_lists_only_the_users_own_cities(admin_client, alice, bob):
    ContactFactory(owner=alice, name="Amara", city="Lisbon")
    ContactFactory(owner=bob, name="Bob's confidant", city="Secretville")
    page = admin_client.get(URL).content.decode()
    assert "?city=Lisbon" in page
    assert "Secretville" not in page
    assert names(admin_client.get(URL, {"city": "Secretville"})) == []


def test_the_common_cities_are_the_orm_grouping(alice, bob):
    """common_cities (one raw statement) is the ORM's "most people first, then by name", with
    ties, case variants, blank cities and another owner's people."""
    rng = random.Random(7)
    cities = ["Lisbon", "lisbon", "Porto", "Åre", "Zürich", "  ", "Oslo", "Bergen", "a", "B"]
    for number in range(80):
        ContactFactory(owner=alice, name=f"P{number}", city=rng.choice([*cities, "", ""]))
    for number in range(30):
        ContactFactory(owner=bob, name=f"B{number}", city=rng.choice(["Secretville", "Oslo"]))
    for limit in (1, 3, 5, 30):
        expected = [
            row["city"]
            for row in Contact.objects.filter(owner=alice)
            .exclude(city="")
            .values("city")
            .annotate(people=Count("pk"))
            .order_by("-people", "city")[:limit]
        ]
        assert common_cities(owner=alice, limit=limit) == expected
    assert "Secretville" not in common_cities(owner=alice, limit=30)


def test_an_unknown_value_of_a_new_filter_filters_nothing(admin_client, alice):
    ContactFactory(owner=alice, name="Amara")
    assert names(admin_client.get(URL, {"status": "zzz", "last_contact": "zzz"})) == ["Amara"]


def test_months_before_keeps_the_day_or_the_months_last():
    assert months_before(dt.date(2026, 5, 31), 3) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2028, 3, 31), 1) == dt.date(2028, 2, 29)
    assert months_before(dt.date(2026, 1, 15), 12) == dt.date(2025, 1, 15)
    assert months_before(dt.date(2026, 2, 10), 3) == dt.date(2025, 11, 10)


# --- Search and display ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("obrien", ["Siobhán O’Brien"]),
        ("O'Brien", ["Siobhán O’Brien"]),
        ("siobhan", ["Siobhán O’Brien"]),
        ("cafe", ["Zoë Café"]),
        ("CAFÉ zoe", ["Zoë Café"]),
        ("anne marie", ["Anne-Marie D’Arcy"]),
        ("darcy", ["Anne-Marie D’Arcy"]),
        ("example.org", ["Zoë Café"]),  # an email address
        ("jazz", ["Anne-Marie D’Arcy"]),  # an interest
        ("nobody", []),
    ],
)
def test_search_folds_accents_and_apostrophes_like_the_app(
    admin_client, alice, bob, query, expected
):
    ContactFactory(owner=alice, name="Siobhán O’Brien")
    zoe = ContactFactory(owner=alice, name="Zoë Café")
    ContactMethod.objects.create(owner=alice, contact=zoe, value="zoe@example.org")
    darcy = ContactFactory(owner=alice, name="Anne-Marie D’Arcy")
    darcy.interests.add(InterestFactory(owner=alice, name="Jázz"))
    ContactFactory(owner=bob, name="Siobhan OBrien")  # bob's: never found by alice
    assert names(admin_client.get(URL, {"q": query})) == expected


def test_dates_and_status_read_day_first(admin_client, alice):
    ContactFactory(
        owner=alice,
        name="Amara",
        cadence_days=7,
        last_interaction_on=dt.date(2026, 11, 3),
        next_reach_out_on=dt.date(2026, 11, 10),
    )
    with time_machine.travel(NOON_UTC, tick=False):
        page = admin_client.get(URL).content.decode()
    assert "3 Nov 2026" in page and "10 Nov 2026" in page
    assert "Nov. 3" not in page
    assert '<td class="field-status">Overdue</td>' in page


# --- cost ------------------------------------------------------------------------------------


def test_the_list_reads_the_circles_once_however_many_rows(
    admin_client, alice, django_assert_num_queries
):
    """The circle menu of every row shares one read of the circles (it was one read per row)."""
    circles = [CircleFactory(owner=alice, name=name) for name in ("Friends", "Peers")]

    def queries_for(rows: int) -> int:
        for number in range(Contact.objects.filter(owner=alice).count(), rows):
            ContactFactory(owner=alice, name=f"Person {number:03d}", circle=circles[number % 2])
        admin_client.get(URL)  # the session and the user's settings are read once
        with django_assert_num_queries(QUERIES) as captured:
            response = admin_client.get(URL)
        html = response.content.decode()
        assert html.count('<option value="">No circle</option>') == rows
        assert (
            html.count(f'<option value="{circles[1].pk}" selected>Peers</option>')
            == Contact.objects.filter(circle=circles[1]).count()
        )
        return len(captured)

    assert queries_for(3) == queries_for(40) == QUERIES


# The session, the user, their settings, the count (once: nothing narrows the list, so it is
# the "N total" too), the page, the circles (once, without a count), the filters' choices
# (circles, interests, cities) and the rest of the page.
QUERIES = 11
