"""A real HTTP receiver on loopback standing in for a channel's server (Apprise's json://), and
the setting that lets channels reach it (production refuses loopback)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notify.models import Channel
from notify.services.channels import channel_create


@dataclass
class Receiver:
    """Answers each POST with the next of ``answers`` (status, seconds to wait first), then 200s;
    keeps the JSON bodies it received."""

    port: int = 0
    answers: list[tuple[int, float]] = field(default_factory=list)
    received: list[dict] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    def url(self, path: str = "digest", *, secret: str = "") -> str:
        userinfo = f"bot:{secret}@" if secret else ""
        return f"json://{userinfo}127.0.0.1:{self.port}/{path}"

    def answer(self, status: int, *, delay: float = 0.0) -> None:
        self.answers.append((status, delay))


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, delay = state.answers.pop(0) if state.answers else (200, 0.0)
            if delay:
                time.sleep(delay)
            state.paths.append(self.path)
            state.received.append(json.loads(body or b"{}"))
            try:
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:  # the client gave up waiting (the timeout test)
                pass

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def allow_private(settings):
    settings.NOTIFY_ALLOW_PRIVATE = True
    settings.SITE_URL = "https://crm.example.com"
    return settings


SECRET = "s3cr3t-T0ken-9f8e7d"


@pytest.fixture
def alice_channel(alice, receiver, allow_private) -> Channel:
    return channel_create(owner=alice, name="Home ntfy", url=receiver.url(secret=SECRET))
