"""Importing through the web: upload, preview, confirm, progress, undo; and what must not happen
(duplicates, another user's import, a 500 on a hostile file)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import Contact, ContactMethod, ImportantDate, Interest
from interactions.models import Interaction
from portability import imports, tasks
from portability.models import ImportBatch
from tests.conftest import FROZEN_NOW
from tests.factories import ContactFactory, InteractionFactory, InterestFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"
TODAY = FROZEN_NOW.date()
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP438AAAAQBAYDFKhhdAAAAAElFTkSuQmCC"
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, name: str, raw: bytes | None = None):
    """Upload a sample (or ``raw`` bytes under that name) and follow to the preview."""
    content = (DATA / name).read_bytes() if raw is None else raw
    return client.post(
        reverse("portability:import"), {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def confirm(client, batch: ImportBatch):
    return client.post(reverse("portability:import_confirm", args=[batch.pk]), follow=True)


def latest(owner) -> ImportBatch:
    return ImportBatch.objects.filter(owner=owner).latest("pk")


def page_text(response) -> str:
    return text_of(response.content.decode())


def text_of(html: str) -> str:
    """The page as a reader sees it: no tags, entities decoded, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    html = re.sub(r"</?(strong|em|b|i|span|a|code)\b[^>]*>", "", html)  # inline: no gap
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def methods(contact: Contact) -> list[tuple[str, str, str]]:
    return [(m.kind, m.label, m.value) for m in contact.methods.order_by("kind", "position")]


def birthday(contact: Contact) -> tuple[int, int, int | None]:
    date = contact.dates.get(kind="birthday")
    return date.month, date.day, date.year


def interest_names(contact: Contact) -> list[str]:
    return sorted(contact.interests.values_list("name", flat=True))


# --- Preview --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "summary", "problems"),
    [
        ("android_v21.vcf", "2 cards in this file: 2 new, 0 already", []),
        ("apple_v30.vcf", "2 cards in this file: 2 new, 0 already", []),
        ("rfc6350_v40.vcf", "3 cards in this file: 3 new, 0 already", []),
        (
            "broken.vcf",
            "4 cards in this file: 2 new, 0 already in your network (skipped), "
            "2 that can't be read (skipped).",
            [
                "Card 2: this card has no END:VCARD",
                "Card 3: this card can't be read (ParseError)",
            ],
        ),
        (
            "google_contacts.csv",
            "3 rows in this file: 2 new, 0 already in your network (skipped), "
            "1 that can't be read (skipped).",
            ["Row 4: this row has no name"],
        ),
        ("google_contacts_2024.csv", "2 rows in this file: 2 new, 0 already", []),
        ("linkedin_connections.csv", "3 rows in this file: 3 new, 0 already", []),
    ],
)
def test_upload_shows_a_preview_and_imports_nothing(alice_client, alice, name, summary, problems):
    response = upload(alice_client, name)
    batch = latest(alice)
    assert response.redirect_chain == [(reverse("portability:import_detail", args=[batch.pk]), 302)]
    text = page_text(response)
    assert summary in text
    for problem in problems:
        assert problem in text
    assert ("Can't be read" in text) == bool(problems)
    new = int(re.search(r"(\d+) new", summary).group(1))
    assert f"Import {new} people" in text
    assert batch.state == ImportBatch.State.UPLOADED
    assert batch.filename == name
    assert Contact.objects.count() == 0
    assert ContactMethod.objects.count() == 0


def test_preview_lists_names_and_emails(alice_client):
    text = page_text(upload(alice_client, "rfc6350_v40.vcf"))
    assert "Мария Иванова · maria.ivanova@example.ru" in text
    assert "佐藤 花子 · hanako.sato@example.jp" in text
    assert "Zoë 🎉 · zoe@example.org" in text


def test_import_page_lists_only_my_recent_imports(client, alice, bob):
    client.force_login(bob)
    upload(client, "android_v21.vcf")
    client.force_login(alice)
    upload(client, "linkedin_connections.csv")
    text = page_text(client.get(reverse("portability:import")))
    assert "linkedin_connections.csv — uploaded" in text
    assert "android_v21.vcf" not in text


