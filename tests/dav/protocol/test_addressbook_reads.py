"""Reading the address book as the devices do: collection sync with and without a token
(RFC 6578), multiget and query (RFC 6352 section 8), in each client's vCard dialect, and a
listing that renders no card."""

from __future__ import annotations

import pytest

from contacts.models import ContactMethod
from dav import radicale_storage
from dav.models import Card, DeviceSync, SyncCollection
from tests.dav.protocol import bodies
from tests.dav.protocol.conftest import DAV_NS, multistatus
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

CARD = "{urn:ietf:params:xml:ns:carddav}"


@pytest.fixture
def people(alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo", company="Lumen")
    ContactMethod.objects.create(
        owner=alice, contact=amara, kind="phone", label="mobile", value="+44 7700 900123"
    )
    ben = ContactFactory(owner=alice, name="Ben Carter")
    return amara, ben


@pytest.fixture
def renders(monkeypatch):
    """How many cards the server rendered (the storage's calls of dav.cards.card_render)."""
    calls = []
    real = radicale_storage.card_render

    def counting(contact, **kwargs):
        calls.append(contact.pk)
        return real(contact, **kwargs)

    monkeypatch.setattr(radicale_storage, "card_render", counting)
    return calls


def href(dav, contact) -> str:
    return dav.book.replace("@", "%40") + f"{contact.uid.replace(':', '%3A')}.vcf"


def sync(dav, body: str):
    response = dav("REPORT", dav.book, body, depth="1")
    found = multistatus(response)
    token = response.content.decode().split("<sync-token>")[1].split("</sync-token>")[0]
    return token, found


def test_a_first_sync_lists_every_card_with_its_etag(ios, people, renders):
    amara, ben = people
    token, found = sync(ios, bodies.ios_sync())
    assert set(found) == {href(ios, amara), href(ios, ben)}
    card = Card.objects.get(contact=amara)
    # iOS reads vCard 3.0: its etag names that representation.
    assert found[href(ios, amara)]["200"].findtext("d:getetag", namespaces=DAV_NS) == (
        f'"{card.fingerprint}-3"'
    )
    assert token.startswith("http://network-crm/sync/cards/")
    assert renders == []  # etags only: no card was rendered


def test_an_incremental_sync_reports_only_what_changed(dav, people):
    amara, ben = people
    token, _ = sync(dav, bodies.davx5_sync())
    again, found = sync(dav, bodies.davx5_sync(token))
    assert found == {}
    assert again == token

    amara.company = "Lumen Labs"
    amara.save()
    newer, found = sync(dav, bodies.davx5_sync(token))
    assert set(found) == {href(dav, amara)}
    assert newer != token
    card = Card.objects.get(contact=amara)
    assert found[href(dav, amara)]["200"].findtext("d:getetag", namespaces=DAV_NS) == (
        f'"{card.fingerprint}"'
    )


def test_an_archived_person_is_reported_gone(dav, people):
    amara, ben = people
    token, _ = sync(dav, bodies.davx5_sync())
    ben.archived = True
    ben.save()
    _, found = sync(dav, bodies.davx5_sync(token))
    # RFC 6578 section 3.5.2: a removed member is a response with status 404 and no props.
    assert list(found[href(dav, ben)]) == ["404"]
    _, everyone = sync(dav, bodies.davx5_sync())
    assert set(everyone) == {href(dav, amara)}


@pytest.mark.parametrize(
    "token",
    [
        "http://network-crm/sync/cards/999",  # from the future
        "http://network-crm/sync/calendar/1",  # another collection's
        "http://radicale.org/ns/sync/abc",  # someone else's
    ],
)
def test_a_token_the_server_never_gave_is_refused(dav, people, token):
    response = dav("REPORT", dav.book, bodies.davx5_sync(token), depth="1")
    # RFC 6578 section 3.2: DAV:valid-sync-token precondition (403), then the client resyncs.
    assert response.status_code == 403
    assert b"valid-sync-token" in response.content


def test_ios_multiget_gets_vcard_3(ios, people, renders):
    amara, ben = people
    found = multistatus(ios("REPORT", ios.book, bodies.ios_multiget(href(ios, amara)), depth="0"))
    prop = found[href(ios, amara)]["200"]
    text = prop.findtext(f"{CARD}address-data")
    assert "VERSION:3.0" in text
    assert "FN:Amara Diallo" in text
    assert "+44 7700 900123" in text
    assert prop.findtext("d:getetag", namespaces=DAV_NS).endswith('-3"')
    assert renders == [amara.pk]


def test_davx5_multiget_gets_vcard_4_or_3_as_it_asks(dav, people):
    amara, ben = people
    wanted = (href(dav, amara), href(dav, ben))
    found = multistatus(dav("REPORT", dav.book, bodies.davx5_multiget(*wanted), depth="0"))
    assert set(found) == set(wanted)
    text = found[href(dav, amara)]["200"].findtext(f"{CARD}address-data")
    assert "VERSION:4.0" in text
    found = multistatus(
        dav("REPORT", dav.book, bodies.davx5_multiget(*wanted, vcard4=False), depth="0")
    )
    assert "VERSION:4.0" in found[href(dav, amara)]["200"].findtext(f"{CARD}address-data")
    asked_3 = bodies.davx5_multiget(*wanted).replace('version="4.0"', 'version="3.0"')
    found = multistatus(dav("REPORT", dav.book, asked_3, depth="0"))
    assert "VERSION:3.0" in found[href(dav, amara)]["200"].findtext(f"{CARD}address-data")


def test_multiget_of_a_card_that_is_gone_answers_404_for_it(dav, people):
    amara, _ = people
    missing = dav.book.replace("@", "%40") + "nobody.vcf"
    found = multistatus(
        dav("REPORT", dav.book, bodies.davx5_multiget(href(dav, amara), missing), depth="0")
    )
    assert list(found[missing]) == ["404"]
    assert "200" in found[href(dav, amara)]


def test_addressbook_query_filters_by_name(dav, people):
    amara, _ = people
    found = multistatus(
        dav("REPORT", dav.book, bodies.davx5_query(name_contains="amara"), depth="1")
    )
    assert set(found) == {href(dav, amara)}


def test_a_listing_renders_no_card(dav, people, renders, alice):
    for n in range(30):
        ContactFactory(owner=alice, name=f"Person {n}")
    found = multistatus(dav("PROPFIND", dav.book, bodies.VDIRSYNCER_LIST, depth="1"))
    assert len(found) == 1 + 32  # the collection and every card
    assert renders == []


def test_get_serves_one_card_with_its_etag(ios, dav, people):
    amara, _ = people
    response = ios("GET", href(ios, amara))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vcard")
    assert b"VERSION:3.0" in response.content
    card = Card.objects.get(contact=amara)
    assert response["ETag"] == f'"{card.fingerprint}-3"'
    response = dav("GET", href(dav, amara))
    assert b"VERSION:4.0" in response.content
    assert response["ETag"] == f'"{card.fingerprint}"'


def test_how_far_a_device_has_read_is_noted_when_it_lists(dav, people, alice_password):
    """DeviceSync.seq is the base of a device's three-way merge (dav.services): what it had
    before the sync it is in (the token it sends, or its previous listing), never what it has
    just been shown. Asking only whether anything changed moves nothing."""
    app_password, _ = alice_password
    amara, _ = people

    def seen():
        row = DeviceSync.objects.filter(app_password=app_password, kind="cards").first()
        return row and (row.seq, row.listed_seq)

    def seq():
        return SyncCollection.objects.get(owner=amara.owner, kind="cards").seq

    multistatus(dav("PROPFIND", dav.book, bodies.DAVX5_COLLECTION, depth="0"))
    assert seen() is None
    token, _ = sync(dav, bodies.davx5_sync())
    first = int(token.rsplit("/", 1)[1])
    assert seen() == (0, first)  # a first sync: it had nothing

    amara.company = "Lumen Labs"
    amara.save()
    newer, _ = sync(dav, bodies.davx5_sync(token))
    # It writes against what it had at `token`, and has now been shown the newer seq.
    assert seen() == (first, seq())
    assert seq() > first

    # A client that lists (vdirsyncer): the previous listing is what it had.
    amara.company = "Lumen"
    amara.save()
    multistatus(dav("PROPFIND", dav.book, bodies.VDIRSYNCER_LIST, depth="1"))
    assert seen() == (int(newer.rsplit("/", 1)[1]), seq())


def test_get_honours_the_version_davx5_accepts(ios, dav, people):
    amara, _ = people
    response = ios("GET", href(ios, amara), accept="text/vcard;version=4.0, text/vcard;q=0.8")
    assert b"VERSION:4.0" in response.content
    response = dav("GET", href(dav, amara), accept="text/vcard; version=3.0")
    assert b"VERSION:3.0" in response.content
    assert response["ETag"].endswith('-3"')


def test_a_query_without_conditions_lists_every_card_unrendered(dav, people, renders):
    # What dav4jvm's addressbookQuery() sends: an empty filter, etags only.
    body = (
        "<?xml version='1.0' encoding='UTF-8' ?>"
        '<CARD:addressbook-query xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav">'
        "<prop><getetag /></prop><CARD:filter /></CARD:addressbook-query>"
    )
    found = multistatus(dav("REPORT", dav.book, body, depth="1"))
    assert set(found) == {href(dav, person) for person in people}
    assert renders == []


def test_head_answers_the_etag_without_the_card(dav, people):
    amara, _ = people
    response = dav("HEAD", href(dav, amara))
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == f'"{Card.objects.get(contact=amara).fingerprint}"'
