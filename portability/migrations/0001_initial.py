"""ImportBatch, Merge and NotDuplicate move here from contacts, tables and rows unchanged: this
creates them in the migration state only (contacts 0014 removes them from contacts' state), and
renames their content types, so permissions granted on them keep pointing at them."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["importbatch", "merge", "notduplicate"]


def content_types_follow(apps, schema_editor, *, source="contacts", target="portability"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_go_back(apps, schema_editor):
    content_types_follow(apps, schema_editor, source="portability", target="contacts")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contacts", "0013_circle_health_index_covers_snooze_and_fine"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=20)),
                        ("filename", models.CharField(blank=True, max_length=255)),
                        ("text", models.TextField()),
                        ("state", models.CharField(choices=[("uploaded", "Uploaded"), ("queued", "Waiting for a worker"), ("importing", "Importing"), ("done", "Imported"), ("failed", "Failed"), ("undone", "Undone")], default="uploaded", max_length=10)),
                        ("total", models.PositiveIntegerField(default=0)),
                        ("processed", models.PositiveIntegerField(default=0)),
                        ("summary", models.JSONField(default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "contacts_importbatch",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Merge",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("merged_name", models.CharField(max_length=200)),
                        ("snapshot", models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("undone_at", models.DateTimeField(blank=True, null=True)),
                        ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("survivor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="merges", to="contacts.contact")),
                    ],
                    options={
                        "db_table": "contacts_merge",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="NotDuplicate",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("first", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contacts.contact")),
                        ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("second", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contacts.contact")),
                    ],
                    options={
                        "db_table": "contacts_notduplicate",
                        "constraints": [models.UniqueConstraint(fields=("first", "second"), name="not_duplicate_once")],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
