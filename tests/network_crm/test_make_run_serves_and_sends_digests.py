"""What `make run` starts (honcho with the Procfile: gunicorn, a Celery worker and beat) agrees
on the site's address and on its configuration: the digest the running worker sends links to the
port that is served, and the links work there.

The processes are started with the command and port variables the Makefile gives them (asked of
make itself), and read everything else from an env file, as they would from `.env`. The sweep
interval is longer than the test, so the digest can only come from the sweep beat queues as it
starts.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_signup
from contacts.models import Contact
from contacts.services import contact_save
from reminders.models import SchedulerHeartbeat
from tests.fixtures.processes import (
    BASE_DIR,
    LOCALHOST,
    STARTUP_TIMEOUT,
    ManagedProcess,
    SMTPServer,
    _register,
    free_port,
    subprocess_database_url,
    wait_for,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Longer than the test may take: a sweep within it is the one beat queues at start.
SWEEP_INTERVAL_SECONDS = 600
DIGEST_TIMEOUT = 90.0


def make(*args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", *args],
        cwd=BASE_DIR,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout


def make_run_command(port: int) -> tuple[list[str], dict[str, str]]:
    """`PORT=<port> make run`'s last command (honcho), and the variables make exports to it."""
    honcho = make("-n", "run", env_port := f"PORT={port}").strip().splitlines()[-1]
    assert "honcho" in honcho and "Procfile" in honcho, honcho
    # A second makefile read after the project's: a target printing what the recipes inherit.
    exported = make("-f", "Makefile", "-f", "-", env_port, "exported-env", stdin=EXPORTED_ENV)
    variables = dict(line.split("=", 1) for line in exported.split("\0") if "=" in line)
    exported = {
        name: value
        for name, value in variables.items()
        if os.environ.get(name) != value and not name.startswith(("MAKE", "MFLAGS"))
    }
    return shlex.split(honcho), exported


EXPORTED_ENV = "exported-env:\n\t@env -0\n"


