"""Contact.import_batch goes: portability 0002 copied it into portability.ImportedContact."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0014_import_batch_merge_not_duplicate_move_to_portability"),
        ("portability", "0002_importedcontact"),
    ]

    operations = [
        migrations.RemoveField(model_name="contact", name="import_batch"),
    ]