def test_no_file_chosen(alice_client):
    response = alice_client.post(reverse("portability:import"), follow=True)
    assert "Choose a file to import first." in page_text(response)
    assert ImportBatch.objects.count() == 0


# --- Confirm --------------------------------------------------------------------------------------


def test_confirm_imports_vcard40_people_for_alice(alice_client, alice, bob, frozen_now):
    jazz = InterestFactory(owner=alice, name="JAZZ")  # reused, not doubled, whatever its case
    InterestFactory(owner=bob, name="Climbing")
    upload(alice_client, "rfc6350_v40.vcf")
    batch = latest(alice)
    response = confirm(alice_client, batch)
    text = page_text(response)
    assert "Imported 3 people." in text
    assert "3 people added, 0 already there, 0 skipped as unreadable." in text
    contacts = {c.name: c for c in Contact.objects.all()}
    assert sorted(contacts) == sorted(["Мария Иванова", "佐藤 花子", "Zoë 🎉"])
    for contact in contacts.values():
        assert contact.owner == alice
        assert list(contact.import_batches.all()) == [batch]
        assert contact.added_on == TODAY
        assert contact.next_reach_out_on is None  # no circle, no cadence: no nudges
        assert contact.last_interaction_on is None
    maria, hanako, zoe = (contacts[n] for n in ["Мария Иванова", "佐藤 花子", "Zoë 🎉"])
    assert maria.uid == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert methods(hanako) == [
        ("email", "home", "hanako.sato@example.jp"),
        ("phone", "cell", "+81 90-1234-5678"),
    ]
    assert (birthday(maria), birthday(hanako), birthday(zoe)) == (
        (3, 15, None),
        (7, 4, 1990),
        (12, 31, None),
    )
    assert interest_names(maria) == ["Climbing", "JAZZ", "Lisbon"]
    assert interest_names(hanako) == ["JAZZ", "Tea ceremony", "書道"]
    assert set(jazz.contacts.all()) == {maria, hanako, zoe}
    assert Interest.objects.filter(owner=alice).count() == 5
    assert zoe.nickname == "Zo"
    assert zoe.notes == "Party planner 🎈 — knows everyone."
    assert ContactMethod.objects.exclude(owner=alice).count() == 0
    assert ImportantDate.objects.exclude(owner=alice).count() == 0
    batch.refresh_from_db()
    assert (batch.state, batch.processed, batch.total) == ("done", 3, 3)
    assert batch.finished_at == FROZEN_NOW
    # The people are on alice's list, and their page shows what was imported.
    listing = page_text(alice_client.get(reverse("contacts:list")))
    assert "Мария Иванова" in listing and "Zoë 🎉" in listing
    detail = page_text(alice_client.get(maria.get_absolute_url()))
    assert "maria.ivanova@example.ru" in detail
    assert "Lisbon" in detail


def test_confirm_imports_apple_cards_with_labels_and_omitted_year(alice_client, alice, frozen_now):
    upload(alice_client, "apple_v30.vcf")
    confirm(alice_client, latest(alice))
    helene = Contact.objects.get(name="Hélène Lefèvre")
    assert (helene.nickname, helene.company, helene.role) == (
        "Léna",
        "Atelier Lumière",
        "Directrice artistique",
    )
    assert (helene.city, helene.country) == ("Arles", "France")
    assert [(k, label.casefold(), v) for k, label, v in methods(helene)] == [
        ("email", "home", "helene.lefevre@example.fr"),
        ("email", "atelier", "h.lefevre@atelier-lumiere.example"),
        ("phone", "cell", "+33 6 12 34 56 78"),
        ("phone", "studio arles", "+33 4 90 00 00 00"),
    ]
    assert birthday(helene) == (2, 29, None)
    assert helene.notes.startswith("Met at the Rencontres d'Arles photo festival, July 2019.")
    assert "\nChildren: Léo and Inès." in helene.notes
    assert helene.added_on == TODAY


