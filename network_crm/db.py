"""Portable date arithmetic for set-based updates (SQLite and PostgreSQL)."""

from __future__ import annotations

from django.db import models
from django.db.models import Func


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
