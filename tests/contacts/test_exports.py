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


def test_a_backup_restores_exactly_into_an_empty_account(client, alice, bob, emile):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contacts.models import Contact

    other = ContactFactory(owner=alice, name="Kwame", introduced_by=emile, cadence_days=14)
    InteractionFactory(owner=alice, contacts=[emile, other], notes="Dinner", kind="meal")
    client.force_login(alice)
    original = json.loads(body(client.get(reverse("contacts:backup"))))

    client.force_login(bob)
    upload = SimpleUploadedFile("backup.json", json.dumps(original).encode())
    response = client.post(reverse("contacts:restore"), {"backup": upload})
    assert response.status_code == 302
    restored = json.loads(body(client.get(reverse("contacts:backup"))))

    def comparable(backup):
        contacts = {c["id"]: c["uid"] for c in backup["contacts"]}
        return {
            "contacts": sorted(
                [
                    {k: v for k, v in c.items() if k not in ("id", "circle_id", "introduced_by_id")}
                    | {"introduced_by": contacts.get(c["introduced_by_id"])}
                    for c in backup["contacts"]
                ],
                key=lambda c: c["uid"],
            ),
            "circles": sorted((c["name"], c["cadence_days"]) for c in backup["circles"]),
            "interests": sorted((i["name"], i["mine"]) for i in backup["interests"]),
            "methods": sorted(
                (contacts[m["contact_id"]], m["kind"], m["value"])
                for m in backup["contact_methods"]
            ),
            "dates": sorted(
                (contacts[d["contact_id"]], d["month"], d["day"], d["year"])
                for d in backup["important_dates"]
            ),
            "interactions": sorted(
                (i["kind"], i["occurred_at"], i["notes"]) for i in backup["interactions"]
            ),
            "links": sorted(
                contacts[link["contact_id"]] for link in backup["interaction_contacts"]
            ),
        }

    assert comparable(restored) == comparable(original)
    assert (
        Contact.objects.filter(owner=bob).get(name="Kwame").introduced_by.name
        == "Émile Zola-Ørsted"
    )
    # Not into an account that already has people, and nothing changes.
    again = client.post(
        reverse("contacts:restore"),
        {"backup": SimpleUploadedFile("b.json", json.dumps(original).encode())},
    )
    assert again.status_code == 302
    assert Contact.objects.filter(owner=bob).count() == 2


def test_a_damaged_backup_restores_nothing(client, bob):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contacts.models import Contact

    client.force_login(bob)
    damaged = {"format": "network-crm-backup", "contacts": [{"id": 1, "name": "x"}]}
    response = client.post(
        reverse("contacts:restore"),
        {"backup": SimpleUploadedFile("b.json", json.dumps(damaged).encode())},
        follow=True,
    )
    assert "damaged or incomplete" in response.content.decode()
    assert not Contact.objects.filter(owner=bob).exists()
    response = client.post(
        reverse("contacts:restore"),
        {"backup": SimpleUploadedFile("b.json", b"not json")},
        follow=True,
    )
    assert "isn&#x27;t a network-crm backup" in response.content.decode()


@pytest.mark.parametrize(
    "table, row",
    [
        ("circles", {"id": 7, "name": "C" * 500, "cadence_days": 30}),
        ("circles", {"id": 7, "name": "Friends", "cadence_days": -3}),
        ("interests", {"id": 7, "name": "I" * 500, "mine": False}),
        (
            "contact_methods",
            {"contact_id": 1, "kind": "email", "label": "L" * 500, "value": "a@b.c", "position": 0},
        ),
        (
            "contact_methods",
            {"contact_id": 1, "kind": "fax", "label": "", "value": "123", "position": 0},
        ),
    ],
)
def test_a_hand_edited_backup_with_an_invalid_row_restores_nothing(client, alice, bob, table, row):
    """Refused the same way on SQLite (which would store an over-long text) as on PostgreSQL."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contacts.models import Circle, Contact, ContactMethod, Interest

    ContactFactory(owner=alice, name="Ama")
    client.force_login(alice)
    backup = json.loads(body(client.get(reverse("contacts:backup"))))
    if table == "contact_methods":
        row["contact_id"] = backup["contacts"][0]["id"]
    backup[table] = [row]
    circles_before = list(Circle.objects.filter(owner=bob).values_list("name", flat=True))

    client.force_login(bob)
    response = client.post(
        reverse("contacts:restore"),
        {"backup": SimpleUploadedFile("b.json", json.dumps(backup).encode())},
        follow=True,
    )
    assert "can&#x27;t be restored" in response.content.decode()
    assert "nothing was restored" in response.content.decode()
    assert not Contact.objects.filter(owner=bob).exists()
    assert not Interest.objects.filter(owner=bob).exists()
    assert not ContactMethod.objects.filter(owner=bob).exists()
    assert list(Circle.objects.filter(owner=bob).values_list("name", flat=True)) == circles_before
