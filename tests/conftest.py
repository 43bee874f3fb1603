"""Shared fixtures: three users (alice, bob, charlie), frozen time, and a logged-in client.

Process fixtures (SMTP server, redis-server, Celery worker/beat, Chromium) live in
tests/fixtures/ and are loaded as plugins below. The suite's own VAR_DIR (and no .env) is set up
earlier, before Django's settings are read, by tests/hermetic.py.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine

from tests.factories import UserFactory

pytest_plugins = ["tests.fixtures.processes", "tests.fixtures.browser"]

# live_server runs Django in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A fixed, ordinary moment: a Saturday morning in UTC. Tests that care about "now" travel here
# (or elsewhere) explicitly, so they pass at any hour, on any date, in any machine time zone.
FROZEN_NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def frozen_now():
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", name="Alice Martin")


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com", name="Bob Okafor")


@pytest.fixture
def charlie(db):
    return UserFactory(email="charlie@example.com", name="Charlie Nguyen")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


def pytest_collection_modifyitems(config, items):
    # CI runs the suite twice (SQLite, PostgreSQL) within its time budget: the browser, API
    # fuzzing and DAV-client suites drive the same views on either database, so they run on the
    # SQLite pass only; ALL_PASSES=1 runs them on PostgreSQL too (docs/architecture.md, "Tests").
    from django.db import connection

    if connection.vendor == "sqlite" or os.environ.get("ALL_PASSES") == "1":
        return
    skip = pytest.mark.skip(
        reason="a one-pass suite: it runs on SQLite (ALL_PASSES=1 runs it here)"
    )
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("one_pass"):
            item.add_marker(skip)


def pytest_configure(config):
    # Property-based tests (hypothesis): a bounded, derandomised profile in CI, unless
    # --hypothesis-profile names one.
    from tests.hypothesis_profiles import load_profile

    if not config.getoption("hypothesis_profile", default=None):
        load_profile()
