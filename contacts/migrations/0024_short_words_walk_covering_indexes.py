"""SQLite: covering indexes for a search of short words only (docs/decisions/0012-search-index.md,
"The walk of a short-words search reads only indexes").

Such a search (``an``: no trigram) walks the owner's people in name order and tests each row's
own text, else EXISTS on its interests' names and its ways to reach, until 1,001 match (the
capped count, ``contacts.selectors._short_words_count``) or the page is full. Through
``contact_owner_sort`` every person walked was a read of their table row, and every EXISTS on the
ways to reach a read of the way to reach's row: at 100,000 people those rows are spread over
many more pages than the cache holds, so the same 1,001 matches cost more SQL (issue 21).

- ``contact_owner_sort_search`` (owner_id, sort_name, id, archived, search_text): the walk's
  order (``ORDER BY sort_name, id``: ``id`` before the other columns, or ties would be sorted
  apart) and every column it tests, so the count reads index pages only, in order. It serves
  what ``contact_owner_sort`` serves (SQLite's planner picks it for the name order).
- ``method_contact_search`` (contact_id, folded_value): the EXISTS on a person's ways to reach
  is answered from the index.

SQLite only: PostgreSQL's trigram indexes and planner are unchanged, and a B-tree entry there
can't hold an unbounded ``search_text`` (about 2,700 bytes at most). Not in the models' Meta for
that reason (contacts.models.Contact.Meta says where they are).
"""

from django.db import migrations

INDEXES = {
    "contact_owner_sort_search": (
        "contacts_contact",
        "owner_id, sort_name, id, archived, search_text",
    ),
    "method_contact_search": ("contacts_contactmethod", "contact_id, folded_value"),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, (table, columns) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({columns})")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        analyzed = cursor.fetchone() is not None
    if analyzed:
        # A database whose other indexes have statistics (the demo seeder's, an ANALYZE): these
        # need theirs, or the planner keeps the old indexes' known estimates over these
        # (measured: the EXISTS on ways to reach stayed on the contact_id index, 2 ms more of the
        # count at 100,000). Without any statistics it already picks these (tests/contacts/
        # search/test_search_paging.py reads the plan).
        for name in INDEXES:
            schema_editor.execute(f"ANALYZE {name}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0023_person_search_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
