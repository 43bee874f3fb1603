"""The API's own rows: personal access tokens, idempotency records, webhooks and their deliveries.

Every row has an owner (network_crm/owned.py); see docs/architecture.md, "The API".
"""

from __future__ import annotations

import uuid

from django.db import models

from network_crm.owned import OwnedModel


class ApiToken(OwnedModel):
    """A personal access token: shown once, stored as a SHA-256 of a random secret (it has the
    entropy a hash needs; a slow hash would cost every request), findable by its visible prefix,
    scoped, optionally expiring, revocable."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scope = models.CharField(max_length=5, choices=Scope, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class IdempotencyRecord(OwnedModel):
    """The first answer to a POST that carried an ``Idempotency-Key``: a retry with the same key
    gets it back instead of creating a second row (api/idempotency.py)."""

    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    # SHA-256 of the request body: the same key with another body is the client's mistake (422).
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self) -> str:
        return self.key


class Webhook(OwnedModel):
    """A URL the owner wants told about events; deliveries are signed with ``secret``."""

    class Event(models.TextChoices):
        INTERACTION_LOGGED = "interaction.logged", "An interaction is logged"
        CONTACT_CREATED = "contact.created", "A person is added"
        CONTACT_UPDATED = "contact.updated", "A person is changed"
        CONTACT_ARCHIVED = "contact.archived", "A person is archived"
        REMINDER_DUE = "reminder.due", "Someone becomes due"
        DIGEST_SENT = "digest.sent", "A digest is sent"

    name = models.CharField(max_length=80, blank=True)
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name or self.url


class WebhookDelivery(OwnedModel):
    """One event for one webhook: claimed, sent and marked by the worker, retried with backoff."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Gave up"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Webhook.Event)
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook}"
