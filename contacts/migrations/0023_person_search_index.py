"""One search index row per person (SQLite; docs/decisions/0012-search-index.md, "One index row
per person").

``contacts_person_fts`` is an FTS5 trigram table whose row ``rowid = contact id`` holds everything
search looks in for that person: the contact's ``search_text``, the ``folded_value`` of each of
their ways to reach and the ``folded_name`` of each of their interests, joined by newlines. Folded
query words never hold whitespace (``network_crm.text.fold`` collapses it, search splits on it), so
no trigram of a query word spans two pieces, and a word's phrase match stays a superset of
``LIKE '%word%'`` on the pieces (the tokenizer also folds case). Several words are one MATCH
(``"mar" AND "son"``): FTS5 intersects them, instead of each word's id list being built in full.

The table stores its own text (SQLite 3.40 has no ``contentless_delete``, and an external-content
table can't be fed from three tables). Triggers keep it in step on every write path (save,
bulk_create, bulk_update, QuerySet.update, the cascades Django runs as DELETEs, merges, imports,
data migrations): a contact's insert, delete and change of ``search_text``; a way to reach's
insert, delete, and change of ``folded_value`` or ``contact_id``; an interest link's insert, delete
and change; an interest's rename (``folded_name``) and delete. A person with more than PIECES ways
to reach or interests keeps only their own text and FLAG (below).

The two per-table FTS tables of 0018 are dropped: search reads only this one. PostgreSQL keeps
pg_trgm (0018): nothing here.
"""

import importlib

from django.db import migrations

FTS = "contacts_person_fts"
CONTACT = "contacts_contact"
METHOD = "contacts_contactmethod"
LINK = "contacts_contact_interests"
INTEREST = "contacts_interest"
# A person with more ways to reach or interest links than this (only data from before the limits,
# contacts/limits.py: 60 ways to reach) has only their own text in the row, and is flagged: search
# takes flagged people as candidates whatever the words, and tests them exactly. Otherwise every
# way to reach added to a person with 100,000 of them would rewrite a row of all the others.
PIECES = 200
# The flag: three apostrophes, which no folded text or query word holds (fold drops them).
FLAG = "'''"
_FLAG_SQL = "'" + FLAG.replace("'", "''") + "'"


def _count(table: str, contact_id: str) -> str:
    """How many rows of ``table`` point at the contact, counted only up to PIECES + 1."""
    return (
        f"(SELECT count(*) FROM (SELECT 1 FROM {table}"
        f" WHERE contact_id = {contact_id} LIMIT {PIECES + 1}))"
    )


def _row(contact_id: str) -> str:
    """SELECT of the person's (flag, text), as SQL, for the contact whose id is ``contact_id``."""
    pieces = (
        f"char(10) || coalesce((SELECT group_concat(m.folded_value, char(10)) FROM {METHOD} m"
        f" WHERE m.contact_id = {contact_id}), '')"
        f" || char(10) || coalesce((SELECT group_concat(i.folded_name, char(10)) FROM {LINK} l"
        f" JOIN {INTEREST} i ON i.id = l.interest_id WHERE l.contact_id = {contact_id}), '')"
    )
    return (
        f"SELECT p.flag, p.own || CASE WHEN p.flag = '' THEN {pieces} ELSE '' END FROM (SELECT"
        f" coalesce((SELECT c.search_text FROM {CONTACT} c WHERE c.id = {contact_id}), '') AS own,"
        f" CASE WHEN {_count(METHOD, contact_id)} > {PIECES}"
        f" OR {_count(LINK, contact_id)} > {PIECES} THEN {_FLAG_SQL} ELSE '' END AS flag) p"
    )


def _refresh(where: str) -> str:
    """Rewrites the rows of the people ``where`` selects (a condition on ``rowid``)."""
    return f"UPDATE {FTS} SET (flag, text) = ({_row(f'{FTS}.rowid')}) WHERE {where};"


def _linked(column: str, rows: str) -> str:
    """The people pointed at by ``column`` of the old and/or new row (``rows``: "old", "new")."""
    return f"rowid IN ({', '.join(f'{row}.{column}' for row in rows.split())})"


