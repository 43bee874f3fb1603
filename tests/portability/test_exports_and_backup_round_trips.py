"""Your data out: vCard 4.0/3.0, CSV (safe in spreadsheets) and the JSON backup."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contacts.models import Circle, Contact, ContactMethod, ImportantDate
from contacts.services import contact_interest_add
from portability import imports
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


@pytest.mark.parametrize(
    ("fmt", "version", "bday"), [("vcard", "4.0", "--0229"), ("vcard3", "3.0", "1604-02-29")]
)
def test_vcard_export_parses_back_with_every_detail(alice_client, emile, bob, fmt, version, bday):
    ContactFactory(owner=bob, name="Bob's secret friend")
    response = alice_client.get(reverse("portability:export"), {"format": fmt})
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
    assert card.bday.value == bday
    assert card.note.value == emile.notes
    assert card.categories.value == ["Jazz"]


def test_csv_export_neutralises_formulas_and_keeps_unicode(alice_client, alice):
    ContactFactory(owner=alice, name='=HYPERLINK("http://evil")', notes="+1 thing", company="@cmd")
    ContactFactory(owner=alice, name="Ísak Jónsson", notes="-minus", role="\tTab")
    text = body(alice_client.get(reverse("portability:export"), {"format": "csv"}))
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
        reverse("portability:export_selection"), {"format": "vcard", "ids": [picked.pk]}
    )
    text = body(response)
    assert "FN:Picked" in text and "Not picked" not in text
    refused = alice_client.post(
        reverse("portability:export_selection"), {"format": "vcard", "ids": [theirs.pk]}
    )
    assert refused.status_code == 302  # an invalid choice: back to the list, nothing exported


def test_backup_has_all_my_rows_and_nothing_of_anyone_else(alice_client, alice, bob, emile):
    InteractionFactory(owner=alice, contacts=[emile], notes="Coffee at the Louvre")
    ContactFactory(owner=bob, name="Bob's friend")
    InteractionFactory(owner=bob, notes="bob's private note")
    response = alice_client.get(reverse("portability:backup"))
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
    original = json.loads(body(client.get(reverse("portability:backup"))))

    client.force_login(bob)
    upload = SimpleUploadedFile("backup.json", json.dumps(original).encode())
    response = client.post(reverse("portability:restore"), {"backup": upload})
    assert response.status_code == 302
    restored = json.loads(body(client.get(reverse("portability:backup"))))

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
        reverse("portability:restore"),
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
        reverse("portability:restore"),
        {"backup": SimpleUploadedFile("b.json", json.dumps(damaged).encode())},
        follow=True,
    )
    assert "damaged or incomplete" in response.content.decode()
    assert not Contact.objects.filter(owner=bob).exists()
    response = client.post(
        reverse("portability:restore"),
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
    backup = json.loads(body(client.get(reverse("portability:backup"))))
    if table == "contact_methods":
        row["contact_id"] = backup["contacts"][0]["id"]
    backup[table] = [row]
    circles_before = list(Circle.objects.filter(owner=bob).values_list("name", flat=True))

    client.force_login(bob)
    response = client.post(
        reverse("portability:restore"),
        {"backup": SimpleUploadedFile("b.json", json.dumps(backup).encode())},
        follow=True,
    )
    assert "can&#x27;t be restored" in response.content.decode()
    assert "nothing was restored" in response.content.decode()
    assert not Contact.objects.filter(owner=bob).exists()
    assert not Interest.objects.filter(owner=bob).exists()
    assert not ContactMethod.objects.filter(owner=bob).exists()
    assert list(Circle.objects.filter(owner=bob).values_list("name", flat=True)) == circles_before


# --- vCard 3.0 is RFC 2426, vCard 4.0 is RFC 6350 -------------------------------------------------

# RFC 2426 BDAY: a date-value or date-time-value of RFC 2425, i.e. ISO 8601 with a year:
#   date = date-fullyear ["-"] date-month ["-"] date-mday
RFC2426_DATE = re.compile(r"^\d{4}-?\d{2}-?\d{2}(T\d{2}:?\d{2}:?\d{2}(Z|[+-]\d{2}:?\d{2})?)?$")
# RFC 6350 date-and-or-time (section 4.3.4), the date forms and a date-time:
#   date = year [month day] / year "-" month / "--" month [day] / "--" "-" day
RFC6350_DATE = re.compile(
    r"^(\d{4}(\d{2}\d{2})?|\d{4}-\d{2}|--\d{2}(\d{2})?|---\d{2})"
    r"(T\d{2}(\d{2}(\d{2})?)?(Z|[+-]\d{2}(\d{2})?)?)?$"
)
# Properties and parameters RFC 6350 added, which a 3.0 reader doesn't know.
VCARD4_ONLY = ("KIND", "GENDER", "ANNIVERSARY", "LANG", "MEMBER", "RELATED", "XML", "CLIENTPIDMAP")


@pytest.fixture
def dates_and_labels(alice):
    """A year-less birthday, a dated anniversary and methods with every kind of label."""
    ana = ContactFactory(owner=alice, name="Ana Lima")
    ImportantDate.objects.create(owner=alice, contact=ana, kind="birthday", month=3, day=14)
    ImportantDate.objects.create(
        owner=alice, contact=ana, kind="anniversary", month=8, day=29, year=2004
    )
    for kind, label, value in [
        ("phone", "mobile", "+34 612 34 56 78"),
        ("phone", "work", "+34 91 123 45 67"),
        ("phone", "Büro, 2nd floor", "+49 30 1234567"),
        ("email", "home", "ana@example.com"),
        ("link", "blog", "https://ana.example"),
    ]:
        ContactMethod.objects.create(owner=alice, contact=ana, kind=kind, label=label, value=value)
    bruno = ContactFactory(owner=alice, name="Bruno Sá")
    ImportantDate.objects.create(
        owner=alice, contact=bruno, kind="birthday", month=12, day=1, year=1979
    )
    ImportantDate.objects.create(owner=alice, contact=bruno, kind="anniversary", month=6, day=2)
    return ana, bruno


def unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_vcard3_is_rfc2426_with_apples_year_less_birthday(alice_client, dates_and_labels):
    text = body(alice_client.get(reverse("portability:export"), {"format": "vcard3"}))
    lines = unfolded(text)
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-14" in lines
    assert "BDAY:1979-12-01" in lines
    assert not any(line.startswith("BDAY:--") for line in lines)
    # Anniversaries as Apple's labelled X-ABDATE (a year-less one in Apple's form too).
    assert "item4.X-ABDATE:2004-08-29" in lines
    assert "item4.X-ABLabel:_$!<Anniversary>!$_" in lines
    assert "item1.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-06-02" in lines
    # Standard labels as TYPE= parameters; others kept whole in an Apple item group.
    assert "EMAIL;TYPE=home:ana@example.com" in lines
    assert "TEL;TYPE=work:+34 91 123 45 67" in lines
    assert "item1.URL:https://ana.example" in lines
    assert "item1.X-ABLabel:blog" in lines
    assert "item2.TEL;TYPE=cell:+34 612 34 56 78" in lines
    assert "item2.X-ABLabel:mobile" in lines
    assert "item3.TEL:+49 30 1234567" in lines
    assert "item3.X-ABLabel:Büro\\, 2nd floor" in lines
    assert not any('"' in line.split(":", 1)[0] for line in lines)  # no 4.0 quoted TYPE lists
    names = {line.split(":", 1)[0].split(";")[0].split(".")[-1].upper() for line in lines if line}
    assert not names & set(VCARD4_ONLY)
    cards = list(vobject.readComponents(text, validate=True))
    assert [card.version.value for card in cards] == ["3.0", "3.0"]
    for card in cards:
        for line in card.contents.get("bday", []) + card.contents.get("x-abdate", []):
            assert RFC2426_DATE.match(line.value), line.value


def test_vcard4_dates_follow_rfc6350(alice_client, dates_and_labels):
    text = body(alice_client.get(reverse("portability:export"), {"format": "vcard"}))
    lines = unfolded(text)
    assert {"BDAY:--0314", "BDAY:19791201", "ANNIVERSARY:20040829", "ANNIVERSARY:--0602"} <= set(
        lines
    )
    cards = list(vobject.readComponents(text, validate=True))
    assert [card.version.value for card in cards] == ["4.0", "4.0"]
    for card in cards:
        for line in card.contents.get("bday", []) + card.contents.get("anniversary", []):
            assert RFC6350_DATE.match(line.value), line.value


@pytest.mark.parametrize("fmt", ["vcard", "vcard3"])
def test_a_year_less_birthday_and_labels_survive_export_then_import(
    alice_client, alice, bob, dates_and_labels, fmt, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    text = body(alice_client.get(reverse("portability:export"), {"format": fmt}))
    batch = imports.import_upload(
        owner=bob, upload=SimpleUploadedFile("mine.vcf", text.encode("utf-8"))
    )
    imports.import_preview(batch=batch)
    imports.import_run(batch=batch, now=timezone.now())
    ana = Contact.objects.get(owner=bob, name="Ana Lima")
    assert [(d.month, d.day, d.year) for d in ana.dates.filter(kind="birthday")] == [(3, 14, None)]
    bruno = Contact.objects.get(owner=bob, name="Bruno Sá")
    assert [(d.month, d.day, d.year) for d in bruno.dates.filter(kind="birthday")] == [
        (12, 1, 1979)
    ]
    if fmt == "vcard3":  # 3.0 keeps every label exactly as typed
        assert sorted(ana.methods.values_list("label", "value")) == sorted(
            ContactMethod.objects.filter(contact=dates_and_labels[0]).values_list("label", "value")
        )


def test_each_export_downloads_under_its_own_name(alice_client, alice, tmp_path):
    picked = ContactFactory(owner=alice, name="Ana Lima")
    names = {}
    for fmt in ("vcard", "vcard3", "csv", "google"):
        response = alice_client.get(reverse("portability:export"), {"format": fmt})
        names[fmt] = response["Content-Disposition"]
    assert names == {
        "vcard": 'attachment; filename="network-crm-contacts-vcard4.vcf"',
        "vcard3": 'attachment; filename="network-crm-contacts-vcard3.vcf"',
        "csv": 'attachment; filename="network-crm-contacts-spreadsheet.csv"',
        "google": 'attachment; filename="network-crm-contacts-google.csv"',
    }
    selection = {}
    for action in ("export_vcard", "export_vcard3", "export_csv", "export_google"):
        response = alice_client.post(
            reverse("portability:export_selection"),
            {"format": action.removeprefix("export_"), "ids": [picked.pk]},
        )
        selection[action] = response["Content-Disposition"]
        assert "Lima" in body(response)
    assert selection == {
        "export_vcard": 'attachment; filename="network-crm-selection-vcard4.vcf"',
        "export_vcard3": 'attachment; filename="network-crm-selection-vcard3.vcf"',
        "export_csv": 'attachment; filename="network-crm-selection-spreadsheet.csv"',
        "export_google": 'attachment; filename="network-crm-selection-google.csv"',
    }
    for fmt, name in [("vcf", "vcard4.vcf"), ("vcf3", "vcard3.vcf"), ("google", "google.csv")]:
        call_command(
            "export_contacts", "--user", alice.email, "--format", fmt, "--output", tmp_path
        )
        assert "Lima" in (tmp_path / f"network-crm-contacts-{name}").read_text()
    page = alice_client.get(reverse("contacts:list")).content.decode()
    assert "Everyone as CSV for spreadsheets" in page
    assert "Everyone as CSV for Google Contacts" in page


# --- Google Contacts CSV --------------------------------------------------------------------------


def test_google_csv_has_googles_columns_and_values_as_typed(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lima", company="=Acme", notes="-quiet")
    ContactMethod.objects.create(
        owner=alice, contact=ana, kind="phone", label="Mobile", value="+34 612 34 56 78"
    )
    ImportantDate.objects.create(owner=alice, contact=ana, kind="birthday", month=3, day=14)
    text = body(alice_client.get(reverse("portability:export"), {"format": "google"}))
    reader = csv.DictReader(io.StringIO(text))
    for column in (
        "First Name",
        "Middle Name",
        "Last Name",
        "Nickname",
        "Organization Name",
        "Organization Title",
        "Birthday",
        "Notes",
        "Labels",
        "E-mail 1 - Label",
        "E-mail 1 - Value",
        "Phone 1 - Label",
        "Phone 1 - Value",
        "Website 1 - Value",
        "Address 1 - City",
    ):
        assert column in reader.fieldnames
    (row,) = list(reader)
    assert (row["First Name"], row["Last Name"]) == ("Ana", "Lima")
    assert (row["Phone 1 - Label"], row["Phone 1 - Value"]) == ("Mobile", "+34 612 34 56 78")
    assert row["Birthday"] == "--03-14"
    assert (row["Organization Name"], row["Notes"]) == ("=Acme", "-quiet")  # not neutralised
    assert row["Labels"] == "* myContacts"


def test_google_csv_round_trips_through_our_importer(alice_client, alice, bob, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    friends = Circle.objects.create(owner=alice, name="Old friends", cadence_days=30)
    emile = ContactFactory(
        owner=alice,
        name="Émile de la Zola-Ørsted",
        nickname="Mimi",
        company="Éditions; Grasset, & Co",
        role="Writer",
        city="Paris",
        country="France",
        notes='Line one\nLine two, with "quotes"; and ::: colons',
        circle=friends,
    )
    for kind, label, value in [
        ("email", "work", "emile@example.com"),
        ("email", "", "mimi@example.org"),
        *[("phone", "mobile", f"+33 6 12 34 56 7{n}") for n in range(7)],
        ("link", "blog", "https://emile.example"),
    ]:
        ContactMethod.objects.create(
            owner=alice, contact=emile, kind=kind, label=label, value=value
        )
    ImportantDate.objects.create(owner=alice, contact=emile, kind="birthday", month=2, day=29)
    contact_interest_add(contact=emile, name="Jazz")
    contact_interest_add(contact=emile, name="Climbing")
    ana = ContactFactory(owner=alice, name="Ana")
    ImportantDate.objects.create(
        owner=alice, contact=ana, kind="birthday", month=12, day=1, year=1979
    )
    Circle.objects.create(owner=bob, name="Old friends", cadence_days=30)

    text = body(alice_client.get(reverse("portability:export"), {"format": "google"}))
    batch = imports.import_upload(
        owner=bob, upload=SimpleUploadedFile("google.csv", text.encode("utf-8"))
    )
    assert batch.kind == "google"
    imports.import_preview(batch=batch)
    imports.import_run(batch=batch, now=timezone.now())

    def details(contact):
        return {
            "fields": [
                getattr(contact, f)
                for f in ("name", "nickname", "company", "role", "city", "country", "notes")
            ],
            "methods": sorted((m.kind, m.label.lower(), m.value) for m in contact.methods.all()),
            "dates": [(d.kind, d.month, d.day, d.year) for d in contact.dates.all()],
            "interests": sorted(i.name for i in contact.interests.all()),
            "circle": contact.circle.name if contact.circle else None,
        }

    mine = {c.name: details(c) for c in Contact.objects.filter(owner=alice)}
    theirs = {c.name: details(c) for c in Contact.objects.filter(owner=bob)}
    assert theirs == mine


def test_the_lists_export_buttons_post_the_selection_or_every_match_to_the_export(
    alice_client, alice, bob
):
    ContactFactory(owner=alice, name="Lima Ortiz")
    ContactFactory(owner=alice, name="Lima Chen")
    ContactFactory(owner=alice, name="Oscar")
    ContactFactory(owner=bob, name="Lima Bob")
    page = alice_client.get(reverse("contacts:list")).content.decode()
    export = reverse("portability:export_selection")
    for fmt in ("vcard", "vcard3", "csv", "google"):
        assert f'formaction="{export}" name="format" value="{fmt}"' in page
    response = alice_client.post(export, {"format": "vcard", "all_matching": "on", "q": "lima"})
    text = body(response)
    assert "FN:Lima Chen" in text and "FN:Lima Ortiz" in text
    assert "Oscar" not in text and "Lima Bob" not in text
    nothing = alice_client.post(export, {"format": "vcard"}, follow=True)
    assert "Tick at least one person first." in nothing.content.decode()
