"""The interests page's first people of each interest, most recently seen first
(contacts.selectors._first_people_sql: ORDER BY last_interaction_on DESC NULLS LAST, sort_name,
id): an index in that order, so that each interest's walk stops after a few people instead of
reading and sorting everyone seen on the latest day (~175 people at 10,000 contacts, issue 21).

Per database because the order needs NULLS LAST on PostgreSQL (its DESC puts NULLs first), which
SQLite can't say in an index (its DESC already puts them last). Not in the model's Meta for the
same reason (contacts.models.Contact.Meta says where it is).
"""

from django.db import migrations

NAME = "contact_owner_seen"
COLUMNS = {
    "sqlite": "owner_id, archived, last_interaction_on DESC, sort_name, id",
    "postgresql": "owner_id, archived, last_interaction_on DESC NULLS LAST, sort_name, id",
}


def forwards(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(f"CREATE INDEX {NAME} ON contacts_contact ({columns})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0021_contact_owner_set_aside_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
