"""The body a browser posts to subscribe: PushSubscription.toJSON() as static/js/push.js sends it
({"endpoint": …, "keys": {"p256dh": …, "auth": …}})."""

from __future__ import annotations

import json

from django import forms

from notify.services.push_subscriptions import MAX_ENDPOINT_LENGTH


class PushSubscriptionForm(forms.Form):
    endpoint = forms.CharField(max_length=MAX_ENDPOINT_LENGTH)
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=100)

    @classmethod
    def from_body(cls, body: bytes) -> PushSubscriptionForm:
        """A bound form from the JSON body; anything that is not that shape is simply invalid."""
        try:
            data = json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
        fields = {"endpoint": data.get("endpoint"), **{k: keys.get(k) for k in ("p256dh", "auth")}}
        return cls({name: value for name, value in fields.items() if isinstance(value, str)})

    def first_error(self) -> str:
        if not self.errors:
            return ""
        return "The browser sent an incomplete subscription; try again."
