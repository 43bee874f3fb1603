"""The last attempt on a channel or a device, as its row shows it ("last delivery", "last error")."""

from __future__ import annotations

import datetime as dt

from notify.models import Channel, PushSubscription


def target_mark(target: Channel | PushSubscription, *, now: dt.datetime, error: str | None) -> None:
    """Record an attempt on ``target``: a success (``error`` None) or the error's message."""
    fields: dict = {"last_error": (error or "")[:300]}
    if error is None:
        fields["last_success_at"] = now
    if isinstance(target, Channel):
        fields["last_attempt_at"] = now
    type(target).objects.filter(pk=target.pk).update(**fields)
    for name, value in fields.items():
        setattr(target, name, value)
