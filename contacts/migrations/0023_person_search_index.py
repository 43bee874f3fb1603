"""One search index row per person (SQLite; docs/decisions/0012-search-index.md, "One row per
person").

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
and change; an interest's rename (``folded_name``) and delete.

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


def _text(contact_id: str) -> str:
    """The person's searchable text, as SQL, for the contact whose id is ``contact_id``."""
    return (
        f"coalesce((SELECT c.search_text FROM {CONTACT} c WHERE c.id = {contact_id}), '')"
        f" || char(10) || coalesce((SELECT group_concat(m.folded_value, char(10)) FROM {METHOD} m"
        f" WHERE m.contact_id = {contact_id}), '')"
        f" || char(10) || coalesce((SELECT group_concat(i.folded_name, char(10)) FROM {LINK} l"
        f" JOIN {INTEREST} i ON i.id = l.interest_id WHERE l.contact_id = {contact_id}), '')"
    )


def _refresh(where: str) -> str:
    """Rewrites the rows of the people ``where`` selects (a condition on ``rowid``)."""
    return f"UPDATE {FTS} SET text = {_text(f'{FTS}.rowid')} WHERE {where};"


def _linked(column: str, rows: str) -> str:
    """The people pointed at by ``column`` of the old and/or new row (``rows``: "old", "new")."""
    return f"rowid IN ({', '.join(f'{row}.{column}' for row in rows.split())})"


TRIGGERS = {
    # The contact itself: its row appears, goes, and follows its own text.
    f"{FTS}_contact_insert": (
        f"AFTER INSERT ON {CONTACT}",
        f"INSERT INTO {FTS}(rowid, text) VALUES (new.id, {_text('new.id')});",
    ),
    f"{FTS}_contact_delete": (
        f"AFTER DELETE ON {CONTACT}",
        f"DELETE FROM {FTS} WHERE rowid = old.id;",
    ),
    f"{FTS}_contact_update": (
        f"AFTER UPDATE OF id, search_text ON {CONTACT}"
        " WHEN old.id IS NOT new.id OR old.search_text IS NOT new.search_text",
        f"DELETE FROM {FTS} WHERE rowid = old.id;"
        f" INSERT INTO {FTS}(rowid, text) VALUES (new.id, {_text('new.id')});",
    ),
    # Ways to reach and interest links: their person's row (both people's when one moves).
    f"{FTS}_method_insert": (f"AFTER INSERT ON {METHOD}", _refresh(_linked("contact_id", "new"))),
    f"{FTS}_method_delete": (f"AFTER DELETE ON {METHOD}", _refresh(_linked("contact_id", "old"))),
    f"{FTS}_method_update": (
        f"AFTER UPDATE OF contact_id, folded_value ON {METHOD}"
        " WHEN old.contact_id IS NOT new.contact_id OR old.folded_value IS NOT new.folded_value",
        _refresh(_linked("contact_id", "old new")),
    ),
    f"{FTS}_link_insert": (f"AFTER INSERT ON {LINK}", _refresh(_linked("contact_id", "new"))),
    f"{FTS}_link_delete": (f"AFTER DELETE ON {LINK}", _refresh(_linked("contact_id", "old"))),
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
    schema_editor.execute(f"CREATE VIRTUAL TABLE {FTS} USING fts5(text, tokenize='trigram')")
    for name, (when, body) in TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")
    schema_editor.execute(
        f"INSERT INTO {FTS}(rowid, text) SELECT p.id, {_text('p.id')} FROM {CONTACT} p"
    )


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