def test_confirm_keeps_the_vcard_photo_shrunk_and_private(alice_client, alice):
    upload(alice_client, "apple_v30.vcf")
    confirm(alice_client, latest(alice))
    helene = Contact.objects.get(name="Hélène Lefèvre")
    assert helene.photo.name.startswith(f"photos/{alice.pk}/")
    assert helene.photo.name.endswith(".jpg")
    served = alice_client.get(reverse("contacts:photo", args=[helene.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"\xff\xd8")  # re-encoded as JPEG
    assert not Contact.objects.get(name="Siobhán O'Brien").photo


def test_confirm_imports_google_csv(alice_client, alice, frozen_now):
    upload(alice_client, "google_contacts.csv")
    text = page_text(confirm(alice_client, latest(alice)))
    assert "2 people added, 0 already there, 1 skipped as unreadable." in text
    jose = Contact.objects.get(owner=alice, name="José Álvarez")
    assert (jose.nickname, jose.company, jose.role, jose.city, jose.country) == (
        "Pepe",
        "Acme Ibérica",
        "CTO",
        "Madrid",
        "Spain",
    )
    assert jose.notes == "Met at PyCon ES 2019.\nLoves paella, hates cilantro."
    assert methods(jose) == [
        ("email", "home", "jose.alvarez@example.es"),
        ("email", "home", "pepe@example.es"),
        ("email", "work", "j.alvarez@acme.example"),
        ("link", "profile", "https://jose.example.es"),
        ("phone", "mobile", "+34 612 34 56 78"),
        ("phone", "work", "+34 91 123 45 67"),
    ]
    assert birthday(jose) == (4, 12, 1985)
    assert interest_names(jose) == ["Climbing", "Friends"]
    assert birthday(Contact.objects.get(name="Ngozi Adeyemi")) == (6, 21, None)
    assert not Interest.objects.filter(name__icontains="mycontacts").exists()


def test_linkedin_connected_on_becomes_how_we_met(alice_client, alice, frozen_now):
    upload(alice_client, "linkedin_connections.csv")
    confirm(alice_client, latest(alice))
    priya = Contact.objects.get(owner=alice, name="Priya Raman")
    assert priya.how_we_met == "Connected on LinkedIn on 12 March 2021."
    assert (priya.company, priya.role) == ("Acme Robotics", "Senior Engineer")
    assert methods(priya) == [
        ("link", "linkedin", "https://www.linkedin.com/in/priya-raman-0a1b2c")
    ]
    sebastien = Contact.objects.get(owner=alice, name="Sébastien Côté")
    assert sebastien.how_we_met == "Connected on LinkedIn on 03 January 2019."
    assert ("email", "", "sebastien.cote@example.ca") in methods(sebastien)
    assert "Connected on LinkedIn on 12 March 2021." in page_text(
        alice_client.get(priya.get_absolute_url())
    )


def test_added_on_is_the_owners_local_date(alice_client, alice):
    alice.settings.time_zone = "Pacific/Auckland"
    alice.settings.save()
    # 20:00 UTC on 28 November is 09:00 on 29 November in Auckland.
    with time_machine.travel(dt.datetime(2026, 11, 28, 20, 0, tzinfo=dt.UTC), tick=False):
        upload(alice_client, "android_v21.vcf")
        confirm(alice_client, latest(alice))
    assert set(Contact.objects.values_list("added_on", flat=True)) == {dt.date(2026, 11, 29)}


# --- No duplicates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("android_v21.vcf", 2),
        ("apple_v30.vcf", 2),
        ("rfc6350_v40.vcf", 3),
        ("broken.vcf", 2),
        ("google_contacts.csv", 2),
        ("google_contacts_2024.csv", 2),
        ("linkedin_connections.csv", 3),
    ],
)
def test_importing_the_same_file_twice_adds_nobody(alice_client, alice, name, count):
    upload(alice_client, name)
    confirm(alice_client, latest(alice))
    assert Contact.objects.count() == count
    methods_before = ContactMethod.objects.count()
    text = page_text(upload(alice_client, name))
    assert f"0 new, {count} already in your network (skipped)" in text
    assert "Nothing new to import." in text
    again = latest(alice)
    assert "0 people added" in page_text(confirm(alice_client, again))
    assert Contact.objects.count() == count
    assert ContactMethod.objects.count() == methods_before


