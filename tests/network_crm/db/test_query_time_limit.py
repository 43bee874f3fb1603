"""No query holds a worker for long: a statement that runs past DB_STATEMENT_TIMEOUT_SECONDS is
cut, and its request answers a "took too long" page (503), not a server error."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

# Transactional: a cut statement aborts PostgreSQL's transaction, and the one a plain django_db
# test runs in would turn every later query of the test into an error, which requests (run in
# autocommit) never meet.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.network_crm.db.slow_query_urls"),
]


@pytest.fixture
def short_limit(settings):
    """A limit of half a second: on SQLite the progress handler reads the setting at each
    statement; PostgreSQL's statement_timeout is set on this connection until the test ends."""
    settings.DB_STATEMENT_TIMEOUT_SECONDS = 0.5
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 500")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="SQLite has no statement_timeout: the progress handler is tested below",
)
def test_postgresql_connections_get_the_configured_limit():
    assert settings.DB_STATEMENT_TIMEOUT_SECONDS == 30  # the default, documented in README
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
        # and no JIT compiling for short queries (network_crm/settings.py)
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_a_slow_query_is_cut_and_answers_a_took_too_long_page(alice_client, short_limit):
    response = alice_client.get("/slow/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "That took too long" in response.content.decode()
    # The connection is still good for the next request.
    assert alice_client.get("/").status_code == 200


def test_ordinary_queries_run_under_the_limit(alice_client, short_limit):
    assert alice_client.get("/contacts/").status_code == 200
