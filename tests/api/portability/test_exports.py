"""Exports through the API: the export menu's vCard and CSV files and the JSON backup, as file
downloads, with the list's filters; only the owner's people, whatever the client accepts."""

from __future__ import annotations

import csv
import io
import json

import pytest
import vobject

from contacts.models import ContactMethod
from contacts.services import contact_interest_add
from tests.factories import CircleFactory, ContactFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def people(alice, bob):
    friends = CircleFactory(owner=alice, name="Friends")
    ada = ContactFactory(owner=alice, name="Ada Lovelace", company="Analytical", circle=friends)
    ContactMethod.objects.create(owner=alice, contact=ada, kind="email", value="ada@example.com")
    ContactFactory(owner=alice, name="Alan Turing", archived=True)
    ContactFactory(owner=bob, name="Bob's secret friend")
    return {"friends": friends, "ada": ada}


def test_vcard_export_is_a_file_of_the_owners_people(alice_api, people, frozen_now):
    response = alice_api.get("/api/v1/exports/contacts.vcf")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    disposition = 'attachment; filename="network-crm-contacts-vcard4.vcf"'
    assert response["Content-Disposition"] == disposition
    cards = list(vobject.readComponents(text(response)))
    assert [c.fn.value for c in cards] == ["Ada Lovelace", "Alan Turing"]  # archived too
    assert cards[0].version.value == "4.0"
    assert cards[0].email.value == "ada@example.com"

    v3 = alice_api.get("/api/v1/exports/contacts.vcf", {"version": "3.0"})
    assert v3["Content-Disposition"].endswith('vcard3.vcf"')
    assert "VERSION:3.0" in text(v3)


def test_csv_exports_and_filters(alice_api, people):
    sheet = alice_api.get("/api/v1/exports/contacts.csv")
    assert sheet.status_code == 200
    assert sheet["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(text(sheet).lstrip("\ufeff"))))
    assert sorted(r["Name"] for r in rows) == ["Ada Lovelace", "Alan Turing"]

    google = alice_api.get("/api/v1/exports/contacts.csv", {"flavor": "google"})
    assert google["Content-Disposition"].endswith('google.csv"')
    assert "Ada,,Lovelace" in text(google)

    archived = alice_api.get("/api/v1/exports/contacts.csv", {"status": "archived"})
    assert "Alan Turing" in (body := text(archived))
    assert "Ada Lovelace" not in body
    circle = alice_api.get("/api/v1/exports/contacts.vcf", {"circle": people["friends"].pk})
    assert [c.fn.value for c in vobject.readComponents(text(circle))] == ["Ada Lovelace"]
    contact_interest_add(contact=people["ada"], name="Chess")
    chess = alice_api.get("/api/v1/exports/contacts.vcf", {"interest": "chess"})
    assert [c.fn.value for c in vobject.readComponents(text(chess))] == ["Ada Lovelace"]
    search = alice_api.get("/api/v1/exports/contacts.vcf", {"q": "turing", "status": "archived"})
    assert [c.fn.value for c in vobject.readComponents(text(search))] == ["Alan Turing"]


def test_bad_filters_are_400s_with_a_message_per_field(alice_api, bob, people):
    bobs_circle = CircleFactory(owner=bob, name="Bob's")
    response = alice_api.get("/api/v1/exports/contacts.vcf", {"circle": bobs_circle.pk})
    assert response.status_code == 400
    assert list(response.json()) == ["circle"]
    assert alice_api.get("/api/v1/exports/contacts.vcf", {"version": "2.1"}).json() == {
        "version": ["Choose one of 4.0, 3.0."]
    }
    assert alice_api.get("/api/v1/exports/contacts.csv", {"flavor": "excel"}).json() == {
        "flavor": ["Choose one of spreadsheet, google."]
    }
    unknown = alice_api.get("/api/v1/exports/contacts.vcf", {"interest": "Knitting"})
    assert unknown.json() == {
        "interest": ["Select a valid choice. None of your interests is called “Knitting”."]
    }
    bad = alice_api.get("/api/v1/exports/contacts.csv", {"status": "everyone-ever"})
    assert bad.status_code == 400
    assert list(bad.json()) == ["status"]


def test_the_backup_is_the_whole_account_as_json(alice_api_read, people, frozen_now):
    response = alice_api_read.get("/api/v1/exports/backup.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="network-crm-backup-2026-11-28.json"'
    )
    data = json.loads(text(response))
    assert data["format"] == "network-crm-backup"
    assert data["account"]["email"] == "alice@example.com"
    assert sorted(c["name"] for c in data["contacts"]) == ["Ada Lovelace", "Alan Turing"]
    assert [c["name"] for c in data["circles"]] == ["Friends"]


def test_any_accept_header_gets_the_file_and_errors_stay_json(alice_api, people, client):
    wanted = alice_api.get("/api/v1/exports/contacts.vcf", headers={"Accept": "text/vcard"})
    assert wanted.status_code == 200
    assert "Ada Lovelace" in text(wanted)
    csv_only = alice_api.get(
        "/api/v1/exports/contacts.csv", {"flavor": "nope"}, headers={"Accept": "text/csv"}
    )
    assert csv_only.status_code == 400
    assert csv_only["Content-Type"] == "application/json"
    anonymous = client.get("/api/v1/exports/backup.json", headers={"Accept": "text/csv"})
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/json"


def test_bobs_export_has_none_of_alices_people(bob_api, people):
    names = [
        c.fn.value
        for c in vobject.readComponents(text(bob_api.get("/api/v1/exports/contacts.vcf")))
    ]
    assert names == ["Bob's secret friend"]
    backup = json.loads(text(bob_api.get("/api/v1/exports/backup.json")))
    assert [c["name"] for c in backup["contacts"]] == ["Bob's secret friend"]


def test_the_export_costs_the_same_queries_for_3_or_30_people(
    alice_api, alice, django_assert_max_num_queries, django_assert_num_queries
):
    def make(count: int) -> None:
        for n in range(count):
            contact = ContactFactory(owner=alice, name=f"Person {n:02d}")
            ContactMethod.objects.create(
                owner=alice, contact=contact, kind="email", value=f"p{n}@example.com"
            )

    make(3)
    alice_api.get("/api/v1/exports/contacts.vcf")  # the token's last_used write: not counted
    with django_assert_max_num_queries(15) as captured:
        assert text(alice_api.get("/api/v1/exports/contacts.vcf")).count("BEGIN:VCARD") == 3
    make(27)
    with django_assert_num_queries(len(captured)):
        assert text(alice_api.get("/api/v1/exports/contacts.vcf")).count("BEGIN:VCARD") == 30
