"""What notify does when reminders speaks (reminders/signals.py; connected in apps.py)."""

from __future__ import annotations


def on_digest_created(sender, *, owner_id: int, digest_id: int, **kwargs) -> None:
    # The digest goes to channels and devices soon after the sweep made it, not at the next beat.
    from notify.tasks import enqueue_digest_delivery

    enqueue_digest_delivery(digest_id)
