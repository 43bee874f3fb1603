"""Radicale, configured in code and called from the Django view (dav.views).

One ``radicale.app.Application`` per process, built on first use with our plugins: storage over
the models (dav.radicale_storage), auth on app passwords the view already checked
(dav.radicale_auth), rights for the fixed tree (dav.radicale_rights). The view hands it a WSGI
environ built from the Django request and turns its answer into an HttpResponse
(docs/architecture.md, "Sync with phones"; why Radicale: docs/decisions/0008)."""

from __future__ import annotations

import base64
import io
import re
import sys
import threading
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException
from django.http import HttpResponse, HttpResponseNotFound
from radicale import config, httputils, pathutils, utils
from radicale.app import Application

from dav.context import DavRequest, vcard_version_for
from network_crm import clock

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import AppPassword, User

SCRIPT_NAME = "/dav"
REALM = "network-crm"
DAV_METHODS = [
    "OPTIONS",
    "GET",
    "HEAD",
    "PROPFIND",
    "REPORT",
    "PUT",
    "DELETE",
    "PROPPATCH",
    "MKCOL",
    "MKCALENDAR",
]
XML_METHODS = {"PROPFIND", "REPORT", "PROPPATCH", "MKCOL", "MKCALENDAR"}
CARDDAV = "{urn:ietf:params:xml:ns:carddav}"
SENT_VERSION = re.compile(r"^VERSION:\s*([34]\.0)\s*$", re.MULTILINE | re.IGNORECASE)
CALDAV = "{urn:ietf:params:xml:ns:caldav}"

_application: Application | None = None
_lock = threading.Lock()


def application() -> Application:
    global _application
    with _lock:
        if _application is None:
            configuration = config.load()
            configuration.update(
                {
                    # Paths are checked by the view and the storage; emails and "urn:uuid:"
                    # card names hold characters Radicale's filesystem checks refuse.
                    "server": {
                        "validate_user_value": "none",
                        "validate_path_value": "none",
                        "delay_on_error": "0",
                    },
                    # Throttling is the app passwords' (accounts.services); no sleep here.
                    "auth": {
                        "type": "dav.radicale_auth",
                        "realm": REALM,
                        "delay": "0",
                        "cache_logins": "False",
                    },
                    "rights": {
                        "type": "dav.radicale_rights",
                        "permit_delete_collection": "False",
                        "permit_overwrite_collection": "False",
                    },
                    "storage": {"type": "dav.radicale_storage"},
                    "web": {"type": "none"},
                    "logging": {"mask_passwords": "True"},
                },
                "network-crm",
                privileged=True,
            )
            # Radicale advertises vCard 4.0 only when vobject (0.9 here) could write it; the
            # cards are written by dav.cards in both dialects, so both are offered.
            utils.vobject_supports_vcard4 = lambda: True
            _application = Application(configuration)
        return _application


class BadBody(Exception):
    """An XML body that is not well-formed, or that declares a DTD or entities."""


def xml_body(method: str, body: bytes) -> ET.Element | None:
    """The parsed body of a method that carries XML; defusedxml refuses DTDs and entities
    before Radicale (which parses again, also with defusedxml) sees it."""
    if method not in XML_METHODS or not body.strip():
        return None
    try:
        return DefusedET.fromstring(body, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as error:
        raise BadBody(str(error)) from error


def report_shape(root: ET.Element | None) -> tuple[bool, str | None]:
    """(etag_only, the vCard version a REPORT asks for): a REPORT that names no card or event
    data answers with etags alone, and its items need not be rendered."""
    if root is None or root.tag.endswith("}propfind"):
        return False, None
    address_data = root.find(f".//{CARDDAV}address-data")
    calendar_data = root.find(f".//{CALDAV}calendar-data")
    version = address_data.get("version") if address_data is not None else None
    return address_data is None and calendar_data is None, version


def environ_for(request: HttpRequest, path: str, body: bytes) -> dict:
    """A WSGI environ for Radicale: the request's own, minus the proxy headers Radicale would
    believe (X-Forwarded-*, X-Script-Name) and with the body already read by Django."""
    environ = {
        key: value
        for key, value in request.META.items()
        if isinstance(value, str) and not key.startswith("HTTP_X_") and not key.startswith("wsgi.")
    }
    environ.update(
        {
            "SCRIPT_NAME": SCRIPT_NAME,
            "PATH_INFO": path,
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_PROTOCOL": request.META.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": request.META.get("wsgi.errors", sys.stderr),
            "wsgi.url_scheme": request.scheme,
        }
    )
    return environ


def decoded_body(environ: dict, body: bytes) -> str:
    return httputils.decode_request(application().configuration, environ, body)


def run(environ: dict, dav: DavRequest | None) -> HttpResponse:
    answer: dict = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"], answer["headers"] = int(status.split(" ", 1)[0]), headers

    body = b"".join(application()(environ, start_response))
    response = HttpResponse(body, status=answer["status"])
    for name, value in answer["headers"]:
        response[name] = value
    if dav is not None and environ["REQUEST_METHOD"] == "PUT" and not dav.stored_as_sent:
        # RFC 6352 6.3.2.3 / RFC 4791 5.3.4: no ETag when the stored card is not the one sent
        # (the app merged or normalised it), so the client fetches what it now is.
        del response["ETag"]
    return response


def basic_credentials(request: HttpRequest) -> tuple[str, str] | None:
    scheme, _, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        login, _, password = (
            base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
        )
    except (ValueError, UnicodeDecodeError):
        return None
    return login, password


def unauthorized() -> HttpResponse:
    response = HttpResponse("Unauthorized: an app password is needed", status=401)
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def dav_request(
    request: HttpRequest, *, app_password: AppPassword, root: ET.Element | None, body: bytes
) -> DavRequest:
    """What the plugins need of this request (dav.context)."""
    etag_only, version = report_shape(root)
    environ = {"CONTENT_TYPE": request.META.get("CONTENT_TYPE", "")}
    put_text = decoded_body(environ, body) if request.method == "PUT" else None
    # A PUT's answer (its ETag, if any) is about the representation sent: in its own dialect.
    sent = SENT_VERSION.search(put_text or "")
    version = version or (sent and sent.group(1))
    return DavRequest(
        owner=app_password.owner,
        app_password=app_password,
        vcard_version=vcard_version_for(
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            report_version=version,
            accept=request.META.get("HTTP_ACCEPT", ""),
        ),
        now=clock.now(),
        method=request.method,
        etag_only=etag_only and request.method == "REPORT",
        put_text=put_text,
    )


def owned_path(path: str, *, owner: User) -> str | None:
    """``path`` as Radicale will read it ("." and ".." resolved), with the principal spelled as
    stored; None when it is not the owner's (the root, which lists only them, is)."""
    clean = pathutils.sanitize_path(path)
    parts = clean.strip("/").split("/", 1)
    if not parts[0]:
        return clean
    if parts[0].lower() != owner.email:
        return None
    return "/" + "/".join([owner.email, *parts[1:]]) + ("/" if clean.endswith("/") else "")


def not_found() -> HttpResponse:
    # The same answer for another account's paths as for paths that exist nowhere.
    return HttpResponseNotFound("The requested resource could not be found.")
