"""What reminders tells the apps above it, without importing them (docs/architecture.md,
"Layers"). Receivers are connected in the listening app's AppConfig.ready()."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by the sweep inside its transaction when it opened reach-out reminders: people became due.
# Arguments: ``reminders`` (a list of (owner_id, contact_id, due_on) tuples).
reminders_opened = Signal()

# Sent by digest_send after a digest was handed to the mail server and marked sent. Arguments:
# ``owner_id``, ``digest_id``, ``item_count``, ``sent_at``.
digest_sent = Signal()

# Sent by the sweep when it created a user's Digest row (inside its transaction; receivers that
# queue work do it on commit). Channels and devices get the digest from it (notify).
# Arguments: ``owner_id``, ``digest_id``.
digest_created = Signal()
