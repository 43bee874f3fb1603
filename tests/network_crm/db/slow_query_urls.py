"""The project's URLs plus /slow/, a page whose one query runs for minutes unless it is cut.

Used by the query time limit's tests (through the test client and a live gunicorn).
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from network_crm.urls import urlpatterns as project_urlpatterns

# Counts to ten billion on SQLite: minutes of work in one statement, and nothing to fetch.
SQLITE_SLOW = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000) "
    "SELECT count(*) FROM n"
)
POSTGRES_SLOW = "SELECT pg_sleep(120)"


def slow(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_SLOW if connection.vendor == "sqlite" else POSTGRES_SLOW)
        cursor.fetchall()
    return HttpResponse("finished")


urlpatterns = [*project_urlpatterns, path("slow/", slow)]
