"""Reading other apps' contact files (portability.formats) and the import service's cost
(portability.imports). The sample files in tests/portability/data/ are small hand-written copies of what
Android, Apple Contacts, RFC 6350 tools, Google Contacts and LinkedIn really export."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact, ContactMethod, ImportantDate
from portability import imports
from portability.formats.common import ParsedContact, ParseError, decode_upload, parse_month_day
from portability.formats.csv import detect_csv, parse_google_csv, parse_linkedin_csv
from portability.formats.vcard import parse_vcard_text, split_vcards
from portability.models import ImportBatch

DATA = Path(__file__).resolve().parents[1] / "data"
# The 1x1 PNG inside apple_v30.vcf (base64, folded over two lines there).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP438AAAAQBAYDFKhhdAAAAAElFTkSuQmCC"
)


def read(name: str) -> str:
    """The sample's text as an upload is read: bytes through decode_upload."""
    return decode_upload((DATA / name).read_bytes())


def parsed(name: str) -> tuple[dict[str, ParsedContact], list[ParseError]]:
    text = read(name)
    if name.endswith(".vcf"):
        items = list(parse_vcard_text(text))
    elif detect_csv(text) == "linkedin":
        items = list(parse_linkedin_csv(text))
    else:
        items = list(parse_google_csv(text))
    contacts = {item.name: item for item in items if isinstance(item, ParsedContact)}
    errors = [item for item in items if isinstance(item, ParseError)]
    return contacts, errors


# --- vCard 2.1 (Android) --------------------------------------------------------------------------


def test_vcard21_quoted_printable_utf8_names_keep_their_accents():
    contacts, errors = parsed("android_v21.vcf")
    assert errors == []
    assert list(contacts) == ["Jürgen Müller", "Anaïs François"]
    juergen = contacts["Jürgen Müller"]
    assert juergen.company == "Bäckerei Müller"
    assert juergen.role == "Meister"
    assert [v for _, v in juergen.emails] == ["juergen.mueller@example.de"]
    assert [v for _, v in juergen.phones] == ["+49 151 23456789", "+49 30 1234567"]
    assert juergen.birthday == (8, 14, 1975)
    assert contacts["Anaïs François"].birthday == (11, 24, None)  # BDAY:--11-24


def test_vcard21_quoted_printable_soft_line_break_is_joined():
    contacts, _ = parsed("android_v21.vcf")
    assert contacts["Jürgen Müller"].notes == (
        "Rencontré au café de la gare. Très sympa. Parle de son vélo électrique."
    )


def test_vcard21_note_with_commas_is_kept_whole():
    contacts, _ = parsed("android_v21.vcf")
    assert contacts["Anaïs François"].notes == "Collègue de Jürgen, rencontrée à Lyon, 2018."


def test_vcard21_bare_type_parameters_become_labels():
    contacts, _ = parsed("android_v21.vcf")
    assert contacts["Jürgen Müller"].phones == [
        ("cell", "+49 151 23456789"),
        ("home", "+49 30 1234567"),
    ]
    assert contacts["Jürgen Müller"].emails == [("home", "juergen.mueller@example.de")]
    assert contacts["Anaïs François"].emails == [("work", "anais.francois@example.fr")]


# --- vCard 3.0 (Apple Contacts) -------------------------------------------------------------------


