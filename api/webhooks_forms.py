"""The form of Settings → Webhooks (api/webhooks_views.py); the URL check is the service's."""

from __future__ import annotations

from django import forms

from api.models import Webhook


class WebhookForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        required=False,
        help_text="So you can tell your webhooks apart, e.g. “Zapier”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "My automation"}),
    )
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text="Where we POST each event. It must be on a public address; redirects are not "
        "followed.",
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/hooks/network-crm"}),
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=Webhook.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )
    is_active = forms.BooleanField(label="Send events", required=False, initial=True)

    @classmethod
    def for_webhook(cls, webhook: Webhook) -> WebhookForm:
        return cls(
            initial={
                "name": webhook.name,
                "url": webhook.url,
                "events": webhook.events,
                "is_active": webhook.is_active,
            }
        )
