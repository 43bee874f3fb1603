"""Store every address in lower case, as sign-up always did: sign-in now looks addresses up in
lower case, and accounts made in the admin could have kept capitals."""

from django.db import migrations
from django.db.models.functions import Lower


def lowercase_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("email", flat=True))
    for user in User.objects.exclude(email=Lower("email")).only("pk", "email"):
        lowered = user.email.lower()
        if lowered not in taken:  # never merge two accounts; such a pair stays as it is
            User.objects.filter(pk=user.pk).update(email=lowered)
            taken.add(lowered)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_reminders_engine_settings")]

    operations = [migrations.RunPython(lowercase_emails, migrations.RunPython.noop)]