def test_apple_vcard30_every_detail():
    contacts, errors = parsed("apple_v30.vcf")
    assert errors == []
    assert list(contacts) == ["Hélène Lefèvre", "Siobhán O'Brien"]
    helene = contacts["Hélène Lefèvre"]
    assert helene.nickname == "Léna"
    assert helene.company == "Atelier Lumière"  # ORG:Atelier Lumière;Photographie
    assert helene.role == "Directrice artistique"
    assert (helene.city, helene.country) == ("Arles", "France")
    # item1.X-ABLabel:_$!<Home>!$_ is Apple's built-in "home"; item2's "Atelier" is custom.
    assert [(label.casefold(), value) for label, value in helene.emails] == [
        ("home", "helene.lefevre@example.fr"),
        ("atelier", "h.lefevre@atelier-lumiere.example"),
    ]
    assert [(label.casefold(), value) for label, value in helene.phones] == [
        ("cell", "+33 6 12 34 56 78"),
        ("studio arles", "+33 4 90 00 00 00"),
    ]
    # BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29: 29 February, year unknown.
    assert helene.birthday == (2, 29, None)
    assert helene.notes == (
        "Met at the Rencontres d'Arles photo festival, July 2019. "
        "Likes: film cameras; natural wine; long walks.\n"
        "Ask about the new studio in Arles.\n"
        "Children: Léo and Inès."
    )
    assert helene.photo == PNG
    siobhan = contacts["Siobhán O'Brien"]
    assert siobhan.emails == [("work", "siobhan.obrien@example.ie")]
    assert siobhan.birthday == (3, 17, 1984)
    assert siobhan.photo is None


def test_apple_custom_label_keeps_the_users_spelling():
    contacts, _ = parsed("apple_v30.vcf")
    assert contacts["Hélène Lefèvre"].phones[1] == ("Studio Arles", "+33 4 90 00 00 00")


# --- vCard 4.0 ------------------------------------------------------------------------------------


def test_vcard40_scripts_emoji_uid_truncated_dates_and_categories():
    contacts, errors = parsed("rfc6350_v40.vcf")
    assert errors == []
    assert list(contacts) == ["Мария Иванова", "佐藤 花子", "Zoë 🎉"]
    maria, hanako, zoe = contacts.values()
    assert maria.uid == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert maria.emails == [("work", "maria.ivanova@example.ru")]
    assert maria.birthday == (3, 15, None)  # BDAY:--0315
    assert maria.interests == ["Jazz", "Climbing", "Lisbon"]
    assert hanako.phones == [("cell", "+81 90-1234-5678")]
    assert hanako.birthday == (7, 4, 1990)  # BDAY:19900704
    assert hanako.interests == ["書道", "Tea ceremony", "jazz"]
    assert zoe.nickname == "Zo"
    assert zoe.birthday == (12, 31, None)  # BDAY:--12-31
    assert zoe.notes == "Party planner 🎈 — knows everyone."


def test_vcard40_tel_uri_with_quoted_type_list():
    contacts, _ = parsed("rfc6350_v40.vcf")
    assert contacts["Мария Иванова"].phones == [("cell", "+7-916-555-01-23")]


def test_a_card_whose_quoted_printable_is_not_utf8_is_one_error():
    # =ED=A0=80 would be a lone surrogate: it can't be stored, so the card is reported.
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Lone =ED=A0=80\r\n"
        "END:VCARD\r\n" + read("android_v21.vcf")
    )
    items = list(parse_vcard_text(text))
    assert [(e.number, e.reason) for e in items if isinstance(e, ParseError)] == [
        (1, "this card can't be read (UnicodeDecodeError)")
    ]
    assert [i.name for i in items if isinstance(i, ParsedContact)] == [
        "Jürgen Müller",
        "Anaïs François",
    ]


# --- Broken files ---------------------------------------------------------------------------------


def test_one_bad_card_does_not_abort_the_file():
    # UTF-8 BOM, LF line ends; card 2 is never closed, card 3 has a line that is no property.
    contacts, errors = parsed("broken.vcf")
    assert list(contacts) == ["Ingrid Holm", "Kenji Nakamura"]
    assert contacts["Kenji Nakamura"].phones == [("cell", "+81 80 9876 5432")]
    assert [(e.number, e.reason) for e in errors] == [
        (2, "this card has no END:VCARD"),
        (3, "this card can't be read (ParseError)"),
    ]


def test_a_file_cut_short_reports_its_last_card():
    text = read("rfc6350_v40.vcf")
    cut = text[: text.rindex("END:VCARD")]
    items = list(parse_vcard_text(cut))
    assert [i.name for i in items if isinstance(i, ParsedContact)] == ["Мария Иванова", "佐藤 花子"]
    assert [(e.number, e.reason) for e in items if isinstance(e, ParseError)] == [
        (3, "this card has no END:VCARD (the file may be cut short)")
    ]


