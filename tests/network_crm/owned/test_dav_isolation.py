"""The DAV routes, walked as bob against alice's collections and items.

DAV has no object ids in its URLs, so the id walker (test_isolation_walker) does not see it; this
walk covers every DAV route and every method the endpoint answers: with bob's own valid app
password, alice's paths answer 404 (as paths that exist nowhere do) and nothing of hers changes;
a signed-in browser session is no DAV credential at all. A new DAV route fails
``test_every_dav_route_is_walked`` until it is listed here."""

from __future__ import annotations

import base64

import pytest
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.services import app_password_create
from contacts.models import Contact, ImportantDate
from dav.models import CalendarEntry, Card, SyncCollection
from dav.radicale_app import DAV_METHODS
from tests.factories import ContactFactory

# Route -> what it is for; the well-known ones only redirect to /dav/ and hold no data.
DAV_ROUTES = {
    "dav:root": "the DAV root: lists only the caller's own principal",
    "dav:path": "every principal, collection and item",
    "dav:well_known_carddav": "redirect",
    "dav:well_known_caldav": "redirect",
}

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Written by bob\r\nUID:{uid}\r\nEND:VCARD\r\n"
PROPFIND = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>'


def _dav_routes():
    def walk(resolver: URLResolver, namespace: str | None = None):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.callback.__module__ == "dav.views":
                yield f"{namespace}:{entry.name}"

    return set(walk(get_resolver()))


def test_every_dav_route_is_walked():
    assert _dav_routes() == set(DAV_ROUTES)


def _basic(email: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()


@pytest.fixture
def alice_dav_objects(client, alice):
    contact = ContactFactory(owner=alice, name="Amara Diallo")
    ImportantDate.objects.create(owner=alice, contact=contact, kind="birthday", month=3, day=9)
    _, secret = app_password_create(owner=alice, name="Alice's phone")
    # Alice syncs once, so her cards, events and change log exist.
    for collection in ("contacts", "calendar"):
        response = client.generic(
            "PROPFIND",
            f"/dav/{alice.email}/{collection}/",
            PROPFIND,
            HTTP_DEPTH="1",
            HTTP_AUTHORIZATION=_basic(alice.email, secret),
        )
        assert response.status_code == 207
    card = Card.objects.get(owner=alice)
    event = CalendarEntry.objects.get(owner=alice)
    return contact, card, event


def _snapshot(alice) -> dict:
    return {
        "contacts": [model_to_dict(c) for c in Contact.objects.filter(owner=alice)],
        "cards": [model_to_dict(c) for c in Card.objects.filter(owner=alice)],
        "events": [model_to_dict(e) for e in CalendarEntry.objects.filter(owner=alice)],
        "log": list(SyncCollection.objects.filter(owner=alice).values("kind", "seq")),
        "all_contacts": Contact.objects.count(),
    }


@pytest.mark.django_db
def test_bob_gets_404_on_alices_dav_paths(client, alice, bob, alice_dav_objects):
    contact, card, event = alice_dav_objects
    _, bob_secret = app_password_create(owner=bob, name="Bob's phone")
    home = f"/dav/{alice.email}/"
    paths = [
        home,
        home + "contacts/",
        home + f"contacts/{card.href}",
        home + "calendar/",
        home + f"calendar/{event.href}",
        home + "contacts/new-card.vcf",
        home + "other/",
    ]
    before = _snapshot(alice)
    checked = 0
    for path in paths:
        for method in DAV_METHODS:
            if method == "OPTIONS":
                continue  # says what the server can do, of nobody's data
            body = CARD.format(uid=contact.uid) if method == "PUT" else ""
            response = client.generic(
                method,
                path,
                body,
                content_type="text/vcard",
                HTTP_DEPTH="1",
                HTTP_IF_MATCH="*" if method in ("PUT", "DELETE") else "",
                HTTP_AUTHORIZATION=_basic(bob.email, bob_secret),
            )
            assert response.status_code == 404, f"{method} {path}: {response.status_code}"
            assert b"Amara" not in response.content
            checked += 1
    assert checked == len(paths) * (len(DAV_METHODS) - 1)
    assert _snapshot(alice) == before


@pytest.mark.django_db
def test_a_browser_session_is_no_dav_credential(client, alice, alice_dav_objects):
    client.force_login(alice)
    for path in (f"/dav/{alice.email}/contacts/", "/dav/"):
        response = client.generic("PROPFIND", path, PROPFIND, HTTP_DEPTH="1")
        assert response.status_code == 401
        assert b"Amara" not in response.content
