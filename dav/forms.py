"""Forms of Settings → "Sync with your phone" (dav/settings_views.py)."""

from __future__ import annotations

from django import forms

from accounts.services import APP_PASSWORD_NAME_CHARS
from contacts.models import Circle
from dav.models import DavSettings
from network_crm.owned import OwnedModelForm


class DeviceForm(forms.Form):
    name = forms.CharField(
        label="Device name",
        max_length=APP_PASSWORD_NAME_CHARS,
        help_text="So you can tell your devices apart, e.g. “Work iPhone”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "My phone"}),
    )


class DavSettingsForm(OwnedModelForm):
    EVERYONE, CIRCLES = "everyone", "circles"

    who = forms.ChoiceField(
        label="Which people sync",
        choices=[(EVERYONE, "Everyone (except archived people)"), (CIRCLES, "Only these circles")],
        widget=forms.RadioSelect,
    )
    circles = forms.ModelMultipleChoiceField(
        label="Circles",
        queryset=Circle.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DavSettings
        fields = ["on_phone_delete"]
        labels = {"on_phone_delete": "When you delete someone on a phone"}
        widgets = {"on_phone_delete": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.fields["who"].initial = self.EVERYONE if instance.sync_everyone else self.CIRCLES
        if instance.pk:
            self.fields["circles"].initial = list(instance.circles.all())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("who") == self.CIRCLES and not cleaned.get("circles"):
            self.add_error("circles", "Choose at least one circle, or sync everyone.")
        self.instance.sync_everyone = cleaned.get("who") == self.EVERYONE
        return cleaned