def test_split_vcards_numbers_cards_across_line_endings():
    text = (
        "BEGIN:VCARD\rFN:A\rEND:VCARD\r"  # old Mac
        "BEGIN:VCARD\r\nFN:B\r\nEND:VCARD\n"
        "begin:vcard\nFN:C\nend:vcard"
    )
    assert [(n, card is not None) for n, card, _ in split_vcards(text)] == [
        (1, True),
        (2, True),
        (3, True),
    ]


# --- Google Contacts and LinkedIn CSV -------------------------------------------------------------


def test_google_csv_classic_export():
    contacts, errors = parsed("google_contacts.csv")
    assert list(contacts) == ["José Álvarez", "Ngozi Adeyemi"]
    jose = contacts["José Álvarez"]
    assert jose.nickname == "Pepe"
    assert (jose.company, jose.role) == ("Acme Ibérica", "CTO")
    assert (jose.city, jose.country) == ("Madrid", "Spain")
    assert jose.notes == "Met at PyCon ES 2019.\nLoves paella, hates cilantro."
    # "E-mail 1 - Value" holds two addresses joined by " ::: ", both labelled "* Home".
    assert jose.emails == [
        ("home", "jose.alvarez@example.es"),
        ("home", "pepe@example.es"),
        ("work", "j.alvarez@acme.example"),
    ]
    assert jose.phones == [("mobile", "+34 612 34 56 78"), ("work", "+34 91 123 45 67")]
    assert jose.links == [("profile", "https://jose.example.es")]
    assert jose.birthday == (4, 12, 1985)
    # Google's system groups (myContacts, starred) are not interests.
    assert jose.interests == ["Friends", "Climbing"]
    assert contacts["Ngozi Adeyemi"].birthday == (6, 21, None)  # "--06-21"
    assert contacts["Ngozi Adeyemi"].interests == ["Book club"]
    # Row 4 of the spreadsheet (header is row 1) has an email but no name.
    assert [(e.number, e.reason) for e in errors] == [(4, "this row has no name")]


def test_google_csv_current_export_with_labels():
    contacts, errors = parsed("google_contacts_2024.csv")
    assert errors == []
    amara, lars = contacts["Amara Okoye"], contacts["Lars Øberg"]
    assert amara.phones == [("mobile", "+44 7700 900123"), ("mobile", "+44 20 7946 0000")]
    assert amara.emails == [("work", "amara@korastudio.example")]
    assert (amara.company, amara.role) == ("Kora Studio", "Producer")
    assert amara.birthday == (9, 5, None)
    assert amara.interests == ["Music"]
    assert lars.nickname == "Lasse"
    assert lars.birthday == (12, 1, 1979)
    assert lars.links == [("blog", "https://lars.example.se")]


def test_linkedin_connections_skips_the_notes_above_the_header():
    contacts, errors = parsed("linkedin_connections.csv")
    assert errors == []
    assert list(contacts) == ["Priya Raman", "Sébastien Côté", "Wei Zhang"]
    priya, sebastien, wei = contacts.values()
    assert (priya.company, priya.role) == ("Acme Robotics", "Senior Engineer")
    assert priya.emails == []
    assert priya.links == [("linkedin", "https://www.linkedin.com/in/priya-raman-0a1b2c")]
    assert priya.met_on == dt.date(2021, 3, 12)
    assert sebastien.company == "Côté & Fils, Inc."
    assert sebastien.emails == [("", "sebastien.cote@example.ca")]
    assert sebastien.met_on == dt.date(2019, 1, 3)
    assert (wei.company, wei.role, wei.met_on) == ("", "", dt.date(2024, 2, 28))
    # Numbers are spreadsheet rows: notes (3 rows), header on row 4.
    assert [c.number for c in contacts.values()] == [5, 6, 7]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("google_contacts.csv", "google"),
        ("google_contacts_2024.csv", "google"),
        ("linkedin_connections.csv", "linkedin"),
        ("google_contacts_phone_only.csv", "google"),
    ],
)
def test_detect_csv(name, kind):
    assert detect_csv(read(name)) == kind


