"""A signed-up account with an app password, and a DAV client that speaks as a given device."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from accounts.services import app_password_create

DAV_NS = {
    "d": "DAV:",
    "card": "urn:ietf:params:xml:ns:carddav",
    "cal": "urn:ietf:params:xml:ns:caldav",
    "cs": "http://calendarserver.org/ns/",
}

# The User-Agent strings the devices send (as captured from the clients).
IOS_AGENT = "iOS/17.4 (21E219) dataaccessd/1.0"
DAVX5_AGENT = "DAVx5/4.3.13-ose (2024/03/12; dav4jvm; okhttp/4.12.0) Android/14"


def basic(email: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()


@dataclass
class Dav:
    """The Django test client with a device's credentials and User-Agent."""

    client: object
    email: str
    password: str
    agent: str = DAVX5_AGENT

    def __call__(
        self, method: str, path: str, body: str | bytes = "", content_type: str = "", **headers
    ):
        extra = {"HTTP_AUTHORIZATION": basic(self.email, self.password)}
        extra["HTTP_USER_AGENT"] = self.agent
        for name, value in headers.items():
            extra["HTTP_" + name.upper()] = value
        if not content_type:
            content_type = "text/vcard" if method == "PUT" else "application/xml; charset=utf-8"
        return self.client.generic(method, path, body, content_type=content_type, **extra)

    @property
    def home(self) -> str:
        return f"/dav/{self.email}/"

    @property
    def book(self) -> str:
        return f"/dav/{self.email}/contacts/"

    @property
    def calendar(self) -> str:
        return f"/dav/{self.email}/calendar/"


def multistatus(response) -> dict[str, dict[str, ET.Element]]:
    """href -> {status of the propstat or response: the <d:prop> or <d:response> element}."""
    assert response.status_code == 207, (response.status_code, response.content[:500])
    root = ET.fromstring(response.content)
    found = {}
    for answer in root.findall("d:response", DAV_NS):
        href = answer.findtext("d:href", namespaces=DAV_NS)
        by_status = {}
        for propstat in answer.findall("d:propstat", DAV_NS):
            status = propstat.findtext("d:status", namespaces=DAV_NS).split()[1]
            by_status[status] = propstat.find("d:prop", DAV_NS)
        if answer.find("d:status", DAV_NS) is not None:
            by_status[answer.findtext("d:status", namespaces=DAV_NS).split()[1]] = answer
        found[href] = by_status
    return found


@pytest.fixture
def alice_password(alice):
    return app_password_create(owner=alice, name="Alice's iPhone")


@pytest.fixture
def dav(client, alice, alice_password):
    return Dav(client=client, email=alice.email, password=alice_password[1])


@pytest.fixture
def ios(client, alice, alice_password):
    return Dav(client=client, email=alice.email, password=alice_password[1], agent=IOS_AGENT)
