"""The contact list: folded search over every field and interests, filters, sorts, pagination
that keeps the filters, only the owner's people, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact, ContactMethod
from contacts.services import contact_interest_add
from tests.factories import CircleFactory, ContactFactory, InterestFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)  # conftest.FROZEN_NOW
URL = reverse("contacts:list")


def text(response) -> str:
    return html.unescape(response.content.decode())


def names_in(page: str) -> list[str]:
    return re.findall(r'class="person-name" href="[^"]*">([^<]+)</a>', page)


def listed(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return names_in(text(response))


def add_method(contact: Contact, kind: str, value: str) -> ContactMethod:
    method = ContactMethod(owner=contact.owner, contact=contact, kind=kind, value=value)
    method.save()
    return method


# --- Search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "query"),
    [
        ("nickname", "Bubba", "bubba"),
        ("company", "Össur hf.", "ossur"),
        ("city", "Reykjavík", "REYKJAVIK"),
        ("notes", "Loves hiking in Þingvellir", "þingvellir"),
        ("role", "Chief Ópera Officer", "opera"),
        ("country", "Ísland", "island"),
    ],
)
def test_search_finds_a_word_in_each_of_the_contacts_fields(
    alice_client, alice, field, value, query
):
    ContactFactory(owner=alice, name="Target Person", **{field: value})
    ContactFactory(owner=alice, name="Decoy Person")
    assert listed(alice_client, q=query) == ["Target Person"]


def test_search_finds_emails_and_phone_numbers(alice_client, alice):
    zoe = ContactFactory(owner=alice, name="Zoë Laurent")
    add_method(zoe, "email", "Zoe.Laurent@Example.org")
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    add_method(ana, "phone", "+354 555 1234")
    ContactFactory(owner=alice, name="Decoy Person")
    assert listed(alice_client, q="zoe.laurent@example") == ["Zoë Laurent"]
    assert listed(alice_client, q="EXAMPLE.ORG") == ["Zoë Laurent"]
    assert listed(alice_client, q="555 1234") == ["Ana Lopez"]
    assert listed(alice_client, q="3545551234") == ["Ana Lopez"]


def test_search_finds_interest_names(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    contact_interest_add(contact=ana, name="Fjallgöngur")
    contact_interest_add(contact=ContactFactory(owner=alice, name="Bea"), name="Jazz")
    assert listed(alice_client, q="FJALLGONGUR") == ["Ana Lopez"]
    assert listed(alice_client, q="fjall") == ["Ana Lopez"]


@pytest.mark.parametrize(
    ("stored", "queries"),
    [
        ("Émile Zola", ["emile", "ÉMILE", "Emile", "zola"]),
        ("Ísak Jónsson", ["ísak", "isak", "ISAK", "jonsson"]),
        ("Zoë Laurent", ["zoe", "ZOË", "zoë"]),
        ("Наталья Петрова", ["НАТАЛЬЯ", "наталья", "петрова"]),
        ("Σωκράτης Παππάς", ["σωκρατης", "ΣΩΚΡΆΤΗΣ", "παππας"]),
        ("Straße Müller", ["strasse", "MULLER"]),
    ],
)
def test_search_ignores_case_and_accents_in_several_scripts(alice_client, alice, stored, queries):
    ContactFactory(owner=alice, name=stored)
    ContactFactory(owner=alice, name="Someone Else")
    for query in queries:
        assert listed(alice_client, q=query) == [stored], query


def test_multi_word_queries_and_together(alice_client, alice):
    lisbon = ContactFactory(owner=alice, name="Ana Lopez", city="Lisbon")
    ContactFactory(owner=alice, name="Ana Silva", city="Porto")
    ContactFactory(owner=alice, name="Bea Costa", city="Lisbon")
    contact_interest_add(contact=lisbon, name="Jazz")
    assert listed(alice_client, q="ana lisbon") == ["Ana Lopez"]
    assert listed(alice_client, q="lisbon  ANA") == ["Ana Lopez"]
    # Words may come from different places: a field and an interest.
    assert listed(alice_client, q="jazz ana") == ["Ana Lopez"]
    assert listed(alice_client, q="ana") == ["Ana Lopez", "Ana Silva"]
    assert listed(alice_client, q="ana reykjavik") == []


def test_no_match_says_so(alice_client, alice):
    ContactFactory(owner=alice, name="Ana Lopez")
    page = text(alice_client.get(URL, {"q": "zzz"}))
    assert "Nobody matches “zzz”" in page
    assert names_in(page) == []


def test_match_count_is_shown(alice_client, alice):
    ContactFactory(owner=alice, name="Ana Lopez")
    ContactFactory(owner=alice, name="Ana Silva")
    ContactFactory(owner=alice, name="Bea")
    page = text(alice_client.get(URL, {"q": "ana"}))
    assert "2 matches for “ana”" in page


# --- Filters --------------------------------------------------------------------------------------


def test_filter_by_circle(alice_client, alice):
    friends = CircleFactory(owner=alice, name="Friends")
    mentors = CircleFactory(owner=alice, name="Mentors")
    ContactFactory(owner=alice, name="Ana", circle=friends)
    ContactFactory(owner=alice, name="Bea", circle=mentors)
    ContactFactory(owner=alice, name="Cara")
    assert listed(alice_client, circle=friends.pk) == ["Ana"]
    assert listed(alice_client, circle=mentors.pk) == ["Bea"]
    assert listed(alice_client) == ["Ana", "Bea", "Cara"]


def test_filter_by_interest(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana")
    bea = ContactFactory(owner=alice, name="Bea")
    ContactFactory(owner=alice, name="Cara")
    jazz = contact_interest_add(contact=ana, name="Jazz")
    contact_interest_add(contact=bea, name="Jazz funk")
    assert listed(alice_client, interest=jazz.pk) == ["Ana"]


def test_filter_by_status_and_archived_hidden_by_default(alice_client, alice, frozen_now):
    ContactFactory(owner=alice, name="Due Today", next_reach_out_on=TODAY)
    ContactFactory(owner=alice, name="Overdue", next_reach_out_on=TODAY - dt.timedelta(days=9))
    ContactFactory(owner=alice, name="Due Tomorrow", next_reach_out_on=TODAY + dt.timedelta(1))
    ContactFactory(owner=alice, name="No Rhythm")
    ContactFactory(owner=alice, name="Paused Overdue", paused=True, next_reach_out_on=TODAY)
    ContactFactory(owner=alice, name="Archived Overdue", archived=True, next_reach_out_on=TODAY)
    ContactFactory(owner=alice, name="Archived Paused", archived=True, paused=True)

    assert listed(alice_client) == [
        "Due Today",
        "Due Tomorrow",
        "No Rhythm",
        "Overdue",
        "Paused Overdue",
    ]
    assert listed(alice_client, status="due") == ["Due Today", "Overdue"]
    assert listed(alice_client, status="paused") == ["Paused Overdue"]
    assert listed(alice_client, status="archived") == ["Archived Overdue", "Archived Paused"]


def test_filters_combine_with_search(alice_client, alice, frozen_now):
    friends = CircleFactory(owner=alice, name="Friends")
    jazz = InterestFactory(owner=alice, name="Jazz")
    match = ContactFactory(owner=alice, name="Ana Lopez", circle=friends, next_reach_out_on=TODAY)
    match.interests.add(jazz)
    other_circle = ContactFactory(owner=alice, name="Ana Other", next_reach_out_on=TODAY)
    other_circle.interests.add(jazz)
    not_due = ContactFactory(owner=alice, name="Ana Later", circle=friends)
    not_due.interests.add(jazz)
    params = {"q": "ana", "circle": friends.pk, "interest": jazz.pk, "status": "due"}
    assert listed(alice_client, **params) == ["Ana Lopez"]


# --- Sorting --------------------------------------------------------------------------------------


def test_sort_by_name_folds_accents(alice_client, alice):
    for name in ["Zack", "fiona", "Émile", "Dora", "Ísak", "Ivan", "Ana"]:
        ContactFactory(owner=alice, name=name)
    expected = ["Ana", "Dora", "Émile", "fiona", "Ísak", "Ivan", "Zack"]
    assert listed(alice_client) == expected
    assert listed(alice_client, sort="name") == expected


def test_sort_by_last_contact_puts_never_contacted_first(alice_client, alice):
    def seen(days_ago):
        return TODAY - dt.timedelta(days=days_ago)

    ContactFactory(owner=alice, name="Recent", last_interaction_on=seen(1))
    ContactFactory(owner=alice, name="Never B")
    ContactFactory(owner=alice, name="Long Ago", last_interaction_on=seen(300))
    ContactFactory(owner=alice, name="Never A")
    ContactFactory(owner=alice, name="Last Month", last_interaction_on=seen(30))
    assert listed(alice_client, sort="last") == [
        "Never A",
        "Never B",
        "Long Ago",
        "Last Month",
        "Recent",
    ]


def test_sort_by_next_due_puts_no_date_last(alice_client, alice):
    ContactFactory(owner=alice, name="No Date A")
    ContactFactory(owner=alice, name="Next Year", next_reach_out_on=dt.date(2027, 11, 1))
    ContactFactory(owner=alice, name="Overdue", next_reach_out_on=dt.date(2026, 10, 1))
    ContactFactory(owner=alice, name="No Date B")
    ContactFactory(owner=alice, name="Next Week", next_reach_out_on=dt.date(2026, 12, 5))
    assert listed(alice_client, sort="next") == [
        "Overdue",
        "Next Week",
        "Next Year",
        "No Date A",
        "No Date B",
    ]


def test_an_unknown_sort_falls_back_to_name(alice_client, alice):
    ContactFactory(owner=alice, name="Bea", next_reach_out_on=TODAY)
    ContactFactory(owner=alice, name="Ana")
    assert listed(alice_client, sort="nonsense") == ["Ana", "Bea"]


# --- Pagination -----------------------------------------------------------------------------------


def test_pagination_keeps_the_filters_in_the_page_links(alice_client, alice, frozen_now):
    friends = CircleFactory(owner=alice, name="Friends")
    for index in range(60):
        ContactFactory(
            owner=alice, name=f"Member {index:02}", circle=friends, next_reach_out_on=TODAY
        )
    ContactFactory(owner=alice, name="Member Elsewhere", next_reach_out_on=TODAY)
    ContactFactory(owner=alice, name="Member Not Due", circle=friends)
    ContactFactory(owner=alice, name="Outsider", circle=friends, next_reach_out_on=TODAY)
    params = {"q": "member", "circle": friends.pk, "status": "due", "sort": "name"}

    first = text(alice_client.get(URL, params))
    assert names_in(first) == [f"Member {index:02}" for index in range(50)]
    assert "Page 1 of 2" in first
    next_link = re.search(r'href="([^"]*)">Next</a>', first).group(1)
    assert "page=2" in next_link
    for key, value in params.items():
        assert f"{key}={value}" in next_link

    second = text(alice_client.get(URL + next_link))
    assert names_in(second) == [f"Member {index:02}" for index in range(50, 60)]
    assert "Page 2 of 2" in second
    previous_link = re.search(r'href="([^"]*)">Previous</a>', second).group(1)
    assert "page=1" in previous_link and "q=member" in previous_link
    assert "page=2" not in previous_link  # the old page number isn't carried along
    assert names_in(text(alice_client.get(URL + previous_link))) == names_in(first)


def test_a_page_past_the_end_shows_the_last_page(alice_client, alice):
    for index in range(55):
        ContactFactory(owner=alice, name=f"Person {index:02}")
    page = text(alice_client.get(URL, {"page": "99"}))
    assert "Page 2 of 2" in page
    assert len(names_in(page)) == 5


# --- Only the owner's people ----------------------------------------------------------------------


def test_bobs_contacts_never_appear(alice_client, alice, bob, frozen_now):
    ContactFactory(owner=alice, name="Ana Lopez", next_reach_out_on=TODAY)
    bobs_circle = CircleFactory(owner=bob, name="Bob's circle")
    bobs_jazz = InterestFactory(owner=bob, name="Jazz")
    bobs_friend = ContactFactory(
        owner=bob, name="Ana Bobsfriend", circle=bobs_circle, next_reach_out_on=TODAY
    )
    bobs_friend.interests.add(bobs_jazz)
    ContactFactory(owner=bob, name="Archived Bobsfriend", archived=True)
    ContactFactory(owner=bob, name="Paused Bobsfriend", paused=True)

    for params in [
        {},
        {"q": "ana"},
        {"q": "jazz"},
        {"status": "due"},
        {"status": "archived"},
        {"status": "paused"},
        {"sort": "next"},
    ]:
        page = text(alice_client.get(URL, params))
        assert "Bobsfriend" not in page, params
    assert "Bob's circle" not in text(alice_client.get(URL))


@pytest.mark.parametrize("param", ["circle", "interest"])
def test_a_filter_with_bobs_id_shows_nothing_of_bobs(alice_client, alice, bob, param):
    ContactFactory(owner=alice, name="Ana Lopez")
    bobs_circle = CircleFactory(owner=bob, name="Bob's circle")
    bobs_jazz = InterestFactory(owner=bob, name="Bob's jazz")
    bobs_friend = ContactFactory(owner=bob, name="Bobsfriend", circle=bobs_circle)
    bobs_friend.interests.add(bobs_jazz)
    bobs_id = bobs_circle.pk if param == "circle" else bobs_jazz.pk

    response = alice_client.get(URL, {param: bobs_id})

    assert response.status_code == 200
    page = text(response)
    assert "Bobsfriend" not in page
    assert "Bob's circle" not in page and "Bob's jazz" not in page


def test_an_invalid_circle_does_not_wipe_out_the_search(alice_client, alice, bob):
    ContactFactory(owner=alice, name="Émile Zola")
    ContactFactory(owner=alice, name="Zack Other")
    bobs_circle = CircleFactory(owner=bob, name="Bob's circle")
    # e.g. a bookmarked URL with a circle deleted since, or someone else's id.
    assert listed(alice_client, q="emile", circle=bobs_circle.pk) == ["Émile Zola"]
    assert listed(alice_client, q="emile", circle="999999") == ["Émile Zola"]
    assert listed(alice_client, q="zack", status="nonsense") == ["Zack Other"]


def test_the_list_needs_a_login(client, alice):
    ContactFactory(owner=alice, name="Ana Lopez")
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Query count ----------------------------------------------------------------------------------


def test_query_count_is_the_same_for_2_and_60_contacts(
    alice_client, alice, frozen_now, django_assert_num_queries
):
    friends = CircleFactory(owner=alice, name="Friends", cadence_days=30)
    CircleFactory(owner=alice, name="Mentors", cadence_days=60)
    jazz = InterestFactory(owner=alice, name="Jazz")

    def add(count: int, start: int) -> None:
        for index in range(start, start + count):
            contact = ContactFactory(
                owner=alice,
                name=f"Ana {index:02}",
                circle=friends,
                last_interaction_on=TODAY - dt.timedelta(days=index),
                next_reach_out_on=TODAY - dt.timedelta(days=1),
            )
            contact.interests.add(jazz)

    params = {"q": "ana", "circle": friends.pk, "interest": jazz.pk, "status": "due"}
    add(2, 0)
    with CaptureQueriesContext(connection) as small:
        response = alice_client.get(URL, params)
    assert len(names_in(text(response))) == 2
    with CaptureQueriesContext(connection) as small_plain:
        alice_client.get(URL)

    add(58, 2)
    with django_assert_num_queries(len(small)):
        response = alice_client.get(URL, params)
    assert len(names_in(text(response))) == 50
    with django_assert_num_queries(len(small_plain)):
        alice_client.get(URL)
    with django_assert_num_queries(len(small_plain)):
        alice_client.get(URL, {"page": 2, "sort": "last"})


def test_due_follows_the_users_own_calendar_day(alice_client, alice):
    # 10:00 UTC on 28 November is already midnight of the 29th in Kiritimati (UTC+14).
    alice.settings.time_zone = "Pacific/Kiritimati"
    alice.settings.save()
    ContactFactory(owner=alice, name="Due On The 29th", next_reach_out_on=dt.date(2026, 11, 29))
    ContactFactory(owner=alice, name="Due On The 30th", next_reach_out_on=dt.date(2026, 11, 30))
    with time_machine.travel(dt.datetime(2026, 11, 28, 9, 59, tzinfo=dt.UTC), tick=False):
        assert listed(alice_client, status="due") == []  # 23:59 on the 28th there
    with time_machine.travel(dt.datetime(2026, 11, 28, 10, tzinfo=dt.UTC), tick=False):
        assert listed(alice_client, status="due") == ["Due On The 29th"]


def test_each_person_says_when_they_are_due_in_words_that_read(alice_client, alice, frozen_now):
    ContactFactory(owner=alice, name="Overdue", next_reach_out_on=TODAY - dt.timedelta(days=10))
    ContactFactory(owner=alice, name="Due Today", next_reach_out_on=TODAY)
    ContactFactory(owner=alice, name="Later", next_reach_out_on=TODAY + dt.timedelta(days=5))
    page = " ".join(text(alice_client.get(URL)).split())
    assert "· due 10 days ago" in page
    assert "· due today" in page
    assert "· due in 5 days" in page
    assert "next 10 days ago" not in page
