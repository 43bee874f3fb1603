"""Signed one-click links in digest emails.

A link carries the user, the reminder, the action and the reminder's version, signed with the
secret key and timestamped. It works without logging in, expires, and works once: acting bumps the
reminder's version, so the same link is then refused politely.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from reminders.models import Reminder

ACTION_SALT = "network-crm.reminder-action"
UNSUBSCRIBE_SALT = "network-crm.unsubscribe"
LINK_MAX_AGE = dt.timedelta(days=14)

ACTIONS = {
    "done": "Mark as done",
    "snooze": "Snooze a week",
    "coffee": "Log a coffee today",
}


class LinkError(Exception):
    """Why a link can't be used, in words for the person who clicked it."""


@dataclass(frozen=True)
class ActionLink:
    user_id: int
    reminder_id: int
    action: str
    version: int

    def used_up(self, reminder: Reminder | None) -> bool:
        """The reminder is gone, was acted on since the link was made, or is closed."""
        return (
            reminder is None
            or reminder.version != self.version
            or reminder.state in (Reminder.State.DONE, Reminder.State.DISMISSED)
        )


def action_token(reminder: Reminder, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(action)
    payload = {"u": reminder.owner_id, "r": reminder.pk, "a": action, "v": reminder.version}
    return signing.dumps(payload, salt=ACTION_SALT, compress=True)


def action_url(reminder: Reminder, action: str) -> str:
    return settings.SITE_URL + reverse("reminders:act", args=[action_token(reminder, action)])


def read_action_token(token: str) -> ActionLink:
    try:
        payload = signing.loads(token, salt=ACTION_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkError("This link has expired. Open network-crm to see who is due now.") from None
    except signing.BadSignature:
        raise LinkError(
            "This link isn't valid. It may have been cut short by your email app."
        ) from None
    try:
        link = ActionLink(
            user_id=int(payload["u"]),
            reminder_id=int(payload["r"]),
            action=str(payload["a"]),
            version=int(payload["v"]),
        )
    except (KeyError, TypeError, ValueError):
        raise LinkError("This link isn't valid.") from None
    if link.action not in ACTIONS:
        raise LinkError("This link isn't valid.")
    return link


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user_id: int) -> str:
    return settings.SITE_URL + reverse("reminders:unsubscribe", args=[unsubscribe_token(user_id)])


def read_unsubscribe_token(token: str) -> int:
    # No expiry: an old digest's unsubscribe link must keep working.
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkError("This unsubscribe link isn't valid.") from None
