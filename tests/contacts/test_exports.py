"""Your data out: vCard 4.0/3.0, CSV (safe in spreadsheets) and the JSON backup."""

from __future__ import annotations

import csv
import io
import json

import pytest
import vobject
from django.urls import reverse

from contacts.models import ContactMethod, ImportantDate
from contacts.services import contact_interest_add
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def emile(alice):
    contact = ContactFactory(
        owner=alice,
        name="Émile Zola-Ørsted",
        nickname="Mimi",
        company="Éditions; Grasset, & Co",
        role="Writer",
        city="Paris",
        country="France",
        notes="Line one\nLine two, with comma; and semicolon \\ backslash. " + "長い" * 40,
    )
    ContactMethod.objects.create(
        owner=alice, contact=contact, kind="email", label="work", value="emile@example.com"
    )
    ContactMethod.objects.create(
        owner=alice, contact=contact, kind="phone", label="mobile", value="+33 6 12 34 56 78"
    )
    ImportantDate.objects.create(owner=alice, contact=contact, kind="birthday", month=2, day=29)
    contact_interest_add(contact=contact, name="Jazz")
    return contact


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize(("fmt", "version"), [("vcard", "4.0"), ("vcard3", "3.0")])
def test_vcard_export_parses_back_with_every_detail(alice_client, emile, bob, fmt, version):
    ContactFactory(owner=bob, name="Bob's secret friend")
    response = alice_client.get(reverse("contacts:export"), {"format": fmt})
    assert response["Content-Type"].startswith("text/vcard")
    text = body(response)
    assert "secret friend" not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    (card,) = list(vobject.readComponents(text))
    assert card.version.value == version
    assert card.fn.value == "Émile Zola-Ørsted"
    assert card.uid.value == emile.uid
    assert card.org.value == ["Éditions; Grasset, & Co"]
    assert card.email.value == "emile@example.com"
    assert card.tel.value == "+33 6 12 34 56 78"
    assert card.bday.value == "--0229"
    assert card.note.value == emile.notes
    assert card.categories.value == ["Jazz"]


def test_csv_export_neutralises_formulas_and_keeps_unicode(alice_client, alice):
    ContactFactory(owner=alice, name='=HYPERLINK("http://evil")', notes="+1 thing", company="@cmd")
    ContactFactory(owner=alice, name="Ísak Jónsson", notes="-minus", role="\tTab")
    text = body(alice_client.get(reverse("contacts:export"), {"format": "csv"}))
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    by_name = {row["Name"]: row for row in rows}
    evil = by_name['\'=HYPERLINK("http://evil")']
    assert evil["Notes"] == "'+1 thing" and evil["Company"] == "'@cmd"
    assert by_name["Ísak Jónsson"]["Notes"] == "'-minus"
    assert by_name["Ísak Jónsson"]["Role"] == "'\tTab"


def test_bulk_export_of_the_selection_only(alice_client, alice, bob):
    picked = ContactFactory(owner=alice, name="Picked")
    ContactFactory(owner=alice, name="Not picked")
    theirs = ContactFactory(owner=bob, name="Bob's")
    response = alice_client.post(
        reverse("contacts:bulk"), {"action": "export_vcard", "ids": [picked.pk]}
    )
    text = body(response)
    assert "FN:Picked" in text and "Not picked" not in text
    refused = alice_client.post(
        reverse("contacts:bulk"), {"action": "export_vcard", "ids": [theirs.pk]}
    )
    assert refused.status_code == 302  # an invalid choice: back to the list, nothing exported


def test_backup_has_all_my_rows_and_nothing_of_anyone_else(alice_client, alice, bob, emile):
    InteractionFactory(owner=alice, contacts=[emile], notes="Coffee at the Louvre")
    ContactFactory(owner=bob, name="Bob's friend")
    InteractionFactory(owner=bob, notes="bob's private note")
    response = alice_client.get(reverse("contacts:backup"))
    assert response["Content-Disposition"].startswith('attachment; filename="network-crm-backup-')
    data = json.loads(body(response))
    assert data["format"] == "network-crm-backup"
    assert data["account"]["email"] == "alice@example.com"
    assert [c["name"] for c in data["contacts"]] == ["Émile Zola-Ørsted"]
    assert [i["notes"] for i in data["interactions"]] == ["Coffee at the Louvre"]
    assert data["contact_methods"][0]["value"] in ("emile@example.com", "+33 6 12 34 56 78")
    assert {k: data["important_dates"][0][k] for k in ("day", "month", "year")} == {
        "day": 29,
        "month": 2,
        "year": None,
    }
    assert "bob" not in json.dumps(data).lower()