@pytest.mark.parametrize(
    ("kind", "value", "skipped"),
    [
        ("email", "HELENE.Lefevre@Example.FR", "Hélène Lefèvre"),
        ("phone", "0612345678", "Hélène Lefèvre"),  # the card says +33 6 12 34 56 78
        ("phone", "+353 (0)87 123-4567", "Siobhán O'Brien"),  # the card says +353 87 123 4567
    ],
)
def test_a_card_matching_an_existing_contact_adds_nobody(alice_client, alice, kind, value, skipped):
    existing = ContactFactory(owner=alice, name="Someone I already have")
    ContactMethod.objects.create(owner=alice, contact=existing, kind=kind, value=value)
    text = page_text(upload(alice_client, "apple_v30.vcf"))
    # The card's new details go to the person it matched (tests/portability/imports/test_reimport_adds_without_overwriting.py).
    assert "1 new, 1 already in your network (1 with new details to add)" in text
    assert "New details for people you have Only what's missing is added" in text
    assert f"Someone I already have (the card says {skipped}): adds" in text
    confirm(alice_client, latest(alice))
    names = set(Contact.objects.filter(owner=alice).values_list("name", flat=True))
    assert skipped not in names
    assert len(names) == 2 and "Someone I already have" in names


def test_another_users_contacts_do_not_count_as_matches(alice_client, alice, bob):
    theirs = ContactFactory(owner=bob, name="Bob's Hélène")
    ContactMethod.objects.create(
        owner=bob, contact=theirs, kind="email", value="helene.lefevre@example.fr"
    )
    assert "2 new, 0 already" in page_text(upload(alice_client, "apple_v30.vcf"))


def test_cards_repeated_inside_one_file_are_imported_once(alice_client, alice):
    card = (DATA / "rfc6350_v40.vcf").read_bytes()
    text = page_text(upload(alice_client, "twice.vcf", card + card))
    assert "6 cards in this file: 3 new, 3 already in your network" in text
    confirm(alice_client, latest(alice))
    assert Contact.objects.count() == 3


# --- Undo -----------------------------------------------------------------------------------------


def test_undo_removes_exactly_the_imported_people(alice_client, alice, bob, frozen_now):
    mine = ContactFactory(owner=alice, name="Old Friend")
    ContactMethod.objects.create(owner=alice, contact=mine, kind="email", value="old@example.com")
    ContactFactory(owner=bob, name="Bob's Friend")
    upload(alice_client, "apple_v30.vcf")
    confirm(alice_client, latest(alice))
    upload(alice_client, "rfc6350_v40.vcf")
    batch = latest(alice)
    confirm(alice_client, batch)
    assert Contact.objects.filter(owner=alice).count() == 6

    response = alice_client.post(reverse("portability:import_undo", args=[batch.pk]), follow=True)
    text = page_text(response)
    assert "Import undone: 3 people removed." in text
    assert "The people from this import were removed." in text
    assert sorted(Contact.objects.values_list("name", flat=True)) == sorted(
        ["Old Friend", "Bob's Friend", "Hélène Lefèvre", "Siobhán O'Brien"]
    )
    assert not ContactMethod.objects.filter(value__endswith=".ru").exists()
    assert not ImportantDate.objects.filter(month=3, day=15).exists()
    assert ContactMethod.objects.filter(contact=mine).exists()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.UNDONE

    again = alice_client.post(reverse("portability:import_undo", args=[batch.pk]), follow=True)
    assert "Only a finished (or failed) import can be undone." in page_text(again)
    assert Contact.objects.count() == 4


def test_undo_also_removes_interactions_left_with_nobody(alice_client, alice, frozen_now):
    upload(alice_client, "android_v21.vcf")
    batch = latest(alice)
    confirm(alice_client, batch)
    juergen = Contact.objects.get(name="Jürgen Müller")
    coffee = InteractionFactory(owner=alice, contacts=[juergen])
    alice_client.post(reverse("portability:import_undo", args=[batch.pk]))
    assert not Contact.objects.filter(pk=juergen.pk).exists()
    assert not Interaction.objects.filter(pk=coffee.pk).exists()


