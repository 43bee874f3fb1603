"""A small web server on loopback that serves pages to read, and people with interests."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import ContactFactory, InterestFactory

PAGES: dict[str, tuple[int, dict[str, str], bytes, float]] = {
    "/page": (
        200,
        {"Content-Type": "text/html; charset=utf-8"},
        b"<html><head><title>  The   joy of\n jazz </title>"
        b'<meta name="description" content="Why we listen.">'
        b"<script>document.title='ran'</script></head><body>Hi</body></html>",
        0,
    ),
    "/og": (
        200,
        {"Content-Type": "text/html"},
        b'<html><head><meta property="og:title" content="Open &amp; Graph">'
        b'<meta property="og:description" content="&lt;b&gt;Bold&lt;/b&gt; claims">'
        b"<title>Plain title</title></head></html>",
        0,
    ),
    "/latin": (
        200,
        {"Content-Type": "text/html; charset=iso-8859-1"},
        "<title>Caf\u00e9 culture</title>".encode("latin-1"),
        0,
    ),
    "/redirect": (302, {"Location": "/page"}, b"", 0),
    "/loop": (302, {"Location": "/loop"}, b"", 0),
    "/to-private": (302, {"Location": "http://10.255.255.1/page"}, b"", 0),
    "/image": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n", 0),
    "/missing": (404, {"Content-Type": "text/html"}, b"<title>Not found</title>", 0),
    "/slow": (200, {"Content-Type": "text/html"}, b"<title>Slow</title>", 3.0),
    "/huge": (
        200,
        {"Content-Type": "text/html"},
        b"<html><head><title>Big page</title></head><body>" + b"x" * 5_000_000,
        0,
    ),
    "/late-title": (
        200,
        {"Content-Type": "text/html"},
        b"<html><body>" + b"y" * 1_200_000 + b"<title>Too late</title>",
        0,
    ),
}


@dataclass
class Site:
    host: str
    port: int
    requests: list[tuple[str, str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site(host="127.0.0.1", port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            state.requests.append(("GET", self.path))
            status, headers, body, delay = PAGES.get(
                self.path, (404, {"Content-Type": "text/plain"}, b"no", 0)
            )
            if delay:
                time.sleep(delay)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((state.host, 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def people(alice):
    """Alice's people and interests: Ana likes jazz and climbing, Ben jazz, Chloé climbing."""
    jazz = InterestFactory(owner=alice, name="Jazz")
    climbing = InterestFactory(owner=alice, name="Climbing")
    ana = ContactFactory(owner=alice, name="Ana Lima")
    ben = ContactFactory(owner=alice, name="Ben Okoro")
    chloe = ContactFactory(owner=alice, name="Chloé Martin")
    ana.interests.set([jazz, climbing])
    ben.interests.set([jazz])
    chloe.interests.set([climbing])
    return {"jazz": jazz, "climbing": climbing, "ana": ana, "ben": ben, "chloe": chloe}
