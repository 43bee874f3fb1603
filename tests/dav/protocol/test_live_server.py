"""The whole round a phone makes, over a real socket with a real HTTP client (requests): the
server as a client meets it, with the redirects, gzip, Basic auth and headers of real HTTP."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests

from accounts.services import app_password_create
from contacts.models import Contact
from tests.dav.protocol import bodies
from tests.dav.protocol.conftest import DAV_NS, IOS_AGENT
from tests.factories import ContactFactory

CARD = "{urn:ietf:params:xml:ns:carddav}"


def multistatus(response: requests.Response) -> ET.Element:
    assert response.status_code == 207, (response.status_code, response.text[:300])
    return ET.fromstring(response.content)


@pytest.mark.django_db(transaction=True)
def test_an_iphone_discovers_syncs_and_writes(live_server, alice):
    ContactFactory(owner=alice, name="Amara Diallo")
    _, secret = app_password_create(owner=alice, name="iPhone")
    session = requests.Session()
    session.auth = (alice.email, secret)
    session.headers.update({"User-Agent": IOS_AGENT, "Content-Type": "text/xml"})

    def dav(method: str, url: str, body: str = "", **headers) -> requests.Response:
        target = url if url.startswith("http") else live_server.url + url
        return session.request(method, target, data=body.encode(), headers=headers, timeout=10)

    # RFC 6764: the well-known address, followed like the phone follows it.
    response = dav("PROPFIND", "/.well-known/carddav", bodies.IOS_WELL_KNOWN, Depth="0")
    assert [r.status_code for r in response.history] == [301]
    root = multistatus(response)
    principal = root.findtext(".//d:current-user-principal/d:href", namespaces=DAV_NS)
    assert principal == "/dav/alice%40example.com/"

    root = multistatus(dav("PROPFIND", principal, bodies.IOS_PRINCIPAL, Depth="0"))
    home = root.findtext(f".//{CARD}addressbook-home-set/d:href", namespaces=DAV_NS)

    root = multistatus(dav("PROPFIND", home, bodies.IOS_HOME_SET, Depth="1"))
    books = [
        r.findtext("d:href", namespaces=DAV_NS)
        for r in root.findall("d:response", DAV_NS)
        if r.find(f".//d:resourcetype/{CARD}addressbook", DAV_NS) is not None
    ]
    assert books == ["/dav/alice%40example.com/contacts/"]
    (book,) = books

    response = dav("REPORT", book, bodies.ios_sync(), Depth="1", **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"  # requests unzips it
    root = multistatus(response)
    token = root.findtext("d:sync-token", namespaces=DAV_NS)
    (card_href,) = [
        r.findtext("d:href", namespaces=DAV_NS) for r in root.findall("d:response", DAV_NS)
    ]

    root = multistatus(dav("REPORT", book, bodies.ios_multiget(card_href), Depth="0"))
    assert "FN:Amara Diallo" in root.findtext(f".//{CARD}address-data")
    etag = root.findtext(".//d:getetag", namespaces=DAV_NS)

    # A name fixed on the phone comes back.
    text = dav("GET", card_href).text.replace("Amara Diallo", "Amara Diallo-Sow")
    response = dav("PUT", card_href, text, **{"If-Match": etag, "Content-Type": "text/vcard"})
    assert response.status_code == 204, response.text
    assert Contact.objects.get(owner=alice).name == "Amara Diallo-Sow"
    # The old etag is stale now.
    response = dav("PUT", card_href, text, **{"If-Match": etag, "Content-Type": "text/vcard"})
    assert response.status_code == 412

    root = multistatus(dav("REPORT", book, bodies.ios_sync(token), Depth="1"))
    assert [
        r.findtext("d:href", namespaces=DAV_NS) for r in root.findall("d:response", DAV_NS)
    ] == [card_href]

    # Without the app password, nothing.
    response = requests.request(
        "PROPFIND", live_server.url + book, data=bodies.IOS_ADDRESSBOOK, timeout=10
    )
    assert response.status_code == 401
    assert "Basic" in response.headers["WWW-Authenticate"]
