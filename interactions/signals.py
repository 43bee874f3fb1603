"""What interactions tells the apps above it, without importing them (docs/architecture.md,
"Layers"). Receivers are connected in the listening app's AppConfig.ready()."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by interaction_update inside its transaction, after the interaction and its people were
# saved. Arguments: ``interaction``; ``contact_ids`` (who takes part now, a set);
# ``follow_up_moved`` (True when the promise's date changed). Reminders drops the pending
# follow-up reminders that no longer fit (reminders/receivers.py).
interaction_changed = Signal()

# Sent by interaction_log inside its transaction, after the interaction and its people were
# saved. Arguments: ``owner``, ``interaction``, ``contact_ids`` (a set). The API turns it into a
# webhook event on commit (api/receivers.py).
interaction_logged = Signal()
