"""A real HTTP receiver on loopback for webhook tests, and the setting that lets us send to it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next of ``answers`` (status, seconds to wait first, extra
    headers), then 200s; keeps what it received."""

    host: str
    port: int
    answers: list[tuple[int, float, dict]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/hook"

    def answer(self, status: int, *, delay: float = 0.0, headers: dict | None = None) -> None:
        self.answers.append((status, delay, headers or {}))

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"The receiver got {len(self.received)} request(s), not {count}, "
                    f"within {timeout:g} s."
                )
            time.sleep(0.05)
        return self.received


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(host="127.0.0.1", port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, delay, headers = state.answers.pop(0) if state.answers else (200, 0.0, {})
            if delay:
                time.sleep(delay)
            state.received.append(Received(self.path, dict(self.headers.items()), body))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

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
    """The receiver is on loopback, which production refuses (docs/architecture.md "Webhooks")."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    settings.SITE_URL = "https://crm.example.com"
    return settings
