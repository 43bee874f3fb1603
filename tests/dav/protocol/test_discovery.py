"""Service discovery as iOS and DAVx5 walk it (RFC 6764, RFC 5397, RFC 6352 section 7, RFC 4791
section 6): the well-known address, the current user's principal, the home sets, and the two
collections the home set holds."""

from __future__ import annotations

import pytest

from tests.dav.protocol import bodies
from tests.dav.protocol.conftest import DAV_NS, multistatus

pytestmark = pytest.mark.django_db

CARD = "{urn:ietf:params:xml:ns:carddav}"
CAL = "{urn:ietf:params:xml:ns:caldav}"


def hrefs(prop, name: str) -> list[str]:
    return [h.text for h in prop.find(name, DAV_NS).findall("d:href", DAV_NS)]


@pytest.mark.parametrize("service", ["carddav", "caldav"])
@pytest.mark.parametrize("method", ["GET", "PROPFIND"])
def test_well_known_leads_to_the_dav_root(dav, service, method):
    response = dav(method, f"/.well-known/{service}", bodies.IOS_WELL_KNOWN, depth="0")
    assert response.status_code == 301
    assert response["Location"] == "/dav/"


def test_the_root_names_the_current_users_principal_for_ios(ios):
    found = multistatus(ios("PROPFIND", "/dav/", bodies.IOS_WELL_KNOWN, depth="0"))
    prop = found["/dav/"]["200"]
    assert hrefs(prop, "d:current-user-principal") == ["/dav/alice%40example.com/"]


def test_the_root_names_the_principal_for_davx5(dav):
    found = multistatus(dav("PROPFIND", "/dav/", bodies.DAVX5_WELL_KNOWN, depth="0"))
    assert hrefs(found["/dav/"]["200"], "d:current-user-principal") == ["/dav/alice%40example.com/"]


def test_the_principal_names_both_home_sets(ios):
    principal = "/dav/alice%40example.com/"
    found = multistatus(ios("PROPFIND", ios.home, bodies.IOS_PRINCIPAL, depth="0"))
    prop = found[principal]["200"]
    assert hrefs(prop, f"{CARD}addressbook-home-set") == [principal]
    assert hrefs(prop, "d:principal-URL") == [principal]
    # What the server does not have is answered 404, not left out or an error.
    missing = found[principal]["404"]
    assert missing.find(f"{CARD}directory-gateway") is not None

    found = multistatus(ios("PROPFIND", ios.home, bodies.IOS_CALDAV_PRINCIPAL, depth="0"))
    assert hrefs(found[principal]["200"], f"{CAL}calendar-home-set") == [principal]


def test_the_principal_for_davx5(dav):
    found = multistatus(dav("PROPFIND", dav.home, bodies.DAVX5_PRINCIPAL, depth="0"))
    prop = found["/dav/alice%40example.com/"]["200"]
    assert hrefs(prop, f"{CARD}addressbook-home-set") == ["/dav/alice%40example.com/"]
    assert hrefs(prop, f"{CAL}calendar-home-set") == ["/dav/alice%40example.com/"]
    assert prop.find("d:resourcetype/d:principal", DAV_NS) is not None


def test_the_home_set_holds_an_address_book_and_a_calendar_for_ios(ios):
    found = multistatus(ios("PROPFIND", ios.home, bodies.IOS_HOME_SET, depth="1"))
    assert set(found) == {
        "/dav/alice%40example.com/",
        "/dav/alice%40example.com/contacts/",
        "/dav/alice%40example.com/calendar/",
    }
    book = found["/dav/alice%40example.com/contacts/"]["200"]
    assert book.find(f"d:resourcetype/{CARD}addressbook", DAV_NS) is not None
    assert book.findtext("d:displayname", namespaces=DAV_NS) == "network-crm"
    assert book.findtext("d:sync-token", namespaces=DAV_NS).startswith(
        "http://network-crm/sync/cards/"
    )
    privileges = {p[0].tag for p in book.find("d:current-user-privilege-set", DAV_NS)}
    assert "{DAV:}write-content" in privileges
    calendar = found["/dav/alice%40example.com/calendar/"]["200"]
    assert calendar.find(f"d:resourcetype/{CAL}calendar", DAV_NS) is not None
    # The calendar is read-only, and says so before any write is tried.
    privileges = {p[0].tag for p in calendar.find("d:current-user-privilege-set", DAV_NS)}
    assert "{DAV:}read" in privileges
    assert not privileges & {"{DAV:}write", "{DAV:}write-content", "{DAV:}all"}


def test_the_home_set_for_davx5_offers_both_vcard_versions_and_events_only(dav):
    found = multistatus(dav("PROPFIND", dav.home, bodies.DAVX5_HOME_SET, depth="1"))
    book = found["/dav/alice%40example.com/contacts/"]["200"]
    versions = {
        element.get("version")
        for element in book.find(f"{CARD}supported-address-data")
        if element.get("content-type") == "text/vcard"
    }
    assert versions == {"3.0", "4.0"}
    calendar = found["/dav/alice%40example.com/calendar/"]["200"]
    components = [c.get("name") for c in calendar.find(f"{CAL}supported-calendar-component-set")]
    assert components == ["VEVENT"]


def test_the_address_book_answers_ctag_and_sync_token(ios, dav):
    found = multistatus(ios("PROPFIND", ios.book, bodies.IOS_ADDRESSBOOK, depth="0"))
    prop = found["/dav/alice%40example.com/contacts/"]["200"]
    ctag = prop.findtext("{http://calendarserver.org/ns/}getctag")
    token = prop.findtext("d:sync-token", namespaces=DAV_NS)
    assert ctag and token

    found = multistatus(dav("PROPFIND", dav.book, bodies.DAVX5_COLLECTION, depth="0"))
    prop = found["/dav/alice%40example.com/contacts/"]["200"]
    reports = {r[0][0].tag for r in prop.find("d:supported-report-set", DAV_NS)}
    assert {"{DAV:}sync-collection", f"{CARD}addressbook-multiget", f"{CARD}addressbook-query"} <= (
        reports
    )
    assert prop.findtext("d:sync-token", namespaces=DAV_NS) == token


def test_options_says_it_speaks_carddav_and_caldav(client):
    response = client.options("/dav/")
    assert response.status_code == 200
    assert "addressbook" in response["DAV"]
    assert "calendar-access" in response["DAV"]


def test_a_path_without_its_slash_is_redirected(dav):
    response = dav("PROPFIND", "/dav", bodies.IOS_WELL_KNOWN, depth="0")
    assert response.status_code == 301
    assert response["Location"] == "/dav/"
