"""Writes from a device: PUT with the preconditions clients send (RFC 7232 If-Match /
If-None-Match, 412 when stale), DELETE, the refusals (calendar read-only, no new collections,
malformed or unsafe XML, oversized bodies)."""

from __future__ import annotations

import pytest

from contacts.models import Contact
from dav.models import Card
from tests.dav.protocol import bodies
from tests.dav.protocol.conftest import multistatus
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

NEW_CARD_3 = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.4//EN\r\n"
    "N:Okafor;Chidi;;;\r\nFN:Chidi Okafor\r\nTEL;type=CELL;type=VOICE;type=pref:+1 555 0100\r\n"
    "UID:6F5A3C1E-1B2D-4E5F-8A9B-0C1D2E3F4A5B\r\nEND:VCARD\r\n"
)


@pytest.fixture
def amara(alice):
    return ContactFactory(owner=alice, name="Amara Diallo")


def card_path(dav, name: str) -> str:
    return dav.book + name


def listed_etag(dav, contact) -> str:
    """The etag the device holds after listing the address book."""
    dav("PROPFIND", dav.book, bodies.VDIRSYNCER_LIST, depth="1")
    card = Card.objects.get(contact=contact)
    return f'"{card.fingerprint}"'


def test_a_new_card_from_the_phone_becomes_a_person(ios, alice):
    path = card_path(ios, "6F5A3C1E-1B2D-4E5F-8A9B-0C1D2E3F4A5B.vcf")
    response = ios("PUT", path, NEW_CARD_3, if_none_match="*")
    assert response.status_code == 201
    # Stored as the app reads it, not byte for byte as sent: no ETag, so the phone fetches it
    # (RFC 6352 section 6.3.2.3).
    assert "ETag" not in response
    contact = Contact.objects.get(owner=alice, name="Chidi Okafor")
    card = Card.objects.get(owner=alice, contact=contact)
    # The card keeps the address the client chose.
    assert card.href == "6F5A3C1E-1B2D-4E5F-8A9B-0C1D2E3F4A5B.vcf"
    response = ios("GET", path)
    assert response.status_code == 200
    assert b"FN:Chidi Okafor" in response.content


def test_creating_where_a_card_exists_is_refused(ios, amara):
    path = card_path(ios, f"{amara.uid}.vcf")
    ios("PROPFIND", ios.book, bodies.VDIRSYNCER_LIST, depth="1")
    card = NEW_CARD_3.replace("6F5A3C1E-1B2D-4E5F-8A9B-0C1D2E3F4A5B", amara.uid)
    response = ios("PUT", path, card, if_none_match="*")
    assert response.status_code == 412
    amara.refresh_from_db()
    assert amara.name == "Amara Diallo"


def test_a_stale_if_match_is_refused_and_changes_nothing(dav, amara):
    etag = listed_etag(dav, amara)
    amara.company = "Lumen"  # edited in the app after the phone listed it
    amara.save()
    path = card_path(dav, f"{amara.uid}.vcf")
    card = (
        f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Amara D.\r\nN:D.;Amara;;;\r\nUID:{amara.uid}\r\n"
        "END:VCARD\r\n"
    )
    response = dav("PUT", path, card, if_match=etag)
    assert response.status_code == 412
    amara.refresh_from_db()
    assert amara.name == "Amara Diallo"
    assert amara.company == "Lumen"


def test_a_current_if_match_writes(dav, amara):
    etag = listed_etag(dav, amara)
    path = card_path(dav, f"{amara.uid}.vcf")
    card = (
        f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Amara D.\r\nN:D.;Amara;;;\r\nUID:{amara.uid}\r\n"
        "END:VCARD\r\n"
    )
    response = dav("PUT", path, card, if_match=etag)
    assert response.status_code == 204
    amara.refresh_from_db()
    assert amara.name == "Amara D."
    # The etag the next listing gives is the card as stored now.
    assert listed_etag(dav, amara) != etag


