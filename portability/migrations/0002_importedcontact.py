"""Which import created which person moves from Contact.import_batch (contacts must not point up
at portability) into portability's own link table; the rows are copied both ways."""

import django.db.models.deletion
from django.db import migrations, models

CHUNK = 2000


def links_copy(apps, schema_editor):
    Contact = apps.get_model("contacts", "Contact")
    ImportedContact = apps.get_model("portability", "ImportedContact")
    rows = Contact.objects.exclude(import_batch=None).values_list("pk", "import_batch_id")
    batch = []
    for contact_id, batch_id in rows.order_by("pk").iterator(chunk_size=CHUNK):
        batch.append(ImportedContact(contact_id=contact_id, batch_id=batch_id))
        if len(batch) >= CHUNK:
            ImportedContact.objects.bulk_create(batch)
            batch = []
    ImportedContact.objects.bulk_create(batch)


def links_copy_back(apps, schema_editor):
    Contact = apps.get_model("contacts", "Contact")
    ImportedContact = apps.get_model("portability", "ImportedContact")
    by_batch = {}
    for contact_id, batch_id in ImportedContact.objects.values_list("contact_id", "batch_id"):
        by_batch.setdefault(batch_id, []).append(contact_id)
    for batch_id, contact_ids in by_batch.items():
        for start in range(0, len(contact_ids), CHUNK):
            Contact.objects.filter(pk__in=contact_ids[start : start + CHUNK]).update(
                import_batch_id=batch_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0014_import_batch_merge_not_duplicate_move_to_portability"),
        ("portability", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportedContact",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("batch", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="portability.importbatch")),
                ("contact", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contacts.contact")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("contact",), name="imported_contact_once")],
            },
        ),
        migrations.AddField(
            model_name="importbatch",
            name="contacts",
            field=models.ManyToManyField(blank=True, related_name="import_batches", through="portability.ImportedContact", to="contacts.contact"),
        ),
        migrations.RunPython(links_copy, links_copy_back),
    ]
