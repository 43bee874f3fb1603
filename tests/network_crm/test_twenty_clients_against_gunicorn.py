"""Twenty people at once against gunicorn as the Procfile runs it (gunicorn.conf.py: 2 workers x
4 threads, DEBUG off) on loopback, on the database the suite runs on (SQLite in WAL mode, or PostgreSQL).

Each client has a session and cookies of its own and does what a browser does: it opens the
new-contact form, then ten times adds a person and logs a coffee through the contact page's htmx
form, every other time from the new person's page (following the redirect) with them, otherwise
with one of three people every client logs with at the same moments. What is checked is what
the people get: no 5xx (not even a clean 503), no "database is locked" or traceback in
gunicorn's log, and every create answered as saved is in the database exactly once, with nothing
else there.
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, ContactMethod
from interactions.models import ActivityDay, Interaction
from tests.factories import ContactFactory, UserFactory
from tests.fixtures.processes import (
    BASE_DIR,
    LOCALHOST,
    STARTUP_TIMEOUT,
    ManagedProcess,
    _register,
    free_port,
    subprocess_database_url,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CLIENTS = 20
ROUNDS = 10  # each round: one contact created, one interaction logged
SHARED_CONTACTS = 3
REQUEST_TIMEOUT = 60.0  # longer than SQLite's busy timeout (30 s): a wait must show as a wait
CONTACT_PATH = re.compile(r"^/contacts/(\d+)/$")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- gunicorn --------------------------------------------------------------------------------


def procfile_web_command(port: int) -> list[str]:
    """The Procfile's `web` command, listening on ``port``, with the venv's gunicorn."""
    line = next(
        line for line in (BASE_DIR / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    args = shlex.split(re.sub(r"\$\{WEB_PORT(:-\d+)?\}", str(port), line.removeprefix("web:")))
    assert Path(args[0]).name == "gunicorn", f"the Procfile's web process is not gunicorn: {line}"
    assert args[args.index("--bind") + 1] == f"{LOCALHOST}:{port}", f"unexpected --bind: {line}"
    # No control socket: by default every gunicorn shares ~/.gunicorn/gunicorn.ctl.
    return [str(Path(sys.executable).with_name("gunicorn")), *args[1:], "--no-control-socket"]


def gunicorn_env(var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "network_crm.settings",
        "DATABASE_URL": subprocess_database_url(),
        "VAR_DIR": str(var_dir),
        # The sessions made in this process are signed with this key.
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        # Plain static storage: the manifest one needs a collectstatic, which has nothing to do
        # with the database (TESTING changes only that and the password hasher).
        "TESTING": "true",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }


def get_status(port: int, path: str) -> int | None:
    conn = http.client.HTTPConnection(LOCALHOST, port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except OSError:
        return None
    finally:
        conn.close()


@dataclass
class Server:
    port: int
    process: ManagedProcess


@pytest.fixture
def gunicorn(request: pytest.FixtureRequest, transactional_db, tmp_path: Path) -> Iterator[Server]:
    """gunicorn serving the test database on a free port; stopped before pytest-django empties
    the database, also when it fails to start."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    env = gunicorn_env(var_dir)
    started: list[ManagedProcess] = []
    try:
        for attempt in range(1, 4):  # another process may take the free port before gunicorn
            port = free_port()
            process = ManagedProcess.start(
                name=f"gunicorn ({attempt})",
                args=procfile_web_command(port),
                log_path=tmp_path / f"gunicorn-{attempt}.log",
                env=env,
                cwd=BASE_DIR,
            )
            started.append(process)
            _register(request, process)
            state = wait_for(
                lambda p=process, port=port: startup_state(p, port),
                timeout=STARTUP_TIMEOUT,
                message=lambda p=process: f"gunicorn not answering. {p.describe()}",
            )
            if state == "ready":
                break
            process.stop()
            if state != "port taken":
                pytest.fail(f"gunicorn exited at start. {process.describe()}", pytrace=False)
        else:
            pytest.fail("gunicorn found no free port in 3 attempts.", pytrace=False)
        yield Server(port=port, process=process)
    finally:
        for process in started:
            process.stop()


def startup_state(process: ManagedProcess, port: int) -> str:
    """Empty while gunicorn starts; "ready" once it listens on ``port`` with both workers booted
    and answers; "port taken" or "exited" if it cannot start."""
    log = process.log_text()
    if "Connection in use" in log:
        return "port taken"
    if not process.running:
        return "exited"
    if f"Listening at: http://{LOCALHOST}:{port}" not in log or log.count("Booting worker") < 2:
        return ""
    status = get_status(port, reverse("login"))
    return "ready" if status is not None and status < 500 else ""


