from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import User, UserSettings, time_zone_names, validate_time_zone


class TimeZoneField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=64, validators=[validate_time_zone], **kwargs)
        self.widget.attrs.update({"list": "time-zones", "autocomplete": "off"})


class SignupForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Email address")
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not too common.",
    )
    time_zone = TimeZoneField(
        label="Your time zone",
        help_text="Reminders and digests follow your local day. We guessed it from your browser.",
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email already exists. Log in instead?"
            )
        return email

    def clean(self):
        cleaned = super().clean()
        if password := cleaned.get("password"):
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autofocus": True})
    )


class UserSettingsForm(forms.ModelForm):
    time_zone = TimeZoneField(label="Time zone")

    class Meta:
        model = UserSettings
        fields = [
            "time_zone",
            "digest_frequency",
            "digest_weekday",
            "digest_hour",
            "daily_limit",
            "upcoming_days",
            "date_reminder_days",
            "vacation_until",
        ]
        widgets = {"vacation_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {
            "digest_frequency": "Email digest",
            "digest_weekday": "Weekly digest on",
            "digest_hour": "Send the digest at",
        }

    def clean_daily_limit(self) -> int:
        value = self.cleaned_data["daily_limit"]
        if not 1 <= value <= 50:
            raise forms.ValidationError("Choose between 1 and 50 people a day.")
        return value


class EmailChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "email"]
        labels = {"name": "Your name", "email": "Email address"}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another account already uses this email address.")
        return email


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Their email address")


__all__ = [
    "EmailAuthenticationForm",
    "EmailChangeForm",
    "InvitationForm",
    "SignupForm",
    "UserSettingsForm",
    "time_zone_names",
]
