"""What a send to a channel or a device can end in, besides success (notify/services/*)."""

from __future__ import annotations


class DeliveryError(Exception):
    """The attempt failed; the message (short, in words for the owner) is shown on the target.

    ``permanent``: trying again cannot help (a URL Apprise cannot parse, a scheme no longer
    allowed); the delivery gives up at once instead of retrying with backoff."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message[:300])
        self.permanent = permanent


class SubscriptionGone(DeliveryError):
    """The push service answered 404 or 410: the browser unsubscribed or the subscription
    expired. The subscription is removed (RFC 8030 §7.3)."""

    def __init__(self, message: str = "The device is no longer subscribed.") -> None:
        super().__init__(message, permanent=True)
