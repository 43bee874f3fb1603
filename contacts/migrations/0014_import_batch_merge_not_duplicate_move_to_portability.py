"""ImportBatch, Merge and NotDuplicate now live in portability (its 0001 takes them over, tables
unchanged): they leave contacts' migration state only. Contact.import_batch points at the moved
model until portability 0002 has copied it into portability's own link and 0015 drops it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0013_circle_health_index_covers_snooze_and_fine"),
        ("portability", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="contact",
                    name="import_batch",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="portability.importbatch"),
                ),
                migrations.DeleteModel(name="Merge"),
                migrations.DeleteModel(name="NotDuplicate"),
                migrations.DeleteModel(name="ImportBatch"),
            ],
        ),
    ]