def test_a_card_whose_uid_is_another_cards_is_a_conflict(dav, amara, alice):
    dav("PROPFIND", dav.book, bodies.VDIRSYNCER_LIST, depth="1")
    card = NEW_CARD_3.replace("6F5A3C1E-1B2D-4E5F-8A9B-0C1D2E3F4A5B", amara.uid)
    response = dav("PUT", card_path(dav, "elsewhere.vcf"), card)
    # RFC 6352 section 6.3.2.1: CARDDAV:no-uid-conflict.
    assert response.status_code == 409
    assert b"no-uid-conflict" in response.content
    assert Contact.objects.filter(owner=alice).count() == 1


def test_a_card_without_uid_is_a_bad_request(dav, alice):
    card = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Nobody\r\nEND:VCARD\r\n"
    response = dav("PUT", card_path(dav, "nobody.vcf"), card)
    assert response.status_code == 400
    assert not Contact.objects.filter(owner=alice).exists()


def test_not_a_card_is_a_bad_request(dav, alice):
    response = dav("PUT", card_path(dav, "x.vcf"), "this is not a vCard")
    assert response.status_code == 400
    assert not Contact.objects.filter(owner=alice).exists()


def test_delete_from_the_phone_archives_and_the_next_sync_reports_it(dav, amara):
    response = dav("REPORT", dav.book, bodies.davx5_sync(), depth="1")
    token = response.content.decode().split("<sync-token>")[1].split("</sync-token>")[0]
    path = card_path(dav, f"{amara.uid}.vcf")
    etag = f'"{Card.objects.get(contact=amara).fingerprint}"'
    assert dav("DELETE", path, if_match='"stale"').status_code == 412
    amara.refresh_from_db()
    assert not amara.archived

    response = dav("DELETE", path, if_match=etag)
    assert response.status_code == 200
    amara.refresh_from_db()
    assert amara.archived
    assert dav("GET", path).status_code == 404
    found = multistatus(dav("REPORT", dav.book, bodies.davx5_sync(token), depth="1"))
    assert [list(v) for v in found.values()] == [["404"]]
    assert dav("DELETE", path).status_code == 404


def test_the_address_book_itself_cannot_be_deleted_or_replaced(dav, amara):
    assert dav("DELETE", dav.book).status_code == 403
    assert dav("PUT", dav.book, "BEGIN:VCARD\r\nEND:VCARD\r\n").status_code in (403, 405)
    amara.refresh_from_db()
    assert not amara.archived


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("MKCOL", "other/", ""),
        ("MKCALENDAR", "other/", ""),
        ("MKCOL", "contacts/sub/", ""),
    ],
)
def test_no_new_collections(dav, method, suffix, body):
    response = dav(method, dav.home + suffix, body)
    assert response.status_code == 403


def test_xml_with_a_dtd_or_entities_is_refused(dav, amara):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&lol2;</d:displayname></d:prop>'
        "</d:propfind>"
    )
    assert dav("PROPFIND", dav.book, bomb, depth="0").status_code == 400
    external = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&e;</d:displayname></d:prop>'
        "</d:propfind>"
    )
    response = dav("REPORT", dav.book, external, depth="0")
    assert response.status_code == 400
    assert b"root:" not in response.content
    assert dav("PROPFIND", dav.book, "<d:propfind xmlns:d=", depth="0").status_code == 400


def test_a_body_over_the_limit_is_refused_before_it_is_read(dav, settings, alice):
    settings.DAV_MAX_BODY_BYTES = 4096
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "A" * 5000 + "\r\n"
    card = NEW_CARD_3.replace("END:VCARD", photo + "END:VCARD")
    response = dav("PUT", card_path(dav, "big.vcf"), card)
    assert response.status_code == 413
    assert not Contact.objects.filter(owner=alice).exists()


def test_a_card_sent_back_as_served_gets_its_etag(dav, ios, amara):
    """The stored card reads exactly as sent: the answer may carry its ETag (RFC 7231 4.3.4),
    the one the next read shows, so the client need not fetch it again. (The tag itself may
    move: it also covers what the card keeps beside its columns.)"""
    for client in (dav, ios):
        path = card_path(client, f"{amara.uid}.vcf")
        served = client("GET", path)
        response = client("PUT", path, served.content, if_match=served["ETag"])
        assert response.status_code == 204
        now = client("GET", path)
        assert now.content == served.content
        assert response["ETag"] == now["ETag"]