def test_undo_removes_the_imported_photo_files(
    alice_client, alice, django_capture_on_commit_callbacks
):
    upload(alice_client, "apple_v30.vcf")
    batch = latest(alice)
    confirm(alice_client, batch)
    path = Path(Contact.objects.get(name="Hélène Lefèvre").photo.path)
    assert path.exists()
    # Files are removed once the deletion is committed (never for a rolled-back one).
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("portability:import_undo", args=[batch.pk]))
    assert not path.exists()


def test_an_import_runs_only_once(alice_client, alice):
    upload(alice_client, "android_v21.vcf")
    batch = latest(alice)
    confirm(alice_client, batch)
    response = confirm(alice_client, batch)
    assert "This import has already run." in page_text(response)
    assert Contact.objects.count() == 2


# --- Refusals -------------------------------------------------------------------------------------


REFUSED = "read vCard files (.vcf) and CSV files with a header row"


@pytest.mark.parametrize(("name", "raw"), [("empty.vcf", b""), ("blank.csv", b"\r\n\r\n  \r\n")])
def test_a_file_with_nothing_to_read_gets_a_clear_message(alice_client, name, raw):
    response = upload(alice_client, name, raw)
    assert response.redirect_chain == [(reverse("portability:import"), 302)]
    assert REFUSED in page_text(response)
    assert ImportBatch.objects.count() == 0


