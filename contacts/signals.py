"""What contacts tells the apps above it, without importing them (docs/architecture.md, "Layers").

Receivers live in the app that cares (reminders/receivers.py, interactions/receivers.py) and are
connected in its AppConfig.ready(). Both signals are sent inside the sender's transaction, so a
receiver's writes commit or roll back with the change that caused them.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent by contacts_recompute_due, the one implementation of the due rule, after it rewrote
# ``next_reach_out_on``: on every path that can move a due date (logging, bulk edits and their
# undo, rhythm, circle re-time and deletion, merge, restore, import, snooze, "we're fine").
# Arguments: ``owner``; ``contact_ids`` (a list, or None for all of the owner's contacts);
# ``today`` (the owner's local date when the caller knew it, else None).
due_changed = Signal()

# Sent by contacts_bulk_delete before the contacts go. Arguments: ``owner``, ``contact_ids`` (a
# list). Receivers tidy what would be left pointing at nobody (interactions deletes the
# interactions those people alone took part in).
contacts_deleting = Signal()

# Sent by contact_save inside its transaction, after the contact was saved. Arguments: ``owner``,
# ``contact``, ``created`` (True for a new person), ``archived`` (True when this save archived
# them). The API turns it into webhook events on commit (api/receivers.py).
contact_saved = Signal()

# Sent by contacts_set_flags and contacts_bulk_edit when they archive people. Arguments:
# ``owner``, ``contact_ids`` (a list).
contacts_archived = Signal()
