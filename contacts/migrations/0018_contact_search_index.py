"""A real index for people search (docs/decisions/0012-search-index.md).

SQLite: FTS5 tables with the trigram tokenizer over the folded columns search looks in
(``contacts_contact.search_text``, ``contacts_contactmethod.folded_value``). They are
external-content tables: they store only the index, the text stays in its own table. Triggers keep
them in step, so every write path (save, bulk_create, bulk_update, raw UPDATEs, restores, merges,
data migrations) updates them without the services having to remember.
PostgreSQL: pg_trgm and GIN indexes on the same columns, which ``LIKE '%word%'`` uses.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (table, folded column): the FTS table is "<table>_fts", the GIN index "<short>_search_trgm".
INDEXED = [
    ("contacts_contact", "search_text", "contact_search_trgm"),
    ("contacts_contactmethod", "folded_value", "method_search_trgm"),
]


def _sqlite_forwards(table: str, column: str) -> list[str]:
    fts = f"{table}_fts"
    insert = f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5("
        f"{column}, content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF id, {column} ON {table}"
        f" WHEN old.id IS NOT new.id OR old.{column} IS NOT new.{column}"
        f" BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _sqlite_backwards(table: str, column: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        *(f"DROP TRIGGER IF EXISTS {fts}_{event}" for event in ("insert", "delete", "update")),
        f"DROP TABLE IF EXISTS {fts}",
    ]


def forwards(apps, schema_editor):
    for table, column, index in INDEXED:
        if schema_editor.connection.vendor == "sqlite":
            statements = _sqlite_forwards(table, column)
        elif schema_editor.connection.vendor == "postgresql":
            statements = [f"CREATE INDEX {index} ON {table} USING gin ({column} gin_trgm_ops)"]
        else:
            statements = []
        for statement in statements:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for table, column, index in INDEXED:
        if schema_editor.connection.vendor == "sqlite":
            statements = _sqlite_backwards(table, column)
        elif schema_editor.connection.vendor == "postgresql":
            statements = [f"DROP INDEX IF EXISTS {index}"]
        else:
            statements = []
        for statement in statements:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0017_contact_reaches_out_often"),
    ]

    operations = [
        # Does nothing on SQLite.
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
