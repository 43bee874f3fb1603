"""Database helpers: portable date arithmetic for set-based updates (SQLite and PostgreSQL),
and the time limit on every statement."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import models
from django.db.models import Func
from django.db.utils import DatabaseError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


class AddDays(Func):
    """``date + days`` as a date; NULL when either side is NULL."""

    arity = 2
    output_field = models.DateField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # date('2026-01-01', '+30 days') -> '2026-01-31', the format Django stores DateFields in.
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        # date + integer is a date in PostgreSQL.
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra_context
        )


class DaysDiff(Func):
    """``later - earlier`` in whole days: ``DaysDiff(later, earlier)``."""

    arity = 2
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra_context
        )


# --- A time limit on every statement -------------------------------------------------------
# One query must not hold a web worker (or a database connection) for minutes: a statement
# that runs longer than settings.DB_STATEMENT_TIMEOUT_SECONDS is cut. PostgreSQL does it
# itself (statement_timeout, set in the connection options by settings.py); on SQLite a
# progress handler, called every few thousand virtual-machine steps, interrupts a statement
# once its time is up. The request that ran it gets a 503 page (QueryTimeoutMiddleware).

_PROGRESS_STEPS = 10_000  # SQLite VM instructions between two looks at the clock (bench/NOTES.md)
_POSTGRES_QUERY_CANCELED = "57014"


def _start_statement_clock(execute, sql, params, many, context):
    connection = context["connection"]
    budget = settings.DB_STATEMENT_TIMEOUT_SECONDS
    # Kept until the next statement: the rows SQLite computes while they are fetched count too.
    connection.statement_deadline = time.monotonic() + budget if budget else None
    return execute(sql, params, many, context)


def limit_statement_time(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: cut SQLite statements that run past the budget."""
    if connection.vendor != "sqlite":
        return
    connection.statement_deadline = None

    def out_of_time() -> bool:
        deadline = connection.statement_deadline
        return deadline is not None and time.monotonic() > deadline

    connection.connection.set_progress_handler(out_of_time, _PROGRESS_STEPS)
    if _start_statement_clock not in connection.execute_wrappers:
        # First, not last: execute_wrapper() blocks pop the last wrapper when they end.
        connection.execute_wrappers.insert(0, _start_statement_clock)


def is_statement_timeout(error: BaseException) -> bool:
    """Whether ``error`` is a statement cut by the time limit (on SQLite or PostgreSQL)."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    return str(error) == "interrupted" or getattr(cause, "sqlstate", None) == (
        _POSTGRES_QUERY_CANCELED
    )


class QueryTimeoutMiddleware:
    """A request whose query was cut answers "this took too long" (503), not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_statement_timeout(exception):
            return None
        logger.warning("A query took too long and was cut: %s %s", request.method, request.path)
        try:
            response = render(request, "query_timeout.html", status=503)
        except DatabaseError:  # the page reads the session; a broken transaction can't
            response = HttpResponse(
                "That took too long. Try again in a minute.", content_type="text/plain", status=503
            )
        response["Retry-After"] = "60"
        return response
