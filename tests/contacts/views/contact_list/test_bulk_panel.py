"""The list's bulk panel: one field per action (all there without JS, each labelled for its
action), an action must be chosen, and every way back (after a change, after its undo) lands on
the same filtered, sorted, paginated list. Another user's change is a 404."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from contacts.models import BulkChange, Contact
from contacts.services import contacts_bulk_edit
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

LIST = reverse("contacts:list")
BULK = reverse("contacts:bulk")


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def people(alice):
    return [ContactFactory(owner=alice, name=f"Person {n:02d}") for n in range(60)]


def test_each_action_s_field_is_marked_for_it_and_all_are_there_without_js(alice_client, people):
    page = text(alice_client.get(LIST))
    fields = dict(re.findall(r'data-bulk-for="(\w+)">.*?<label for="[^"]+">([^<]+)</label>', page))
    assert fields == {
        "set_circle": "Circle to move them to",
        "set_cadence": "New rhythm, every … days (empty: follow the circle)",
        "add_interest": "Interest to add",
        "remove_interest": "Interest to remove",
    }
    # Nothing is chosen for the user: the first option asks.
    assert re.search(r'<select name="action"[^>]*>\s*<option value="" selected>Choose', page)
    assert "Select all 60 matching, not only the ticked rows" in page
    assert "Tick people in the list, or select all 60 matching." in page


def test_a_filtered_list_says_all_matching_this_search(alice_client, people):
    Contact.objects.filter(pk__in=[p.pk for p in people[:3]]).update(paused=True)
    page = text(alice_client.get(LIST, {"status": "paused"}))
    assert "Select all 3 matching this search, not only the ticked rows" in page


def test_applying_without_choosing_an_action_says_so_and_changes_nothing(
    alice_client, alice, people
):
    response = alice_client.post(BULK, {"ids": [people[0].pk], "action": ""})
    assert response.status_code == 302
    assert "Choose what to do with the selected people." in text(alice_client.get(response.url))
    assert not BulkChange.objects.filter(owner=alice).exists()


def test_after_a_bulk_change_the_list_is_the_same_filtered_sorted_page(alice_client, alice, people):
    querystring = "q=Person&sort=name&page=2"
    response = alice_client.post(
        BULK,
        {"ids": [people[55].pk], "action": "pause", "querystring": querystring, "q": "Person"},
    )
    assert response.status_code == 302
    assert response.url == f"{LIST}?{querystring}"
    assert Contact.objects.get(pk=people[55].pk).paused


def test_the_list_posts_its_whole_querystring_page_included(alice_client, people):
    page = text(alice_client.get(LIST, {"q": "Person", "sort": "name", "page": "2"}))
    assert '<input type="hidden" name="querystring" value="q=Person&sort=name&page=2">' in page


def test_the_undo_form_goes_back_to_the_list_as_filtered_by_htmx(alice_client, alice, people):
    contacts_bulk_edit(owner=alice, contact_ids=[people[0].pk], action="pause")
    # The filters change through htmx, which swaps only #results: the undo form is in it.
    response = alice_client.get(
        LIST, {"q": "Person", "sort": "name", "page": "2"}, headers={"hx-request": "true"}
    )
    fragment = text(response)
    assert fragment.lstrip().startswith('<section class="card" id="results"')
    assert '<input type="hidden" name="next" value="/contacts/?q=Person&sort=name&page=2">' in (
        fragment
    )


def test_undo_lands_on_the_same_filtered_sorted_paginated_list(alice_client, alice, people):
    change = contacts_bulk_edit(owner=alice, contact_ids=[people[0].pk], action="archive")
    back = f"{LIST}?q=Person&status=active&sort=name&page=2"
    response = alice_client.post(reverse("contacts:bulk_undo", args=[change.pk]), {"next": back})
    assert response.status_code == 302
    assert response.url == back
    assert not Contact.objects.get(pk=people[0].pk).archived
    page = text(alice_client.get(response.url))
    assert "Undone: Archived 1 person." in page


def test_undo_refuses_a_way_back_to_another_site(alice_client, alice, people):
    change = contacts_bulk_edit(owner=alice, contact_ids=[people[0].pk], action="pause")
    response = alice_client.post(
        reverse("contacts:bulk_undo", args=[change.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == LIST


def test_undoing_another_user_s_change_is_a_404_and_changes_nothing(alice_client, bob):
    theirs = ContactFactory(owner=bob, name="Bob's friend")
    change = contacts_bulk_edit(owner=bob, contact_ids=[theirs.pk], action="archive")
    response = alice_client.post(
        reverse("contacts:bulk_undo", args=[change.pk]), {"next": f"{LIST}?q=x"}
    )
    assert response.status_code == 404
    change.refresh_from_db()
    assert change.undone_at is None
    assert Contact.objects.get(pk=theirs.pk).archived
