"""Webhooks and their deliveries as the API shows them (docs/architecture.md, "Webhooks")."""

from __future__ import annotations

from rest_framework import serializers

from api.models import Webhook, WebhookDelivery


class WebhookSerializer(serializers.ModelSerializer):
    """The secret is not here: it is answered once on create (and on rotate_secret), so a
    read-only token cannot sign as us."""

    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Webhook.Event.choices),
        allow_empty=False,
        max_length=len(Webhook.Event.choices),
        help_text="The events to send: " + ", ".join(Webhook.Event.values) + ".",
    )
    url = serializers.URLField(
        max_length=500,
        help_text="An http(s) URL on a public address (private ones only with "
        "WEBHOOKS_ALLOW_PRIVATE); redirects are not followed.",
    )

    class Meta:
        model = Webhook
        fields = ["id", "name", "url", "events", "is_active", "created_at"]
        read_only_fields = ["id", "created_at"]


class WebhookWithSecretSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="Signs every delivery (X-Network-CRM-Signature); shown only here.",
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_id",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "created_at",
            "delivered_at",
            "payload",
        ]
        read_only_fields = fields
