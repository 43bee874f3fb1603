"""Where reminders reach a user besides email: Apprise targets ("channels") and browsers
subscribed to Web Push, and the delivery rows that carry each digest to each of them
(docs/architecture.md "Notifications"; docs/decisions/0011-notifications.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from network_crm.owned import OwnedModel


class Channel(OwnedModel):
    """One Apprise target (Telegram, ntfy, Signal, Matrix …). The URL holds secrets (bot tokens,
    passwords): it is stored encrypted (notify/secrets.py) and shown back only as ``url_hint``."""

    name = models.CharField(max_length=80)
    # The Apprise scheme ("tgram", "ntfys", "json" …), from the allow-list (NOTIFY_SCHEMES).
    scheme = models.CharField(max_length=20)
    url_encrypted = models.TextField()
    # Apprise's privacy form of the URL (secrets elided), for the owner to recognise it.
    url_hint = models.CharField(max_length=300)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class PushSubscription(OwnedModel):
    """One browser (one device) subscribed to Web Push (RFC 8030/8291/8292)."""

    # A browser has one endpoint; if another user signs in on it and subscribes, it moves to them.
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    # "Chrome on Android": from the User-Agent, for the owner to tell devices apart.
    label = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label or f"Device {self.pk}"


class Delivery(OwnedModel):
    """One message to one target: claimed, sent and marked by the worker, retried with backoff.

    The text is fixed when the row is made, so a repeat after a worker died between send and
    mark says the same thing (at least once, at most one repeat per stale claim)."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Daily digest"
        TEST = "test", "Test"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"
        # The push service said the subscription no longer exists (404/410): it was removed.
        GONE = "gone", "Device gone"

    kind = models.CharField(max_length=10, choices=Kind, default=Kind.DIGEST)
    digest = models.ForeignKey(
        "reminders.Digest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        PushSubscription,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    title = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            # One digest reaches one target once (the fan-out may run twice: it must not double).
            models.UniqueConstraint(
                fields=["digest", "channel"],
                condition=Q(digest__isnull=False, channel__isnull=False),
                name="notify_one_digest_per_channel",
            ),
            models.UniqueConstraint(
                fields=["digest", "subscription"],
                condition=Q(digest__isnull=False, subscription__isnull=False),
                name="notify_one_digest_per_subscription",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notify_delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.channel or self.subscription}"
