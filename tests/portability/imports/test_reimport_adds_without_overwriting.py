"""Re-importing cards for people already there: the preview says what each card adds, the
import adds it without overwriting anything typed, undo takes back exactly that, and a second
import of the same file adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from contacts.services import contact_interest_add
from portability import imports
from portability.models import ImportBatch
from tests.factories import ContactFactory
from tests.portability.views.test_import_pages import confirm, latest, page_text

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, name: str, raw: bytes | None = None):
    content = (DATA / name).read_bytes() if raw is None else raw
    return client.post(
        reverse("portability:import"), {"file": SimpleUploadedFile(name, content)}, follow=True
    )


@pytest.fixture
def helene(alice):
    """Hélène as Alice typed her: another spelling, her home email and a company of her own."""
    contact = ContactFactory(
        owner=alice, name="Hélène L.", company="Mon atelier", role="", nickname="", notes=""
    )
    ContactMethod.objects.create(
        owner=alice, contact=contact, kind="email", label="perso", value="helene.lefevre@example.fr"
    )
    return contact


def details(contact: Contact) -> dict:
    contact.refresh_from_db()
    return {
        "name": contact.name,
        "fields": {f: getattr(contact, f) for f in ("nickname", "company", "role", "city")},
        "methods": sorted((m.kind, m.label, m.value) for m in contact.methods.all()),
        "dates": [(d.kind, d.month, d.day, d.year) for d in contact.dates.all()],
    }


def test_the_preview_says_what_the_card_adds_and_what_it_leaves(alice_client, alice, helene):
    before = details(helene)
    text = page_text(upload(alice_client, "apple_v30.vcf"))
    assert (
        "2 cards in this file: 1 new, 1 already in your network (1 with new details to add)" in text
    )
    assert (
        "Hélène L. (the card says Hélène Lefèvre): adds email h.lefevre@atelier-lumiere.example, phone +33 6 12 34 56 78, "
        "phone +33 4 90 00 00 00, birthday 29 February, nickname “Léna”, "
        "role “Directrice artistique”, city “Arles”, country “France”, notes “Met at the "
    ) in text
    assert "Not changed: company (you have “Mon atelier”)" in text
    assert "Import 1 person and add details to 1" in text
    assert details(helene) == before  # a preview changes nothing


def test_the_import_adds_the_new_details_and_overwrites_nothing(alice_client, alice, helene, bob):
    bobs = ContactFactory(owner=bob, name="Bob's Hélène")
    ContactMethod.objects.create(
        owner=bob, contact=bobs, kind="email", value="helene.lefevre@example.fr"
    )
    upload(alice_client, "apple_v30.vcf")
    text = page_text(confirm(alice_client, latest(alice)))
    assert "1 person added, 1 already there (new details added to 1 of them)" in text
    assert details(helene) == {
        "name": "Hélène L.",
        "fields": {
            "nickname": "Léna",
            "company": "Mon atelier",  # typed by Alice: kept
            "role": "Directrice artistique",
            "city": "Arles",
        },
        "methods": [
            ("email", "Atelier", "h.lefevre@atelier-lumiere.example"),
            ("email", "perso", "helene.lefevre@example.fr"),
            ("phone", "Studio Arles", "+33 4 90 00 00 00"),
            ("phone", "cell", "+33 6 12 34 56 78"),
        ],
        "dates": [("birthday", 2, 29, None)],
    }
    assert helene.notes.startswith("Met at the Rencontres d'Arles")
    assert "directrice artistique" in helene.search_text  # found by what was added
    positions = list(helene.methods.filter(kind="email").values_list("value", "position"))
    assert positions == [("helene.lefevre@example.fr", 0), ("h.lefevre@atelier-lumiere.example", 1)]
    assert not ContactMethod.objects.filter(contact=bobs).exclude(value__startswith="helene")
    assert Contact.objects.filter(owner=alice).count() == 2


def test_importing_the_same_file_again_adds_nothing(alice_client, alice, helene):
    upload(alice_client, "apple_v30.vcf")
    confirm(alice_client, latest(alice))
    after_first = details(helene)
    rows = (ContactMethod.objects.count(), ImportantDate.objects.count(), Contact.objects.count())
    text = page_text(upload(alice_client, "apple_v30.vcf"))
    assert "0 new, 2 already in your network (skipped)" in text
    assert "Nothing new to import." in text
    assert "New details" not in text
    assert "Hélène L. · nothing new; not changed: company (you have “Mon atelier”)" in text
    confirm(alice_client, latest(alice))
    assert details(helene) == after_first
    assert rows == (
        ContactMethod.objects.count(),
        ImportantDate.objects.count(),
        Contact.objects.count(),
    )


def test_a_card_twice_in_one_file_adds_its_details_once(alice_client, alice, helene):
    card = (DATA / "apple_v30.vcf").read_bytes()
    text = page_text(upload(alice_client, "twice.vcf", card + card))
    assert "4 cards in this file: 1 new, 3 already in your network (1 with new details to add)" in (
        text
    )
    confirm(alice_client, latest(alice))
    assert len(details(helene)["methods"]) == 4


def test_undo_takes_back_exactly_what_was_added_unless_changed_since(alice_client, alice, helene):
    before = details(helene)
    upload(alice_client, "apple_v30.vcf")
    batch = latest(alice)
    confirm(alice_client, batch)
    # Since the import, Alice corrected the role and one number, and added an email herself.
    Contact.objects.filter(pk=helene.pk).update(role="Directrice")
    ContactMethod.objects.filter(contact=helene, value="+33 4 90 00 00 00").update(
        value="+33 4 90 00 00 01"
    )
    ContactMethod.objects.create(
        owner=alice, contact=helene, kind="email", value="lena@example.org"
    )

    response = alice_client.post(reverse("portability:import_undo", args=[batch.pk]), follow=True)
    text = page_text(response)
    assert "Import undone: 1 people removed, new details taken back from 1." in text
    assert "The details it added to people you already had were taken back" in text
    after = details(helene)
    assert after["fields"] == {**before["fields"], "role": "Directrice"}
    assert after["methods"] == sorted(
        [
            *before["methods"],
            ("phone", "Studio Arles", "+33 4 90 00 00 01"),
            ("email", "", "lena@example.org"),
        ]
    )
    assert after["dates"] == []
    helene.refresh_from_db()
    assert helene.notes == "" and "arles" not in helene.search_text
    assert not Contact.objects.filter(owner=alice, name="Siobhán O'Brien").exists()
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.UNDONE


def reimport_queries(owner, count: int) -> int:
    """Give ``owner`` ``count`` people with an email each, then re-import cards adding a phone,
    a birthday and a company to every one; the queries the preview and the import ran."""
    for n in range(count):
        contact = ContactFactory(owner=owner, name=f"Person {n}", company="")
        ContactMethod.objects.create(
            owner=owner, contact=contact, kind="email", value=f"p{n}@example.com"
        )
    text = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:p{n}@example.com\r\n"
        f"TEL:+1 555 {n:07d}\r\nBDAY:1980-01-{1 + n % 28:02d}\r\nORG:Acme\r\nEND:VCARD\r\n"
        for n in range(count)
    )
    batch = ImportBatch.objects.create(owner=owner, kind="vcard", filename="again.vcf", text=text)
    with CaptureQueriesContext(connection) as queries:
        assert imports.import_preview(batch=batch)["updating"] == count
        batch = imports.import_run(batch=batch, now=timezone.now())
    assert len(batch.summary["merged"]) == count
    assert ContactMethod.objects.filter(owner=owner, kind="phone").count() == count
    assert Contact.objects.filter(owner=owner, company="Acme").count() == count
    return len(queries)


def test_a_reimport_costs_queries_per_batch_not_per_card(alice, bob, charlie):
    one = reimport_queries(alice, 100)
    two = reimport_queries(bob, 600)
    three = reimport_queries(charlie, 1200)
    assert two - one == three - two < 15


def test_new_interests_are_added_and_taken_back(alice_client, alice, helene):
    contact_interest_add(contact=helene, name="Photo")
    Circle.objects.create(owner=alice, name="Close friends", cadence_days=14)
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hélène Lefèvre\r\nEMAIL:helene.lefevre@example.fr\r\n"
        "CATEGORIES:photo,Cinéma,Close friends\r\nEND:VCARD\r\n"
    )
    text = page_text(upload(alice_client, "one.vcf", card.encode()))
    assert "Hélène L. (the card says Hélène Lefèvre): adds interest “Cinéma”" in text
    batch = latest(alice)
    confirm(alice_client, batch)
    assert sorted(helene.interests.values_list("name", flat=True)) == ["Cinéma", "Photo"]
    helene.refresh_from_db()
    assert helene.circle is None  # a label naming a circle doesn't move someone you have
    alice_client.post(reverse("portability:import_undo", args=[batch.pk]))
    assert list(helene.interests.values_list("name", flat=True)) == ["Photo"]
    assert list(Interest.objects.filter(owner=alice).values_list("name", flat=True)) == ["Photo"]


@pytest.mark.parametrize("export_format", ["vcard", "vcard3", "google"])
def test_re_importing_your_own_export_adds_nothing_and_keeps_how_you_met(
    alice_client, alice, bob, client, export_format
):
    # "How we met" has no vCard property: the export writes it as the note's last paragraph (or
    # a Google custom field), and the importer reads it back there, not into the notes.
    ContactFactory(
        owner=alice, name="Ines Duarte", notes="Likes tea.", how_we_met="At Ana's wedding."
    )
    ContactFactory(owner=alice, name="Tom Berg", notes="", how_we_met="Climbing gym.")
    exported = alice_client.get(reverse("portability:export"), {"format": export_format})
    raw = b"".join(exported.streaming_content) if exported.streaming else exported.content
    name = "mine.csv" if export_format == "google" else "mine.vcf"

    page = upload(alice_client, name, raw)
    assert "with new details to add" not in page_text(page)
    assert imports.import_preview(batch=latest(alice)).get("updating", 0) == 0

    client.force_login(bob)
    upload(client, name, raw)
    confirm(client, latest(bob))
    ines = Contact.objects.get(owner=bob, name="Ines Duarte")
    tom = Contact.objects.get(owner=bob, name="Tom Berg")
    assert (ines.notes, ines.how_we_met) == ("Likes tea.", "At Ana's wedding.")
    assert (tom.notes, tom.how_we_met) == ("", "Climbing gym.")