def xlsx() -> bytes:
    """The start of what Excel writes: a zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + "<row/>" * 50 + "</worksheet>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("contacts.xlsx", xlsx()),
        ("photo.png", PNG),
    ],
)
def test_a_binary_file_gets_a_clear_message(alice_client, name, raw):
    response = upload(alice_client, name, raw)
    assert response.redirect_chain == [(reverse("portability:import"), 302)]
    assert REFUSED in page_text(response)
    assert ImportBatch.objects.count() == 0


def test_a_csv_of_another_shape_asks_which_column_is_what(alice_client, alice):
    raw = b"Nom,Courriel,Portable\r\nL\xc3\xa9a Dupont,lea@example.fr,06 11 22 33 44\r\n"
    text = page_text(upload(alice_client, "carnet.csv", raw))
    assert "Which column is what?" in text
    assert latest(alice).kind == "csv"
    assert "Something went wrong" not in text


def padded_vcard(size: int) -> bytes:
    head = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Padded\r\nNOTE:"
    tail = b"\r\nEND:VCARD\r\n"
    return head + b"x" * (size - len(head) - len(tail)) + tail


def test_upload_at_the_limit_is_accepted(alice_client, alice, settings):
    settings.IMPORT_MAX_BYTES = 2**20
    upload(alice_client, "big.vcf", padded_vcard(2**20))
    assert latest(alice).total == 1


@pytest.mark.parametrize(
    ("size", "message"),
    [
        # Just over: refused by the size of the uploaded file.
        (2**20 + 1, "That file is 1.0 MB; the limit is 1 MB."),
        # Far over: refused by the request's length before the file is read.
        (3 * 2**20, "That file is too large; the limit is 1 MB."),
    ],
)
def test_oversized_upload_is_refused_and_not_stored(alice_client, settings, size, message):
    settings.IMPORT_MAX_BYTES = 2**20
    response = upload(alice_client, "big.vcf", padded_vcard(size))
    assert response.redirect_chain == [(reverse("portability:import"), 302)]
    assert message in page_text(response)
    assert ImportBatch.objects.count() == 0
    assert Contact.objects.count() == 0


# --- Hostile text ---------------------------------------------------------------------------------

HOSTILE_VCF = (DATA / "rfc6350_v40.vcf").read_bytes() + (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\n"
    b"FN:<script>alert(1)</script>Mal\x00lory\r\n"
    b"NOTE:<script>alert(2)</script> nul\x00 here\r\n"
    b"EMAIL;TYPE=<b>:mallory@example.com\r\n"
    b"CATEGORIES:<img src=x onerror=alert(3)>\r\n"
    b"END:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\n"
    b"FN:Lone \xed\xa0\x80 Surrogate\r\n"
    b"NOTE:half a pair \xed\xb0\x80 and a NUL \x00\r\n"
    b"END:VCARD\r\n"
)
HOSTILE_CSV = (
    b"Name,Given Name,Family Name,Notes,Group Membership,E-mail 1 - Type,E-mail 1 - Value\r\n"
    b'"<script>alert(1)</script>\x00",,,"<script>alert(2)</script>\x00",'
    b"* myContacts ::: <i>x</i>,<b>home</b>,csv@example.com\r\n"
)


def stored_text() -> str:
    rows = list(Contact.objects.values_list("name", "notes", "search_text", "sort_name"))
    rows += list(ContactMethod.objects.values_list("label", "value", "folded_value"))
    rows += list(Interest.objects.values_list("name", "folded_name"))
    rows += list(ImportBatch.objects.values_list("text", "filename"))
    return "\n".join(str(value) for row in rows for value in row)


@pytest.mark.parametrize(("name", "raw"), [("evil.vcf", HOSTILE_VCF), ("evil.csv", HOSTILE_CSV)])
def test_hostile_text_is_stored_inert(alice_client, alice, name, raw):
    preview = upload(alice_client, name, raw)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    response = confirm(alice_client, latest(alice))
    assert response.status_code == 200
    stored = stored_text()
    assert "\x00" not in stored
    assert not re.search("[\ud800-\udfff]", stored)
    stored.encode("utf-8")  # strict: nothing PostgreSQL would refuse
    evil = Contact.objects.get(name__startswith="<script>")
    assert evil.name == (
        "<script>alert(1)</script>Mallory" if name.endswith(".vcf") else "<script>alert(1)</script>"
    )
    assert evil.notes.startswith("<script>alert(2)</script>")
    for contact in Contact.objects.all():
        page = alice_client.get(contact.get_absolute_url())
        assert page.status_code == 200
        body = page.content.decode()
        assert "<script>alert(" not in body
        assert "<img src=x" not in body
        assert "<b>" not in body and "<i>x" not in body
    assert (
        "&lt;script&gt;alert(2)&lt;/script&gt;"
        in alice_client.get(evil.get_absolute_url()).content.decode()
    )


def test_hostile_file_name_is_escaped(alice_client, alice):
    response = upload(alice_client, "<img src=x onerror=alert(1)>.vcf", HOSTILE_VCF)
    assert response.status_code == 200
    assert "<img src=x onerror" not in response.content.decode()
    assert latest(alice).filename == "<img src=x onerror=alert(1)>.vcf"


def test_broken_utf16_file_is_not_a_500(alice_client, alice):
    raw = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë".encode("utf-16")
        + b"\x00\xd8"
        + "\r\nEND:VCARD\r\n".encode("utf-16-le")
    )
    response = upload(alice_client, "outlook.vcf", raw)
    assert response.status_code == 200


def test_a_file_full_of_control_bytes_gets_a_clear_message(alice_client):
    raw = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + b"\x00\x01\x02" * 200 + b"\r\nEND:VCARD\r\n"
    response = upload(alice_client, "weird.vcf", raw)
    assert response.redirect_chain == [(reverse("portability:import"), 302)]
    assert REFUSED in page_text(response)
    assert ImportBatch.objects.count() == 0


def test_a_huge_csv_cell_is_not_a_500(alice_client, alice):
    header, _ = (DATA / "google_contacts.csv").read_bytes().split(b"\r\n", 1)
    row = b'Long Note,Long,,Note,,,,,,,,,,,,,,,,,,,,,,"' + b"blah " * 30_000 + b'"\r\n'
    response = upload(alice_client, "google.csv", header + b"\r\n" + row)
    assert response.status_code == 200


# --- Another user's import ------------------------------------------------------------------------


def test_bob_cannot_see_confirm_or_undo_alices_import(bob_client, alice, bob, frozen_now):
    batch = imports.import_upload(
        owner=alice,
        upload=SimpleUploadedFile("mine.vcf", (DATA / "rfc6350_v40.vcf").read_bytes()),
    )
    imports.import_preview(batch=batch)
    detail = reverse("portability:import_detail", args=[batch.pk])
    assert bob_client.get(detail).status_code == 404
    assert bob_client.get(detail, headers={"HX-Request": "true"}).status_code == 404
    assert (
        bob_client.post(reverse("portability:import_confirm", args=[batch.pk])).status_code == 404
    )
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.UPLOADED
    assert Contact.objects.count() == 0
    assert "mine.vcf" not in page_text(bob_client.get(reverse("portability:import")))

    imports.import_run(batch=batch, now=FROZEN_NOW)
    assert bob_client.post(reverse("portability:import_undo", args=[batch.pk])).status_code == 404
    assert Contact.objects.filter(owner=alice).count() == 3
    assert Contact.objects.filter(owner=bob).count() == 0


# --- Big files: a worker, with progress -----------------------------------------------------------


def many_vcards(count: int) -> bytes:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Großer Import {n}\r\n"
        f"EMAIL;TYPE=HOME:big{n}@example.com\r\nTEL;TYPE=CELL:+49 30 {n:07d}\r\n"
        "CATEGORIES:Bulk\r\nEND:VCARD\r\n"
        for n in range(count)
    ).encode()


@pytest.fixture
def big_batch(alice_client, alice, settings, tmp_path):
    settings.IMPORT_SYNC_LIMIT = 1000
    path = tmp_path / "everyone.vcf"
    path.write_bytes(many_vcards(3000))
    text = page_text(upload(alice_client, path.name, path.read_bytes()))
    assert "3000 cards in this file: 3000 new" in text
    return latest(alice)


def status_fragment(client, batch: ImportBatch) -> str:
    response = client.get(
        reverse("portability:import_detail", args=[batch.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_big_import_runs_in_a_worker_with_progress(
    alice_client, alice, big_batch, django_capture_on_commit_callbacks, monkeypatch, frozen_now
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice_client.post(reverse("portability:import_confirm", args=[big_batch.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert callbacks[0].func == tasks.run_import.delay
    assert callbacks[0].args == (big_batch.pk,)
    assert Contact.objects.count() == 0  # nothing before the worker runs

    # Look at the page between batches, as the browser's polling would.
    seen = []
    create = imports._create

    def create_and_look(batch, cards, interests, today):
        row = ImportBatch.objects.get(pk=batch.pk)
        seen.append((row.state, row.processed, status_fragment(alice_client, batch)))
        return create(batch, cards, interests, today)

    monkeypatch.setattr(imports, "_create", create_and_look)
    assert tasks.run_import(big_batch.pk) == "done"

    assert [processed for _, processed, _ in seen] == [0, 500, 1000, 1500, 2000, 2500, 3000]
    state, _, fragment = seen[3]
    assert state == "importing"
    assert fragment.lstrip().startswith('<section class="card" id="import-status"')
    assert "<html" not in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert 'value="50"' in fragment
    assert "1500 of 3000 done (50%)." in text_of(fragment)

    big_batch.refresh_from_db()
    assert big_batch.state == ImportBatch.State.DONE
    assert big_batch.processed == big_batch.total == 3000
    assert big_batch.summary["result"] == {"created": 3000, "skipped": 0, "errors": 0}
    assert Contact.objects.filter(owner=alice, import_batches=big_batch).count() == 3000
    assert ContactMethod.objects.filter(owner=alice).count() == 6000
    assert Interest.objects.get(owner=alice, name="Bulk").contacts.count() == 3000
    final = status_fragment(alice_client, big_batch)
    assert "hx-trigger" not in final
    assert "3000 people added, 0 already there, 0 skipped as unreadable." in text_of(final)

    # A second delivery of the same task (acks_late, a retry) imports nothing twice.
    monkeypatch.setattr(imports, "_create", create)
    assert tasks.run_import(big_batch.pk) == "done"
    assert Contact.objects.count() == 3000


def test_after_confirming_a_big_file_the_page_polls(alice_client, big_batch):
    response = alice_client.post(
        reverse("portability:import_confirm", args=[big_batch.pk]), follow=True
    )
    assert response.status_code == 200
    fragment = status_fragment(alice_client, big_batch)
    assert 'hx-trigger="every 1s"' in fragment
    assert "Import 3000 people" not in page_text(response)
