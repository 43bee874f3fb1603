"""Against gunicorn as the Procfile runs it (2 workers x 4 threads): the admin URL that used to
take the site down (a catastrophic regular expression, sent at once by more clients than there
are worker threads) leaves another visitor served within a second, and a query that would run
for minutes is cut at the time limit, so its worker is free again for the next visitor."""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ContactFactory
from tests.fixtures.processes import LOCALHOST
from tests.network_crm import test_twenty_clients_against_gunicorn as concurrent

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

gunicorn = concurrent.gunicorn  # the fixture: the Procfile's web process on a free port
THREADS = 2 * 4  # the Procfile's workers x threads: every one of them gets a bad request
TIME_LIMIT = 2  # DB_STATEMENT_TIMEOUT_SECONDS for this server


@dataclass
class Answer:
    status: int | None
    seconds: float
    error: str = ""


def get(port: int, path: str, *, session: str = "", timeout: float = 30.0) -> Answer:
    conn = http.client.HTTPConnection(LOCALHOST, port, timeout=timeout)
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"} if session else {}
    started = time.monotonic()
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return Answer(response.status, time.monotonic() - started)
    except OSError as exc:
        return Answer(None, time.monotonic() - started, f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


def in_parallel(port: int, path: str, session: str, *, timeout: float) -> tuple[list, list]:
    """THREADS requests for ``path`` at once; returns the threads and their answers (filled in
    as they come)."""
    answers: list[Answer] = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(get(port, path, session=session, timeout=timeout))
        )
        for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    return threads, answers


@pytest.fixture
def server(request, monkeypatch):
    """gunicorn with a short time limit and a /slow/ page."""
    procfile_env = concurrent.gunicorn_env
    monkeypatch.setattr(
        concurrent,
        "gunicorn_env",
        lambda var_dir: {
            **procfile_env(var_dir),
            "DJANGO_SETTINGS_MODULE": "tests.network_crm.db.slow_query_settings",
            "DB_STATEMENT_TIMEOUT_SECONDS": str(TIME_LIMIT),
        },
    )
    return request.getfixturevalue("gunicorn")


def assert_log_clean(server, troubles=("WORKER TIMEOUT", "Traceback", "Internal Server Error")):
    process = server.process
    assert process.running, f"gunicorn died. {process.describe()}"
    log = process.log_text()
    for trouble in troubles:
        assert trouble not in log, f"gunicorn logged {trouble!r}. {process.describe()}"


def test_the_catastrophic_regex_leaves_another_visitor_served_within_a_second(server, alice, bob):
    ContactFactory(owner=alice, name="a" * 28 + "!")  # ^(a+)+$ tries 2^28 ways to match it
    attack = (
        reverse("admin:contacts_contact_changelist") + "?" + urlencode({"name__regex": "^(a+)+$"})
    )
    threads, answers = in_parallel(
        server.port, attack, concurrent.session_cookie(alice), timeout=10
    )
    time.sleep(0.2)  # the attack is in: every worker thread has one
    visitor = get(server.port, reverse("contacts:list"), session=concurrent.session_cookie(bob))
    for thread in threads:
        thread.join(timeout=30)

    assert visitor.status == 200, visitor
    assert visitor.seconds < 1.0, visitor
    assert [answer.status for answer in answers] == [400] * THREADS, answers
    # (Django's security log records each refused lookup, with its traceback.)
    assert_log_clean(server, troubles=("WORKER TIMEOUT", "Internal Server Error"))


def test_a_query_running_for_minutes_is_cut_and_its_worker_serves_the_next_visitor(
    server, alice, bob
):
    threads, answers = in_parallel(
        server.port, "/slow/", concurrent.session_cookie(alice), timeout=60
    )
    time.sleep(0.2)  # every worker thread is running a query that would take minutes
    visitor = get(server.port, reverse("contacts:list"), session=concurrent.session_cookie(bob))
    for thread in threads:
        thread.join(timeout=90)

    # A gthread worker accepts connections beyond its 4 threads and queues them, so one worker may
    # hold all 8 slow requests: they are cut in two waves, and the visitor may wait behind both.
    # What matters is the scale: seconds (the limit), never the two minutes each query wanted.
    waves = THREADS // 4
    assert [answer.status for answer in answers] == [503] * THREADS, answers
    assert max(answer.seconds for answer in answers) < waves * TIME_LIMIT + 5, answers
    assert visitor.status == 200, visitor
    assert visitor.seconds < waves * TIME_LIMIT + 2.0, visitor
    # Cut queries are logged as warnings for the operator, not as errors with a traceback.
    assert_log_clean(server)
    assert "A query took too long and was cut" in server.process.log_text()
