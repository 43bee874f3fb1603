"""Reading a saved link's page for its title and description (docs/architecture.md, "Give first").

The worker (giving/tasks.py) calls ``page_fetch``. It is careful because the address is typed by a
user: GET only, http and https only, every address (and every redirect, at most
MAX_REDIRECTS) checked to be public unless ``THINGS_ALLOW_PRIVATE``, the connection pinned to the
addresses just checked (network_crm/outbound.py), 5 s to connect, 10 s per read, at most
MAX_BYTES read, and the HTML parsed by the standard library's parser: nothing on the page runs.
"""

from __future__ import annotations

import http.client
import re
import ssl
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from network_crm.outbound import AddressRefused, connect_pinned, public_addresses

CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 10.0
TOTAL_SECONDS = 20.0
MAX_BYTES = 1_000_000
MAX_REDIRECTS = 3
TITLE_LIMIT = 300
DESCRIPTION_LIMIT = 1_000
USER_AGENT = "network-crm link preview (+https://github.com/network-crm)"
SETTING = "THINGS_ALLOW_PRIVATE"


class FetchFailed(ValueError):
    """Why a page could not be read, in words for the owner."""


@dataclass(frozen=True)
class PageInfo:
    title: str
    description: str


def _tidy(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit].strip()


class _HeadParser(HTMLParser):
    """<title>, og:title, og:description and the meta description; nothing else is kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title_parts: list[str] = []
        self.in_title = False
        self.seen_title = False
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.seen_title:
            self.in_title = True
        elif tag == "meta":
            values = {name.lower(): value or "" for name, value in attrs}
            key = (values.get("property") or values.get("name") or "").lower()
            if key in ("og:title", "og:description", "description") and key not in self.meta:
                self.meta[key] = values.get("content", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.in_title:
            self.in_title = False
            self.seen_title = True

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)


def page_info(html: str) -> PageInfo:
    """The title and description a page gives itself (Open Graph first), trimmed."""
    parser = _HeadParser()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError:  # the parser gives up on some broken markup; keep what it read
        pass
    title = parser.meta.get("og:title") or "".join(parser.title_parts)
    description = parser.meta.get("og:description") or parser.meta.get("description", "")
    return PageInfo(_tidy(title, TITLE_LIMIT), _tidy(description, DESCRIPTION_LIMIT))


_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode(body: bytes, charset: str | None) -> str:
    if not charset:
        found = _CHARSET.search(body[:4096])
        charset = found.group(1).decode("ascii") if found else "utf-8"
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _open(url: str, *, allow_private: bool) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchFailed("Only http and https links can be read.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchFailed("That link has a port that isn't a number.") from None
    try:
        addresses = public_addresses(
            parts.hostname, port, allow_private=allow_private, setting=SETTING
        )
    except AddressRefused as error:
        raise FetchFailed(str(error)) from None
    try:
        sock = connect_pinned(parts.hostname, addresses)(
            (parts.hostname, port), CONNECT_TIMEOUT_SECONDS
        )
    except OSError:
        raise FetchFailed(f"Could not connect to {parts.hostname}.") from None
    sock.settimeout(READ_TIMEOUT_SECONDS)
    if parts.scheme == "https":
        try:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
        except (OSError, ssl.SSLError):
            sock.close()
            raise FetchFailed(
                f"{parts.hostname}'s secure connection could not be set up."
            ) from None
    connection = http.client.HTTPConnection(parts.hostname, port, timeout=READ_TIMEOUT_SECONDS)
    connection.sock = sock  # already connected, to a checked address
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection.request(
        "GET",
        path,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"},
    )
    return connection.getresponse()


def page_fetch(url: str, *, allow_private: bool) -> PageInfo:
    """The page's title and description; FetchFailed says why not."""
    deadline = time.monotonic() + TOTAL_SECONDS
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response = _open(url, allow_private=allow_private)
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location", ""))
                response.close()
                continue
            break
        else:
            raise FetchFailed(f"The link redirected more than {MAX_REDIRECTS} times.")
        if response.status != 200:
            raise FetchFailed(f"The page answered {response.status} {response.reason}.")
        content_type = response.headers.get_content_type()
        if content_type not in ("text/html", "application/xhtml+xml"):
            raise FetchFailed(f"That link is a file ({content_type}), not a page.")
        chunks: list[bytes] = []
        size = 0
        while size < MAX_BYTES:
            if time.monotonic() > deadline:
                break
            chunk = response.read1(min(65_536, MAX_BYTES - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        response.close()
    except TimeoutError:
        raise FetchFailed("The page took too long to answer.") from None
    except (OSError, http.client.HTTPException):
        raise FetchFailed("The page could not be read.") from None
    info = page_info(_decode(b"".join(chunks), response.headers.get_content_charset()))
    if not info.title and not info.description:
        raise FetchFailed("The page has no title.")
    return info