def test_detect_csv_refuses_other_spreadsheets():
    assert detect_csv("Date,Amount,Payee\n2026-01-02,12.50,Bakery\n") == "unknown"


# --- Dates and text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "omit_year", "expected"),
    [
        ("1990-07-04", False, (7, 4, 1990)),
        ("19900704", False, (7, 4, 1990)),
        ("1990-07-04T00:00:00Z", False, (7, 4, 1990)),
        ("--0315", False, (3, 15, None)),
        ("--03-15", False, (3, 15, None)),
        ("--0229", False, (2, 29, None)),
        ("1604-02-29", True, (2, 29, None)),  # Apple, X-APPLE-OMIT-YEAR=1604
        ("1604-02-29", False, (2, 29, None)),  # the marker year alone is enough
        ("1900-05-01", False, (5, 1, None)),  # Outlook's "no year"
        ("2000-02-29", False, (2, 29, 2000)),
        ("02/28/1990", False, (2, 28, 1990)),
        ("2001-02-29", False, None),  # not a leap year
        ("--0230", False, None),
        ("--1301", False, None),
        ("circa 1980", False, None),
        ("", False, None),
    ],
)
def test_parse_month_day(value, omit_year, expected):
    assert parse_month_day(value, omit_year=omit_year) == expected


def test_decode_upload_encodings():
    assert decode_upload("\ufeffFN:Zoë".encode()) == "FN:Zoë"
    assert decode_upload("FN:Zoë 🎉".encode("utf-16")) == "FN:Zoë 🎉"  # with its BOM
    assert decode_upload("FN:Zoë".encode("cp1252")) == "FN:Zoë"  # old Outlook


def test_decode_upload_survives_a_broken_utf16_file():
    raw = "FN:Zoë".encode("utf-16") + b"\x00\xd8" + "\r\n".encode("utf-16-le")
    assert decode_upload(raw).startswith("FN:Zoë")


def test_one_bad_byte_does_not_garble_a_utf8_file():
    raw = "FN:Zoë 🎉\r\nNOTE:".encode() + b"\xed\xa0\x80" + b"\r\n"
    assert decode_upload(raw).startswith("FN:Zoë 🎉\r\n")


# --- The service's cost ---------------------------------------------------------------------------


def vcards(count: int, *, prefix: str = "p") -> str:
    return "".join(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:Person {prefix}{n}\r\nEMAIL;TYPE=HOME:{prefix}{n}@example.com\r\n"
        f"TEL;TYPE=CELL:+1 555 {n:07d}\r\nBDAY:--0{1 + n % 9}15\r\n"
        "CATEGORIES:Jazz,Climbing\r\nEND:VCARD\r\n"
        for n in range(count)
    )


def run_and_count(owner, count: int, prefix: str) -> int:
    batch = ImportBatch.objects.create(
        owner=owner, kind="vcard", filename="big.vcf", text=vcards(count, prefix=prefix)
    )
    with CaptureQueriesContext(connection) as queries:
        batch = imports.import_run(batch=batch, now=dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC))
    assert batch.summary["result"] == {"created": count, "skipped": 0, "errors": 0}
    return len(queries)


@pytest.mark.django_db
def test_import_run_queries_grow_with_batches_not_cards(alice, bob, charlie):
    # 100 cards: one batch; 600: a full batch of 500 and a rest; 1200: two full batches and a rest.
    # One owner each, so that each run creates its two interests.
    one = run_and_count(alice, 100, "a")
    two = run_and_count(bob, 600, "b")
    three = run_and_count(charlie, 1200, "c")
    assert two - one == three - two  # what one more batch costs, whatever its size
    # A batch's writes, each followed by the owner cache's version bump here (outside a
    # transaction; docs/decisions/0013).
    assert three - two < 12
    assert three < 60
    assert Contact.objects.filter(owner=charlie).count() == 1200
    assert ContactMethod.objects.filter(owner=charlie).count() == 2400
    assert ImportantDate.objects.filter(owner=charlie).count() == 1200
    assert interest_links(charlie) == 2400


def interest_links(owner) -> int:
    return Contact.interests.through.objects.filter(contact__owner=owner).count()
