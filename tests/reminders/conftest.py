"""Fixtures for the reminder-engine tests: the in-process Celery app pointed at a given broker,
a Celery cluster with any number of workers, an SMTP server that can hold its reply to DATA, and
a private redis-server that can be stopped and started again on the same port.

They build on tests/fixtures/processes.py (ManagedProcess, wait_for, the logs attached to a
failing test's report) and start nothing that is not torn down by the test that asked for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.fixtures.processes import (
    BASE_DIR,
    LOCALHOST,
    REDIS_SERVER,
    STARTUP_TIMEOUT,
    ManagedProcess,
    ReceivedMessage,
    RedisServer,
    SMTPServer,
    _celery,
    _CollectingHandler,
    _register,
    celery_env,
    forget_broker_connections,
    free_port,
    wait_for,
)

# What settings.py gives a redis broker (CELERY_BROKER_TRANSPORT_OPTIONS): the test settings
# were loaded with the embedded broker, so a test pointing the app at redis sets them itself.
REDIS_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
}


# --- The in-process Celery app --------------------------------------------------------------


@pytest.fixture
def celery_broker() -> Iterator[Callable[[str], None]]:
    """Call it with a redis URL to point the in-process Celery app (publishing, /health/) there;
    the configured broker is restored after the test."""
    from network_crm import celery_app

    saved = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)

    def point_at(url: str) -> None:
        forget_broker_connections(celery_app)
        celery_app.conf.broker_url = url
        celery_app.conf.broker_transport_options = dict(REDIS_TRANSPORT_OPTIONS)

    yield point_at
    forget_broker_connections(celery_app)
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved


# --- Celery worker(s) and beat as subprocesses -------------------------------------------------


@dataclass
class CeleryCluster:
    """Workers and beat sharing one environment; more workers can join later."""

    env: dict[str, str]
    tmp_path: Path
    request: pytest.FixtureRequest
    workers: list[ManagedProcess] = field(default_factory=list)
    beat: ManagedProcess | None = None
    _all: list[ManagedProcess] = field(default_factory=list)

    def start_worker(self) -> ManagedProcess:
        number = len(self._all) + 1
        worker = ManagedProcess.start(
            name=f"celery worker {number}",
            args=_celery(
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                f"--hostname=engine-{os.getpid()}-{number}@%h",
                "--loglevel=INFO",
            ),
            log_path=self.tmp_path / f"celery-worker-{number}.log",
            env=self.env,
            cwd=BASE_DIR,
        )
        self._all.append(worker)
        self.workers.append(worker)
        _register(self.request, worker)
        worker.wait_for_log(" ready.")
        return worker

    def start_beat(self) -> ManagedProcess:
        beat = ManagedProcess.start(
            name="celery beat",
            args=_celery(
                "beat",
                f"--schedule={self.tmp_path / 'celerybeat-schedule'}",
                f"--pidfile={self.tmp_path / 'celerybeat.pid'}",
                "--loglevel=INFO",
            ),
            log_path=self.tmp_path / "celery-beat.log",
            env=self.env,
            cwd=BASE_DIR,
        )
        self._all.append(beat)
        self.beat = beat
        _register(self.request, beat)
        beat.wait_for_log("beat: Starting...")
        return beat

    def kill(self, process: ManagedProcess) -> None:
        """SIGKILL, as the OOM killer or a power cut would: no clean-up, no acks."""
        process._signal_group(signal.SIGKILL)
        process.popen.wait(5)
        if process in self.workers:
            self.workers.remove(process)

    def assert_running(self) -> None:
        for process in [*self.workers, *([self.beat] if self.beat else [])]:
            assert process.running, f"{process.name} died. {process.describe()}"

    def stop_all(self) -> None:
        # Beat first, so it queues nothing for workers that are gone.
        for process in reversed(self._all):
            process.stop()


@pytest.fixture
def celery_cluster(
    request: pytest.FixtureRequest, transactional_db, tmp_path: Path
) -> Iterator[Callable[..., CeleryCluster]]:
    """A factory: ``celery_cluster(broker_url=..., smtp=..., workers=2, env={...})`` starts that
    many workers and a beat (sweep every 2 s) on the test database. Everything it started is
    stopped (SIGTERM, then SIGKILL) before pytest-django flushes the database."""
    clusters: list[CeleryCluster] = []

    def start(
        *,
        broker_url: str,
        smtp: SMTPServer,
        workers: int = 1,
        beat: bool = True,
        env: dict[str, str] | None = None,
    ) -> CeleryCluster:
        var_dir = tmp_path / f"var-{len(clusters)}"
        var_dir.mkdir()
        cluster = CeleryCluster(
            env=celery_env(broker_url=broker_url, smtp=smtp, var_dir=var_dir, **(env or {})),
            tmp_path=tmp_path,
            request=request,
        )
        clusters.append(cluster)
        for _ in range(workers):
            cluster.start_worker()
        if beat:
            cluster.start_beat()
        return cluster

    try:
        yield start
    finally:
        for cluster in clusters:
            cluster.stop_all()


# --- An SMTP server that can hold its reply to DATA ------------------------------------------


class _HoldingHandler(_CollectingHandler):
    """Collects messages like the plain one, except that while ``hold`` is set it keeps the
    client waiting for its reply to DATA (until ``release``) and never counts that message."""

    def __init__(self, messages: list[ReceivedMessage]) -> None:
        super().__init__(messages)
        self.hold = threading.Event()
        self.release = threading.Event()
        self.holding = threading.Event()  # a client is waiting for our reply right now
        self.held: list[ReceivedMessage] = []
        # While set, QUIT goes unanswered (until ``release``): the message was accepted, but the
        # client's session ends in a timeout.
        self.hang_on_quit = threading.Event()

    async def handle_QUIT(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        while self.hang_on_quit.is_set() and not self.release.is_set():
            await asyncio.sleep(0.05)
        return "221 Bye"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        if not self.hold.is_set():
            return await super().handle_DATA(server, session, envelope)
        raw = bytes(envelope.content)
        self.held.append(
            ReceivedMessage(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                message=email.message_from_bytes(raw, policy=email.policy.default),
                raw=raw,
            )
        )
        self.holding.set()
        while not self.release.is_set():  # the event loop keeps serving other clients
            await asyncio.sleep(0.05)
        return "451 Requested action aborted: try again later"


@dataclass
class HoldingSMTPServer(SMTPServer):
    handler: _HoldingHandler | None = None


@pytest.fixture
def holding_smtp_server() -> Iterator[HoldingSMTPServer]:
    """Like ``smtp_server``; ``.handler.hold.set()`` makes it hold the next replies to DATA,
    ``.handler.hang_on_quit.set()`` leaves QUIT unanswered."""
    from aiosmtpd.controller import Controller

    messages: list[ReceivedMessage] = []
    handler = _HoldingHandler(messages)
    for _attempt in range(5):
        port = free_port()
        controller = Controller(handler, hostname=LOCALHOST, port=port, ready_timeout=10)
        try:
            controller.start()
        except (OSError, RuntimeError, TimeoutError):
            continue
        break
    else:
        pytest.fail(f"Could not start aiosmtpd on {LOCALHOST}.", pytrace=False)
    try:
        yield HoldingSMTPServer(host=LOCALHOST, port=port, messages=messages, handler=handler)
    finally:
        handler.release.set()
        controller.stop()


# --- A private redis-server that can be stopped and started again ---------------------------


@dataclass
class RestartableRedis(RedisServer):
    directory: Path = Path()
    starts: int = 0
    request: pytest.FixtureRequest | None = None

    def stop(self) -> None:
        self.process.stop()
        wait_for(
            lambda: not self.ping(),
            timeout=10,
            message=f"redis-server still answering on port {self.port} after stop",
        )

    def start(self) -> None:
        """Start it again on the same port (SO_REUSEADDR lets it bind at once)."""
        self.starts += 1
        self.process = _redis_process(self.directory, self.port, self.starts)
        if self.request is not None:
            _register(self.request, self.process)
        wait_for(
            lambda: self.ping() or (not self.process.running and "exited"),
            timeout=STARTUP_TIMEOUT,
            message=lambda: f"redis-server not answering on {self.port}. {self.process.describe()}",
        )
        assert self.process.running, f"redis-server did not restart. {self.process.describe()}"


def _redis_process(directory: Path, port: int, attempt: int) -> ManagedProcess:
    options = {
        "port": str(port),
        "bind": LOCALHOST,
        "save": "",
        "appendonly": "no",
        "dir": str(directory),
        "daemonize": "no",
        "protected-mode": "yes",
    }
    return ManagedProcess.start(
        name=f"private redis-server ({attempt})",
        args=[str(REDIS_SERVER), *(arg for k, v in options.items() for arg in (f"--{k}", v))],
        log_path=directory / f"redis-server-{attempt}.log",
        cwd=directory,
    )


@pytest.fixture
def restartable_redis(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RestartableRedis]:
    """A redis-server of this test's own (never the machine's, never the session's shared one)."""
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.skip(f"{REDIS_SERVER} is not installed")
    directory = tmp_path_factory.mktemp("restartable-redis")
    server = None
    for attempt in range(1, 4):
        port = free_port()
        process = _redis_process(directory, port, attempt)
        candidate = RestartableRedis(
            host=LOCALHOST,
            port=port,
            process=process,
            directory=directory,
            starts=attempt,
            request=request,
        )
        wait_for(
            lambda c=candidate: c.ping() or not c.process.running,
            timeout=STARTUP_TIMEOUT,
            message=lambda c=candidate: f"redis-server did not start. {c.process.describe()}",
        )
        if candidate.process.running:
            server = candidate
            break
    if server is None:
        pytest.fail("redis-server found no free port in 3 attempts.", pytrace=False)
    _register(request, server.process)
    try:
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.process.stop()
