"""Portability's actions on the contacts admin (portability/admin.py): export the selection
(through its confirmation page, as a download) and merge two selected people (the merge screen)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contacts.models import Contact
from tests.factories import ContactFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

CHANGELIST = reverse("admin:contacts_contact_changelist")


@pytest.fixture
def people(alice, bob):
    return {
        "amara": ContactFactory(owner=alice, name="Amara Diallo"),
        "amadou": ContactFactory(owner=alice, name="Amadou Sy"),
        "kwame": ContactFactory(owner=alice, name="Kwame Mensah"),
        "bobs": ContactFactory(owner=bob, name="Amaury Secret"),
    }


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_export_asks_for_a_format_then_downloads_only_the_selection(alice_client, people):
    ids = [people["amara"].pk, people["bobs"].pk]
    page = alice_client.post(
        CHANGELIST, {"action": "export_selection", "index": "0", "_selected_action": ids}
    ).content.decode()
    assert "<h1>Export</h1>" in page and "This exports <strong>1 person</strong>" in page
    assert "vCard 3.0" in page and "CSV for Google Contacts" in page
    assert "Amaury" not in page
    response = alice_client.post(
        CHANGELIST,
        {
            "action": "export_selection",
            "_selected_action": ids,
            "confirmed": "yes",
            "format": "csv",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="network-crm-selection-spreadsheet.csv"'
    )
    text = body(response)
    assert "Amara Diallo" in text
    assert "Amaury" not in text and "Kwame" not in text


def test_export_of_everyone_matching_a_search(alice_client, people):
    url = f"{CHANGELIST}?q=ama"
    response = alice_client.post(
        url,
        {
            "action": "export_selection",
            "_selected_action": [people["amara"].pk],
            "select_across": "1",
            "confirmed": "yes",
            "format": "vcard",
        },
    )
    text = body(response)
    assert "FN:Amara Diallo" in text and "FN:Amadou Sy" in text
    assert "Kwame" not in text and "Amaury" not in text


def test_merge_sends_exactly_two_people_to_the_merge_screen(alice_client, people):
    two = [people["amara"].pk, people["amadou"].pk]
    response = alice_client.post(
        CHANGELIST, {"action": "merge_two", "index": "0", "_selected_action": two}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portability:merge", kwargs={"pk": min(two), "other_pk": max(two)}
    )
    assert "Amadou Sy" in alice_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("picked", [["amara"], ["amara", "amadou", "kwame"], ["amara", "bobs"]])
def test_merge_of_anything_but_two_of_ones_own_says_so(alice_client, people, picked):
    ids = [people[key].pk for key in picked]
    response = alice_client.post(
        CHANGELIST, {"action": "merge_two", "index": "0", "_selected_action": ids}, follow=True
    )
    html = response.content.decode()
    own = len([key for key in picked if key != "bobs"])
    word = "person" if own == 1 else "people"
    assert f"Merging takes exactly two people; you selected {own} {word}." in html
    assert Contact.objects.count() == 4