def _not_flagged(contact_id: str) -> str:
    return f"NOT EXISTS (SELECT 1 FROM {FTS} WHERE rowid = {contact_id} AND flag <> '')"


def _unflags(contact_id: str) -> str:
    """A flagged person is down to PIECES of each (after a delete)."""
    return f"{_count(METHOD, contact_id)} <= {PIECES} AND {_count(LINK, contact_id)} <= {PIECES}"


def _added(table: str) -> tuple[str, str]:
    # A flagged person's row holds none of their ways to reach or interests: nothing to add.
    return (
        f"AFTER INSERT ON {table} WHEN {_not_flagged('new.contact_id')}",
        _refresh(_linked("contact_id", "new")),
    )


def _removed(table: str) -> tuple[str, str]:
    return (
        f"AFTER DELETE ON {table}"
        f" WHEN {_not_flagged('old.contact_id')} OR ({_unflags('old.contact_id')})",
        _refresh(_linked("contact_id", "old")),
    )


TRIGGERS = {
    # The contact itself: its row appears, goes, and follows its own text.
    f"{FTS}_contact_insert": (
        f"AFTER INSERT ON {CONTACT}",
        f"INSERT INTO {FTS}(rowid, flag, text) SELECT new.id, * FROM ({_row('new.id')});",
    ),
    f"{FTS}_contact_delete": (
        f"AFTER DELETE ON {CONTACT}",
        f"DELETE FROM {FTS} WHERE rowid = old.id;",
    ),
    f"{FTS}_contact_update": (
        f"AFTER UPDATE OF id, search_text ON {CONTACT}"
        " WHEN old.id IS NOT new.id OR old.search_text IS NOT new.search_text",
        f"DELETE FROM {FTS} WHERE rowid = old.id;"
        f" INSERT INTO {FTS}(rowid, flag, text) SELECT new.id, * FROM ({_row('new.id')});",
    ),
    # Ways to reach and interest links: their person's row (both people's when one moves).
    f"{FTS}_method_insert": _added(METHOD),
    f"{FTS}_method_delete": _removed(METHOD),
    f"{FTS}_method_update": (
        f"AFTER UPDATE OF contact_id, folded_value ON {METHOD}"
        " WHEN old.contact_id IS NOT new.contact_id OR old.folded_value IS NOT new.folded_value",
        _refresh(_linked("contact_id", "old new")),
    ),
    f"{FTS}_link_insert": _added(LINK),
    f"{FTS}_link_delete": _removed(LINK),
    f"{FTS}_link_update": (
        f"AFTER UPDATE OF contact_id, interest_id ON {LINK}",
        _refresh(_linked("contact_id", "old new")),
    ),
    # An interest renamed (or deleted before its links): every person linked to it.
    f"{FTS}_interest_update": (
        f"AFTER UPDATE OF id, folded_name ON {INTEREST}"
        " WHEN old.id IS NOT new.id OR old.folded_name IS NOT new.folded_name",
        _refresh(f"rowid IN (SELECT contact_id FROM {LINK} WHERE interest_id IN (old.id, new.id))"),
    ),
    f"{FTS}_interest_delete": (
        f"AFTER DELETE ON {INTEREST}",
        _refresh(f"rowid IN (SELECT contact_id FROM {LINK} WHERE interest_id = old.id)"),
    ),
}

# 0018's per-table FTS tables, dropped here and made again (rebuilt) on the way back.
_search_index = importlib.import_module("contacts.migrations.0018_contact_search_index")
OLD = [(table, column) for table, column, _index in _search_index.INDEXED]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, column in OLD:
        for statement in _search_index._sqlite_backwards(table, column):
            schema_editor.execute(statement)
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(flag, text, tokenize='trigram')"
    )
    for name, (when, body) in TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")
    # Every person's row, empty, then filled as the triggers fill it (SQLite has no LATERAL).
    schema_editor.execute(f"INSERT INTO {FTS}(rowid, flag, text) SELECT id, '', '' FROM {CONTACT}")
    schema_editor.execute(_refresh("1"))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    for table, column in OLD:
        for statement in _search_index._sqlite_forwards(table, column):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0022_contact_owner_seen_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
