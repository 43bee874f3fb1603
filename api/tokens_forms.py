"""Settings → API tokens: the form that makes a token (api/tokens_views.py)."""

from __future__ import annotations

from django import forms

from api.models import ApiToken

# How long a new token lasts, in days ("" is never); the command takes any --expires-days.
EXPIRY_CHOICES = [
    ("", "Never"),
    ("7", "7 days"),
    ("30", "30 days"),
    ("90", "90 days"),
    ("365", "A year"),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=80,
        help_text="What uses it, so you can tell your tokens apart, e.g. “Backup script”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "My script"}),
    )
    scope = forms.ChoiceField(
        label="It may",
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    expires_days = forms.TypedChoiceField(
        label="Expires after",
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
