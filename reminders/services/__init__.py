"""The reminder engine's writes, one module per concern; callers import from the module.

- ``schedule``: when each user's digest is owed (``digest_time_on``, ``digest_next_at``,
  ``digest_schedule_update``) and stopping digests (``digest_unsubscribe``).
- ``sweep``: ``sweep_run``, which opens reminders that came due and hands the digests to send to
  its caller, and the heartbeat it leaves.
- ``digests``: creating the day's digests, finding lost ones, and claiming, rendering and
  sending one.
- ``actions``: what the user does to a reminder (done, snooze, "we're fine", a signed link).
- ``calendar``: the private calendar feed's address.

Everything takes ``now`` so tests drive time in-process. The sweep asks "what is due up to now",
so after downtime it catches up by itself; the database rows, not the broker, guarantee delivery
(docs/architecture.md, "The picture of a digest's life").
"""
