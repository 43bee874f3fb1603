"""Model instances from a raw statement's rows, as the ORM would have loaded them.

Building a query costs the ORM ~0.5–2 ms of Python (more with joins and filters) for SQL that
often takes a tenth of that (issue 21, bench/NOTES.md). A hot read can write its statement by
hand and still hand back model instances: ``columns(Model, "alias")`` lists every concrete column
of the model, in field order, and ``load(Model, row, start)`` makes the instance from that slice
of the row, through the same converters the ORM applies (booleans and aware datetimes on SQLite,
for instance), so an instance loaded here is equal, field for field, to one the ORM loads.

    sql = f"SELECT {columns(Reminder, 'r')}, {columns(Contact, 'c')} FROM ... "
    reminder = load(Reminder, row, 0)
    reminder.contact = load(Contact, row, width(Reminder))
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


@functools.cache
def _spec(
    model: type[Model], vendor: str
) -> tuple[list[str], list[tuple[int, Any, list[Callable]]]]:
    """The model's attribute names in field order, and per column that needs them (by index)
    the converters the ORM's compiler would run (backend's, then the field's)."""
    fields = model._meta.concrete_fields
    converting = []
    for index, field in enumerate(fields):
        expression = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        if converters:
            converting.append((index, expression, converters))
    return [field.attname for field in fields], converting


def width(model: type[Model]) -> int:
    """How many columns ``columns(model, ...)`` lists."""
    return len(model._meta.concrete_fields)


@functools.cache
def columns(model: type[Model], alias: str) -> str:
    """Every concrete column of ``model`` as ``alias.column``, in field order, for a SELECT."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def load(model: type[Model], row: Sequence[Any], start: int = 0) -> Model:
    """The instance of ``model`` in ``row[start:start + width(model)]``."""
    names, converting = _spec(model, connection.vendor)
    values = list(row[start : start + len(names)])
    for index, expression, converters in converting:
        value = values[index]
        for converter in converters:
            value = converter(value, expression, connection)
        values[index] = value
    return model.from_db(connection.alias, names, values)


def pick(model: type[Model], row: Sequence[Any], names: Sequence[str], start: int = 0) -> list:
    """The values of the fields ``names`` (attribute names) in ``row[start:...]`` (laid out as
    ``columns(model, ...)`` lists them), converted as ``load`` converts them: for a read that
    needs a few of the columns of rows it reads whole for others (issue 21)."""
    attnames, converting = _spec(model, connection.vendor)
    converters = {index: (expression, found) for index, expression, found in converting}
    picked = []
    for name in names:
        index = attnames.index(name)
        value = row[start + index]
        expression, found = converters.get(index, (None, ()))
        for converter in found:
            value = converter(value, expression, connection)
        picked.append(value)
    return picked
