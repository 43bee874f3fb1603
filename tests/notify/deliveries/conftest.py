"""A real HTTP receiver on loopback standing in for a channel's server (Apprise json://) and
for a push service, users with people due, and their digests made by the real sweep."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from accounts.services import user_signup
from contacts.models import Contact
from contacts.services import contact_save
from notify.models import Channel, PushSubscription
from reminders.models import Digest
from reminders.services.sweep import sweep_run
from tests.notify.deliveries import standins


@dataclass
class Received:
    path: str
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next of ``answers`` meant for its path (or for any path):
    (path or None, status, seconds to wait first), then 200; keeps what it received.
    ``before_answer`` runs after a request is recorded."""

    port: int = 0
    answers: list[tuple[str | None, int, float]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    before_answer: Callable[[], None] | None = None

    def url(self, path: str = "hook") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def apprise_url(self, path: str = "hook", **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"json://127.0.0.1:{self.port}/{path}" + (f"?{query}" if query else "")

    def answer(self, status: int, *, delay: float = 0.0, path: str | None = None) -> None:
        self.answers.append((path, status, delay))

    def next_answer(self, path: str) -> tuple[int, float]:
        for index, (wanted, status, delay) in enumerate(self.answers):
            if wanted is None or wanted == path:
                del self.answers[index]
                return status, delay
        return 200, 0.0

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"got {len(self.received)} request(s), not {count}")
            time.sleep(0.05)
        return self.received


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, delay = state.next_answer(self.path)
            state.received.append(Received(self.path, body))
            if state.before_answer:
                state.before_answer()
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the client gave up waiting (the timeout tests)

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


@pytest.fixture(autouse=True)
def senders(monkeypatch, settings):
    """The receiver is on loopback, which production refuses (NOTIFY_ALLOW_PRIVATE)."""
    settings.NOTIFY_ALLOW_PRIVATE = True
    settings.SITE_URL = "https://crm.example.com"
    standins.install(monkeypatch)


def make_channel(owner, url: str, *, name: str = "My phone", enabled: bool = True) -> Channel:
    """A channel sending to ``url`` (an Apprise URL); encrypted when notify.secrets exists."""
    stored = url
    if standins.real("notify.secrets"):  # pragma: no cover - after A's territory is merged
        from notify import secrets

        stored = secrets.encrypt(url)
    return Channel.objects.create(
        owner=owner,
        name=name,
        scheme=url.split(":", 1)[0],
        url_encrypted=stored,
        url_hint=url.split("?", 1)[0],
        enabled=enabled,
    )


def make_subscription(owner, endpoint: str, *, label: str = "Chrome on Android"):
    return PushSubscription.objects.create(
        owner=owner, endpoint=endpoint, p256dh="BPublicKey", auth="authsecret", label=label
    )


def user_with_people_due(
    email: str, *, zone: str, now: dt.datetime, names=("Ana Lopez",), **settings_fields
):
    """A user in ``zone`` (daily digest at 08:00 unless told) with ``names`` long overdue."""
    user = user_signup(
        email=email,
        password="correct horse battery staple",
        name=email.split("@")[0].title(),
        time_zone=zone,
        now=now - dt.timedelta(days=40),
    )
    month_ago = (now - dt.timedelta(days=30)).date()
    for name in names:
        contact_save(contact=Contact(owner=user, name=name, cadence_days=7), today=month_ago)
    if settings_fields:
        from accounts.services import user_settings_update

        for key, value in settings_fields.items():
            setattr(user.settings, key, value)
        user_settings_update(user_settings=user.settings, now=now - dt.timedelta(days=40))
    return user


def sweep_digest(owner, now: dt.datetime) -> Digest | None:
    """Run the real sweep at ``now``; the owner's digest it created, if any."""
    report = sweep_run(now=now)
    return Digest.objects.filter(owner=owner, pk__in=report.digests_created).first()
