"""Snooze and "we're fine" say what they did, in place over htmx or after the redirect, with an
Undo that puts the due date back; the Undo is POST only and only for the owner's fresh change."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from contacts.models import Contact
from interactions.services import interaction_log
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 28)
HTMX = {"HX-Request": "true"}
TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def amara(alice, frozen_now) -> Contact:
    """Every 7 days, last coffee on 10 November: due since the 17th."""
    contact = ContactFactory(owner=alice, name="Amara O'Neil", cadence_days=7)
    interaction_log(
        owner=alice,
        contacts=[contact],
        kind="coffee",
        occurred_at=dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC),
        today=TODAY,
    )
    return contact


def state(contact: Contact) -> tuple:
    return Contact.objects.values_list(
        "snoozed_until", "cadence_restarted_on", "next_reach_out_on"
    ).get(pk=contact.pk)


def undo_form(html: str, contact: Contact) -> dict[str, str]:
    undo_url = reverse("contacts:undo", args=[contact.pk])
    assert f'<form method="post" action="{undo_url}" hx-post="{undo_url}"' in html
    return {"token": TOKEN.search(html).group(1)}


@pytest.mark.parametrize(
    ("action", "fields", "said", "after"),
    [
        (
            "contacts:snooze",
            {"days": "7"},
            "Snoozed Amara O'Neil for 7 days.",
            (dt.date(2026, 12, 5), None, dt.date(2026, 12, 5)),
        ),
        (
            "contacts:fine",
            {},
            "Noted: you and Amara O'Neil are fine. Their rhythm starts again today.",
            (None, TODAY, dt.date(2026, 12, 5)),
        ),
    ],
)
def test_htmx_answer_is_the_announcement_with_an_undo_that_works(
    alice_client, amara, action, fields, said, after
):
    before = state(amara)
    assert before == (None, None, dt.date(2026, 11, 17))
    response = alice_client.post(reverse(action, args=[amara.pk]), fields, headers=HTMX)
    assert response.status_code == 200
    # Whatever the form's own hx-target says, the answer goes into the one live region.
    assert response.headers["HX-Retarget"] == "#announce"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert "contactChanged" in json.loads(response.headers["HX-Trigger"])
    html = response.content.decode()
    assert escape(said) in html and "<html" not in html
    assert state(amara) == after

    undo = alice_client.post(
        reverse("contacts:undo", args=[amara.pk]), undo_form(html, amara), headers=HTMX
    )
    assert undo.status_code == 200
    assert undo.headers["HX-Retarget"] == "#announce"
    assert "contactChanged" in json.loads(undo.headers["HX-Trigger"])
    assert "Undone: Amara O&#x27;Neil" in undo.content.decode()
    assert state(amara) == before

    # The same Undo twice: nothing left to undo.
    again = alice_client.post(
        reverse("contacts:undo", args=[amara.pk]), undo_form(html, amara), headers=HTMX
    )
    assert again.status_code == 404
    assert state(amara) == before


def test_without_htmx_the_message_after_the_redirect_has_the_undo(alice_client, amara):
    contact_page = amara.get_absolute_url()
    response = alice_client.post(
        reverse("contacts:snooze", args=[amara.pk]), {"days": "7", "next": contact_page}
    )
    assert response.status_code == 302 and response.url == contact_page
    page = alice_client.get(contact_page).content.decode()
    region = page.split('<div id="announce"', 1)[1].split("</main>", 1)[0]
    assert "Snoozed Amara O&#x27;Neil for 7 days." in region
    assert state(amara)[0] == dt.date(2026, 12, 5)

    response = alice_client.post(
        reverse("contacts:undo", args=[amara.pk]), {**undo_form(region, amara), "next": "/"}
    )
    assert response.status_code == 302 and response.url == "/"
    assert state(amara) == (None, None, dt.date(2026, 11, 17))
    assert "Undone: Amara O&#x27;Neil&#x27;s snooze." in alice_client.get("/").content.decode()


def test_another_users_contact_or_token_is_a_404(alice_client, amara, bob):
    html = alice_client.post(
        reverse("contacts:fine", args=[amara.pk]), headers=HTMX
    ).content.decode()
    token = undo_form(html, amara)
    after = state(amara)
    bob_client = Client()
    bob_client.force_login(bob)
    # Bob cannot undo Alice's change, with her token or without it.
    assert bob_client.post(reverse("contacts:undo", args=[amara.pk]), token).status_code == 404
    # Nor can Alice's token be used on another contact of hers (or of Bob's).
    bobs = ContactFactory(owner=bob, cadence_days=7)
    assert bob_client.post(reverse("contacts:undo", args=[bobs.pk]), token).status_code == 404
    assert state(amara) == after


def test_undo_refuses_a_bad_token_and_get(alice_client, amara):
    alice_client.post(reverse("contacts:fine", args=[amara.pk]), headers=HTMX)
    after = state(amara)
    url = reverse("contacts:undo", args=[amara.pk])
    assert alice_client.post(url, {"token": "nonsense"}).status_code == 404
    assert alice_client.post(url).status_code == 404
    assert alice_client.get(url).status_code == 405
    assert state(amara) == after
