from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_usersettings_share_cooldown_days"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="data_version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
    ]
