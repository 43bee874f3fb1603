"""The confirmed-action mechanism (network_crm/admin.py): the intermediate page, the selection it
carries ("select all N matching" with filters and search, across pages), the message's Undo, and
owner scoping for everyone, superusers included. The contact actions themselves:
tests/contacts/admin/test_contact_actions.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from contacts.admin import ContactAdmin
from contacts.models import Contact
from tests.factories import CircleFactory, ContactFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

CHANGELIST = reverse("admin:contacts_contact_changelist")


def filter_link(html: str, label: str) -> str:
    """The query string of the changelist's filter link called ``label`` (so the test does not
    depend on how a filter names its parameter)."""
    match = re.search(r'href="(\?[^"]*)"[^>]*>\s*' + re.escape(label) + r"\s*<", html)
    assert match, f"no filter link {label!r}"
    return match.group(1).replace("&amp;", "&")


@pytest.fixture
def people(alice, bob):
    climbers = CircleFactory(owner=alice, name="Climbers", cadence_days=30)
    return {
        "climbers": climbers,
        "amara": ContactFactory(owner=alice, name="Amara Diallo", circle=climbers),
        "kwame": ContactFactory(owner=alice, name="Kwame Mensah", circle=climbers),
        "lena": ContactFactory(owner=alice, name="Lena Vogel", circle=climbers),
        "zoe": ContactFactory(owner=alice, name="Zoé Martin"),
        "bobs": ContactFactory(owner=bob, name="Bob's confidant"),
    }


def test_the_first_post_asks_and_changes_nothing(alice_client, people):
    response = alice_client.post(
        CHANGELIST,
        {"action": "pause", "index": "0", "_selected_action": [people["amara"].pk]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Pause reminders</h1>" in html
    assert "This changes <strong>1 person</strong>" in html
    assert "Amara Diallo" in html and "Kwame Mensah" not in html
    assert 'name="confirmed" value="yes"' in html
    assert f'name="_selected_action" value="{people["amara"].pk}"' in html
    assert 'value="Pause 1 person"' in html
    assert not Contact.objects.filter(paused=True).exists()


def test_the_page_names_a_few_and_counts_the_rest(alice_client, alice):
    ids = [ContactFactory(owner=alice, name=f"Person {n:02}").pk for n in range(12)]
    response = alice_client.post(
        CHANGELIST, {"action": "archive", "index": "0", "_selected_action": ids}
    )
    html = response.content.decode()
    assert "This changes <strong>12 people</strong>" in html
    assert html.count("<li>Person ") == 8
    assert "and 4 more" in html


def test_select_all_matching_a_filter_changes_exactly_those_rows_across_pages(
    alice_client, people, monkeypatch
):
    monkeypatch.setattr(ContactAdmin, "list_per_page", 2)
    query = filter_link(alice_client.get(CHANGELIST).content.decode(), "Climbers")
    url = f"{CHANGELIST}{query}&p=2"
    # On page 2 of the filtered list only Lena shows; "select all 3" means every Climber.
    page = alice_client.get(url).content.decode()
    assert "Lena Vogel" in page and "Amara Diallo" not in page
    ticked = {"action": "pause", "_selected_action": [people["lena"].pk], "select_across": "1"}
    response = alice_client.post(url, {**ticked, "index": "0"})
    html = response.content.decode()
    assert "This changes <strong>3 people</strong>, every one matching" in html
    assert f'action="{url}"'.replace("&", "&amp;") in html
    assert 'name="select_across" value="1"' in html
    response = alice_client.post(url, {**ticked, "confirmed": "yes"})
    assert response.status_code == 302
    assert response["Location"] == url
    paused = set(Contact.objects.filter(paused=True).values_list("name", flat=True))
    assert paused == {"Amara Diallo", "Kwame Mensah", "Lena Vogel"}


def test_select_all_matching_a_search(alice_client, people):
    url = f"{CHANGELIST}?q=zoe"
    post = {"action": "archive", "_selected_action": [people["zoe"].pk], "select_across": "1"}
    html = alice_client.post(url, {**post, "index": "0"}).content.decode()
    assert "This changes <strong>1 person</strong>" in html and "Zoé Martin" in html
    alice_client.post(url, {**post, "confirmed": "yes"})
    assert list(Contact.objects.filter(archived=True).values_list("name", flat=True)) == [
        "Zoé Martin"
    ]


@pytest.mark.parametrize("superuser", [False, True])
def test_forged_ids_of_another_user_change_nothing(client, alice, people, superuser):
    alice.is_superuser = superuser
    alice.save()
    client.force_login(alice)
    bobs = people["bobs"]
    response = client.post(
        CHANGELIST, {"action": "archive", "index": "0", "_selected_action": [bobs.pk]}
    )
    assert response.status_code == 302  # nothing of alice's selected: back to the list
    response = client.post(
        CHANGELIST,
        {"action": "archive", "_selected_action": [bobs.pk], "confirmed": "yes"},
    )
    assert response.status_code == 302
    # Mixed with one of hers: only hers is listed and changed.
    both = [bobs.pk, people["amara"].pk]
    html = client.post(
        CHANGELIST, {"action": "archive", "index": "0", "_selected_action": both}
    ).content.decode()
    assert "This changes <strong>1 person</strong>" in html
    assert "confidant" not in html and f'value="{bobs.pk}"' not in html
    client.post(CHANGELIST, {"action": "archive", "_selected_action": both, "confirmed": "yes"})
    bobs.refresh_from_db()
    assert bobs.archived is False
    assert Contact.objects.get(pk=people["amara"].pk).archived is True
    # "Select all" is her rows only, whatever ids come with it.
    client.post(
        CHANGELIST,
        {
            "action": "pause",
            "_selected_action": [bobs.pk],
            "select_across": "1",
            "confirmed": "yes",
        },
    )
    bobs.refresh_from_db()
    assert bobs.paused is False
    assert Contact.objects.filter(owner=alice, paused=True).count() == 4


def test_the_message_offers_an_undo_that_comes_back_to_the_filtered_list(alice_client, people):
    url = f"{CHANGELIST}?q=amara"
    post = {"action": "pause", "_selected_action": [people["amara"].pk], "confirmed": "yes"}
    response = alice_client.post(url, post, follow=True)
    html = response.content.decode()
    assert "Paused reminders for 1 person." in html
    undo = re.search(r'<form method="post" action="([^"]+)" class="crm-undo">', html)
    assert undo is not None
    assert f'name="next" value="{url}"' in html
    response = alice_client.post(undo.group(1), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert Contact.objects.get(pk=people["amara"].pk).paused is False
    assert "Undone: Paused reminders for 1 person." in alice_client.get(url).content.decode()


def test_an_invalid_form_is_shown_again_with_its_error(alice_client, people):
    response = alice_client.post(
        CHANGELIST,
        {
            "action": "set_rhythm",
            "_selected_action": [people["amara"].pk],
            "confirmed": "yes",
            "rhythm": "days",
            "cadence_days": "",
        },
    )
    assert response.status_code == 200
    assert "Type a number of days" in response.content.decode()
    assert Contact.objects.get(pk=people["amara"].pk).cadence_days is None


def test_actions_registered_by_an_app_above_are_offered(alice_client, people):
    html = alice_client.get(CHANGELIST).content.decode()
    for name in ("move_to_circle", "set_rhythm", "export_selection", "merge_two"):
        assert f'value="{name}"' in html


def test_select_all_on_the_whole_list_says_so(alice_client, people):
    post = {"action": "pause", "index": "0", "_selected_action": [people["zoe"].pk]}
    html = alice_client.post(CHANGELIST, {**post, "select_across": "1"}).content.decode()
    assert "This changes <strong>4 people</strong>, everyone on the list:" in html
