"""The read-only calendar (RFC 4791): listed, fetched, queried by time range and synced like
the address book; every write answers 403 and changes nothing."""

from __future__ import annotations

import pytest

from contacts.models import ImportantDate
from dav.models import CalendarEntry
from tests.dav.protocol import bodies
from tests.dav.protocol.conftest import DAV_NS, multistatus
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

CAL = "{urn:ietf:params:xml:ns:caldav}"


@pytest.fixture
def birthday(alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    return ImportantDate.objects.create(
        owner=alice, contact=amara, kind="birthday", label="Birthday", month=12, day=3
    )


def events(dav) -> dict:
    found = multistatus(dav("PROPFIND", dav.calendar, bodies.VDIRSYNCER_LIST, depth="1"))
    collection = dav.calendar.replace("@", "%40")
    return {href: props for href, props in found.items() if href != collection}


def test_the_calendar_lists_the_birthdays(ios, birthday):
    listed = events(ios)
    assert len(listed) == 1
    (href,) = listed
    assert href.endswith(".ics")
    response = ios("GET", href)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"Amara Diallo" in response.content
    assert b"RRULE:FREQ=YEARLY" in response.content
    entry = CalendarEntry.objects.get(owner=birthday.owner)
    assert response["ETag"] == f'"{entry.fingerprint}"'


def test_ios_calendar_query_and_multiget(ios, birthday):
    found = multistatus(ios("REPORT", ios.calendar, bodies.IOS_CALENDAR_QUERY, depth="1"))
    (href,) = found
    assert found[href]["200"].findtext("d:getetag", namespaces=DAV_NS)
    found = multistatus(ios("REPORT", ios.calendar, bodies.ios_calendar_multiget(href), depth="1"))
    data = found[href]["200"].findtext(f"{CAL}calendar-data")
    assert "BEGIN:VEVENT" in data
    assert "Amara Diallo" in data


def test_calendar_sync_collection(dav, birthday):
    response = dav("REPORT", dav.calendar, bodies.davx5_sync(), depth="1")
    found = multistatus(response)
    assert len(found) == 1
    token = response.content.decode().split("<sync-token>")[1].split("</sync-token>")[0]
    assert token.startswith("http://network-crm/sync/calendar/")
    birthday.delete()
    found = multistatus(dav("REPORT", dav.calendar, bodies.davx5_sync(token), depth="1"))
    assert [list(props) for props in found.values()] == [["404"]]


def test_every_write_to_the_calendar_is_forbidden(dav, birthday):
    (href,) = events(dav)
    event = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\nUID:new-1\r\n"
        "DTSTAMP:20261128T093000Z\r\nDTSTART;VALUE=DATE:20261201\r\nSUMMARY:Mine\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    proppatch = (
        '<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:"><d:set><d:prop>'
        "<d:displayname>Renamed</d:displayname></d:prop></d:set></d:propertyupdate>"
    )
    attempts = [
        ("PUT", dav.calendar + "new-1.ics", event),
        ("PUT", href, event),
        ("DELETE", href, ""),
        ("DELETE", dav.calendar, ""),
        ("PROPPATCH", dav.calendar, proppatch),
        ("MKCOL", dav.calendar + "sub/", ""),
        ("MKCALENDAR", dav.home + "second/", ""),
    ]
    for method, path, body in attempts:
        response = dav(method, path, body, content_type="text/calendar")
        assert response.status_code == 403, (method, path, response.status_code)
    assert len(events(dav)) == 1
    assert b"network-crm" in dav("PROPFIND", dav.calendar, "", depth="0").content