def get(port: int, path: str) -> tuple[int, str] | None:
    conn = http.client.HTTPConnection(LOCALHOST, port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    except OSError:
        return None
    finally:
        conn.close()


@pytest.fixture
def make_run(request, smtp_server: SMTPServer, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """`make run`'s processes on a free port, configured by an env file; yields the port and
    the env file. Stopped (SIGTERM to honcho's group, then SIGKILL) before the database is
    flushed."""
    port = free_port()
    args, make_env = make_run_command(port)
    env_file = tmp_path / "crm.env"
    file_settings = {
        "DATABASE_URL": subprocess_database_url(),
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_TIMEOUT": "10",
        "SWEEP_INTERVAL_SECONDS": str(SWEEP_INTERVAL_SECONDS),
        "SECRET_KEY": "make-run-test-only-not-a-secret",
        "DEBUG": "false",
        # Plain static storage: the manifest one needs a collectstatic (see settings.py).
        "TESTING": "true",
    }
    env_file.write_text(
        "# As a .env would: the web, the worker and beat all read it.\n"
        + "".join(f"export {name}='{value}'\n" for name, value in file_settings.items())
    )
    var_dir = tmp_path / "var"
    env = {
        **{k: v for k, v in os.environ.items() if k not in file_settings and k != "SITE_URL"},
        **make_env,
        # What `PORT=<port> make run` has in its environment.
        "PORT": str(port),
        "ENV_FILE": str(env_file),
        "VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
    }
    honcho = ManagedProcess.start(
        name="honcho (make run)",
        args=args,
        log_path=tmp_path / "honcho.log",
        env=env,
        cwd=BASE_DIR,
    )
    _register(request, honcho)
    try:
        wait_for(
            lambda: (answer := get(port, reverse("login"))) and answer[0] == 200,
            timeout=STARTUP_TIMEOUT,
            message=lambda: f"nothing answers on port {port}. {honcho.describe()}",
        )
        yield port, var_dir
    finally:
        honcho.stop()


def _zone_where_it_is_midday(now: dt.datetime) -> str:
    # Far from midnight there, so the local date cannot change while the test runs.
    offset = (12 - now.hour + 12) % 24 - 12
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


@pytest.fixture
def owed_a_digest(transactional_db):
    """Alice, whose daily digest is owed now, with one person due."""
    started = timezone.now()
    zone = _zone_where_it_is_midday(started)
    user = user_signup(
        email="alice@example.com",
        password="correct horse battery staple",
        name="Alice Martin",
        time_zone=zone,
        now=started,
    )
    assert user.settings.next_digest_at <= started
    contact_save(
        contact=Contact(owner=user, name="Amara Diallo", cadence_days=7),
        today=started.astimezone(ZoneInfo(zone)).date() - dt.timedelta(days=30),
    )
    return user


def test_the_digest_sent_by_the_running_worker_links_to_the_served_port(
    owed_a_digest, make_run, smtp_server
):
    port, var_dir = make_run

    # The first sweep runs as beat starts, not an interval (10 minutes here) later.
    wait_for(
        lambda: SchedulerHeartbeat.objects.filter(name="sweep").exists(),
        timeout=60,
        message="no sweep ran after beat started",
    )
    [received] = smtp_server.wait_for_messages(1, timeout=DIGEST_TIMEOUT)
    assert received.rcpt_tos == ["alice@example.com"]
    body = received.message.get_body(("plain",)).get_content()
    # Done, Snooze and Log a coffee, and the List-Unsubscribe address.
    actions = re.findall(r"https?://\S+/reminders/act/\S+", body)
    unsubscribe = received.message["List-Unsubscribe"].strip("<>")
    assert len(actions) == 3, body

    for url in [*actions, unsubscribe]:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("http", f"{LOCALHOST}:{port}"), url
        # Each one answers there: the page asking to confirm (what a click opens).
        answer = get(port, parts.path)
        assert answer is not None, f"nothing answers {url}"
        status, page = answer
        assert status == 200, (url, page[:500])
        assert '<form method="post"' in page
        if url != unsubscribe:
            assert "Amara Diallo" in page

    # Their files went to the VAR_DIR they were given (beat's schedule, the embedded broker),
    # not to the suite's or the instance's.
    assert (var_dir / "celery-broker.sqlite3").exists()
    assert list(var_dir.glob("celerybeat-schedule*"))
    assert not list(Path(settings.VAR_DIR).glob("celerybeat-schedule*"))


@pytest.mark.parametrize(
    ("environment", "served"),
    [
        ({}, "9123"),
        ({"PORT": "9200"}, "9200"),
        ({"WEB_PORT": "9300"}, "9300"),
        # `PORT=9400 make run` in a shell that exports WEB_PORT (or under `make test`): PORT wins.
        ({"WEB_PORT": "9300", "PORT": "9400"}, "9400"),
    ],
)
def test_make_and_the_processes_read_the_port_from_the_same_env_file(tmp_path, environment, served):
    env_file = tmp_path / ".env"
    env_file.write_text("# the port\nexport WEB_PORT='9123'  # make run serves here\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PORT", "WEB_PORT", "SITE_URL")}
    env.update(ENV_FILE=str(env_file), **environment)
    # What make passes to the Procfile's processes...
    exported = subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", "Makefile", "-f", "-", "exported-env"],
        cwd=BASE_DIR,
        input=EXPORTED_ENV,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    variables = dict(line.split("=", 1) for line in exported.split("\0") if "=" in line)
    assert variables["WEB_PORT"] == served
    # ...is where their links point (a command run by hand, without make, reads the file alike).
    for process_env in ({**env, "WEB_PORT": variables["WEB_PORT"]}, env):
        result = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "--no-imports",
                "-c",
                "from django.conf import settings; print(settings.SITE_URL)",
            ],
            cwd=BASE_DIR,
            env={**process_env, "VAR_DIR": str(tmp_path / "var")},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        # PORT means nothing to the processes (honcho sets one per process): only WEB_PORT does.
        expected = process_env.get("WEB_PORT", "9123")
        assert result.stdout.strip() == f"http://127.0.0.1:{expected}"
