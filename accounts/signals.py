"""What accounts tells the apps above it, without importing them (docs/architecture.md,
"Layers"). Receivers are connected in the listening app's AppConfig.ready()."""

from __future__ import annotations

from django.dispatch import Signal

# A person made a new account (sign-up, `manage.py createsuperuser`, the admin's "add user"),
# sent once its settings row exists. Arguments: ``user``. Contacts gives it the default circles.
# Accounts made in code with create_user() (tests, scripts) don't send it: they start empty.
# Receivers must be idempotent: the very first sign-up is also a create_superuser().
user_created = Signal()

# The settings row was made or saved by accounts' services (user_prepare, user_settings_update).
# Arguments: ``user_settings``, ``now``. Reminders moves ``next_digest_at`` to the new
# frequency/hour/zone, on the same instance.
user_settings_changed = Signal()

# An account is about to be deleted (user_delete), inside its transaction. Arguments: ``user``.
# Contacts removes the photo files once the deletion has committed.
user_deleting = Signal()
