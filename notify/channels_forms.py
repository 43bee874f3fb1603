"""The forms of Settings → Channels (notify/channels_views.py); the URL check is the service's."""

from __future__ import annotations

from django import forms

from notify.models import Channel
from notify.services.channels import URL_MAX_LENGTH


class ChannelForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        required=False,
        help_text="So you can tell your channels apart, e.g. “My phone (ntfy)”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "Telegram"}),
    )
    # A CharField, not a URLField: Apprise URLs (tgram://…, mailtos://…) are not web URLs.
    url = forms.CharField(
        label="Apprise URL",
        max_length=URL_MAX_LENGTH,
        strip=True,
        help_text="It holds your token or password: it is stored encrypted and never shown again.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "off",
                "placeholder": "ntfys://ntfy.sh/my-secret-topic",
            }
        ),
    )
    enabled = forms.BooleanField(label="Send the daily digest here", required=False, initial=True)


class ChannelEditForm(ChannelForm):
    """The same fields; the URL may stay blank, which keeps the stored one (never shown back)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["url"].required = False
        self.fields["url"].label = "New Apprise URL"
        self.fields[
            "url"
        ].help_text = (
            "Leave empty to keep the current one. A new URL is stored encrypted and never shown."
        )
        self.fields["url"].widget.attrs["placeholder"] = ""

    @classmethod
    def for_channel(cls, channel: Channel) -> ChannelEditForm:
        return cls(initial={"name": channel.name, "enabled": channel.enabled})