# --- One person with a browser ------------------------------------------------------------


@dataclass
class Outcome:
    client: int
    method: str
    path: str
    expected: int
    htmx: bool = False
    created: str = ""  # the unique name or note a create sent
    status: int | None = None  # None: no answer (refused, reset, timed out)
    error: str = ""
    location: str = ""
    hx_trigger: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        # htmx gets 200 for a form with errors too: a logged interaction also triggers the event.
        return self.status == self.expected and (
            not self.htmx or "contactChanged" in self.hx_trigger
        )

    def __str__(self) -> str:
        what = self.error or f"{self.status} (expected {self.expected}) {self.hx_trigger}"
        method = self.method + (" (htmx)" if self.htmx else "")
        return f"client {self.client}: {method} {self.path} -> {what} {self.created}"


@dataclass
class Person:
    """One client: its own cookies (session, CSRF, messages), a new connection per request."""

    number: int
    port: int
    cookies: dict[str, str]
    outcomes: list[Outcome] = field(default_factory=list)
    csrf_token: str = ""

    def send(
        self,
        method: str,
        path: str,
        *,
        expected: int,
        form: dict | None = None,
        htmx: bool = False,
        created: str = "",
    ) -> Outcome:
        outcome = Outcome(self.number, method, path, expected, htmx, created)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({"csrfmiddlewaretoken": self.csrf_token, **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{LOCALHOST}:{self.port}"
        if htmx:
            headers["HX-Request"] = "true"
        conn = http.client.HTTPConnection(LOCALHOST, self.port, timeout=REQUEST_TIMEOUT)
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            outcome.status = response.status
            outcome.location = response.getheader("Location", "")
            outcome.hx_trigger = response.getheader("HX-Trigger", "")
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            if token := CSRF_INPUT.search(text):
                self.csrf_token = token.group(1)
        except Exception as exc:  # noqa: BLE001 - every failure is an outcome to report
            outcome.error = f"{type(exc).__name__}: {exc}"
        finally:
            conn.close()
        outcome.seconds = time.monotonic() - started
        self.outcomes.append(outcome)
        return outcome

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)  # deleted, e.g. messages once shown
                else:
                    self.cookies[name] = morsel.coded_value  # as sent, quoted if it was

    def work(self, *, run: str, shared: list[int], start: threading.Barrier) -> None:
        """Open the new-contact form, then ROUNDS times: add a person and log a coffee (as the
        contact page's htmx form does), on even rounds from the new person's page, with them,
        on odd rounds with one of the shared contacts."""
        start.wait()
        self.send("GET", reverse("contacts:create"), expected=200)
        for round_ in range(ROUNDS):
            name = f"Client{self.number} Contact{round_} {run}"
            created = self.send(
                "POST",
                reverse("contacts:create"),
                expected=302,
                created=name,
                form={
                    "name": name,
                    "cadence_days": "7",
                    "methods-TOTAL_FORMS": "1",
                    "methods-INITIAL_FORMS": "0",
                    "methods-0-kind": "email",
                    "methods-0-value": f"c{self.number}.{round_}@example.com",
                    "dates-TOTAL_FORMS": "0",
                    "dates-INITIAL_FORMS": "0",
                },
            )
            own = CONTACT_PATH.match(urlsplit(created.location).path)
            if own and round_ % 2 == 0:
                # To their page (the redirect, as a browser follows it) and log with them there.
                self.send("GET", own.group(0), expected=200)
                contact_pk = int(own.group(1))
            else:
                # Every other interaction is with a person all the clients are logging with.
                contact_pk = shared[(self.number + round_) % len(shared)]
            note = f"Client{self.number} Interaction{round_} {run}"
            self.send(
                "POST",
                reverse("interactions:log", args=[contact_pk]),
                expected=200,
                htmx=True,
                created=note,
                form={"kind": "coffee", "occurred_on": "", "notes": note},
            )


def session_cookie(user) -> str:
    """A session of its own for ``user``, as a login would leave it (saved in the database)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# --- The tests --------------------------------------------------------------------------------


def test_every_response_closes_its_connection(gunicorn):
    """gunicorn.conf.py turns keep-alive off: a connection kept open stays with the process that
    accepted it, and a client that opens its connections at once (a browser, a proxy's pool, wrk)
    could land them all on one of the two workers (docs/decisions/0014)."""
    conn = http.client.HTTPConnection(LOCALHOST, gunicorn.port, timeout=REQUEST_TIMEOUT)
    try:
        for _ in range(3):  # http.client opens a new connection after each close
            conn.request("GET", reverse("login"), headers={"Connection": "keep-alive"})
            response = conn.getresponse()
            response.read()
            assert response.status < 400
            assert response.getheader("Connection") == "close"
            assert conn.sock is None  # closed by the response, not kept for the next request
    finally:
        conn.close()


def test_twenty_clients_create_contacts_and_interactions_at_once(gunicorn):
    user = UserFactory(email="busy@example.com", name="Busy Person")
    shared = [
        ContactFactory(owner=user, name=f"Shared {n}", cadence_days=7).pk
        for n in range(SHARED_CONTACTS)
    ]
    run = uuid.uuid4().hex[:12]
    people = [
        Person(number, gunicorn.port, {settings.SESSION_COOKIE_NAME: session_cookie(user)})
        for number in range(CLIENTS)
    ]
    start = threading.Barrier(CLIENTS, timeout=60)
    threads = [
        threading.Thread(target=person.work, kwargs={"run": run, "shared": shared, "start": start})
        for person in people
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.monotonic() - began
    assert not any(thread.is_alive() for thread in threads), "a client never finished"

    outcomes = [outcome for person in people for outcome in person.outcomes]
    timings: dict[str, list[float]] = {}
    for outcome in outcomes:
        kind = outcome.method + (" (htmx)" if outcome.htmx else "")
        timings.setdefault(kind, []).append(outcome.seconds)
    timings = {kind: sorted(seconds) for kind, seconds in sorted(timings.items())}
    print(
        f"\n{connection.vendor}: {len(outcomes)} requests by {CLIENTS} clients in {elapsed:.1f} s; "
        f"statuses {dict(Counter(o.status for o in outcomes))}; seconds (median/max): "
        + ", ".join(f"{k} {v[len(v) // 2]:.2f}/{v[-1]:.2f}" for k, v in timings.items())
    )

    # Every request answered, and answered as a browser expects: no 5xx (not even a 503).
    failed = [outcome for outcome in outcomes if not outcome.ok]
    assert not failed, f"{len(failed)} of {len(outcomes)} requests failed:\n" + "\n".join(
        map(str, failed[:20])
    )
    assert len(outcomes) == CLIENTS * (1 + 2 * ROUNDS + ROUNDS // 2)

    # Every create answered as saved is in the database, once; nothing else is.
    names = {o.created: o.location for o in outcomes if o.ok and " Contact" in o.created}
    notes = {o.created: o.path for o in outcomes if o.ok and " Interaction" in o.created}
    assert len(names) == len(notes) == CLIENTS * ROUNDS
    saved = Contact.objects.filter(owner=user, name__endswith=run)
    assert Counter(saved.values_list("name", flat=True)) == Counter(list(names))
    assert Contact.objects.filter(owner=user).count() == len(names) + SHARED_CONTACTS
    # The page each create redirected to is the contact it made.
    assert {name: f"/contacts/{pk}/" for name, pk in saved.values_list("name", "pk")} == {
        name: urlsplit(location).path for name, location in names.items()
    }
    # With its way to reach them: the whole form was saved, not part of it.
    assert ContactMethod.objects.filter(contact__in=saved).count() == len(names)

    logged = Interaction.objects.filter(owner=user, notes__endswith=run)
    assert Counter(logged.values_list("notes", flat=True)) == Counter(list(notes))
    assert Interaction.objects.filter(owner=user).count() == len(notes)
    # Each with the one person it was logged for (half of them with the shared people).
    links = Interaction.contacts.through.objects.filter(interaction__in=logged)
    assert sorted(links.values_list("interaction__notes", "contact_id")) == sorted(
        (note, int(path.rstrip("/").rsplit("/", 1)[1])) for note, path in notes.items()
    )
    assert links.filter(contact_id__in=shared).count() == CLIENTS * ROUNDS // 2

    # Each contact's "last interaction" is the latest of its interactions (none lost in a race).
    for contact in Contact.objects.filter(owner=user).annotate(
        latest=Max("interactions__occurred_on")
    ):
        assert contact.last_interaction_on == contact.latest, contact.name

    # The dashboard's per-day counts saw every one of them, however the writes interleaved.
    days = Counter(Interaction.objects.filter(owner=user).values_list("occurred_on", flat=True))
    assert {
        day: total
        for day, total in ActivityDay.objects.filter(owner=user).values_list("day", "total")
        if total
    } == dict(days)

    server = gunicorn.process
    assert server.running, f"gunicorn died. {server.describe()}"
    log = server.log_text()
    for trouble in ("database is locked", "Traceback", "WORKER TIMEOUT", "Internal Server Error"):
        assert trouble not in log, f"gunicorn logged {trouble!r}. {server.describe()}"
