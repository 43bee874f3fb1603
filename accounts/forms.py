from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm

from accounts.models import Invitation, User, UserSettings, time_zone_names, validate_time_zone
from network_crm import dates


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

    def __init__(self, *args, invitation: Invitation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        # An invitation lets in the person it was emailed to, not whoever holds the link.
        if self.invitation is not None and email != self.invitation.email.lower():
            raise forms.ValidationError(
                f"This invitation is for {self.invitation.email}. Sign up with that address; "
                "you can change it in Settings afterwards."
            )
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

    def signup_fields(self) -> dict:
        """The cleaned form as ``user_signup`` arguments (besides now and the invitation)."""
        return {key: self.cleaned_data[key] for key in ("email", "password", "name", "time_zone")}


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
            "digest_by_email",
            "quiet_hours_start",
            "quiet_hours_end",
            "share_cooldown_days",
        ]
        widgets = {
            "vacation_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "digest_by_email": forms.CheckboxInput(
                attrs={"aria-describedby": "digest-by-email-help"}
            ),
            "quiet_hours_start": forms.TimeInput(
                attrs={"type": "time", "aria-describedby": "quiet-hours-help"}, format="%H:%M"
            ),
            "quiet_hours_end": forms.TimeInput(
                attrs={"type": "time", "aria-describedby": "quiet-hours-help"}, format="%H:%M"
            ),
        }
        labels = {
            "digest_frequency": "Digest",
            "digest_weekday": "Weekly digest on",
            "digest_hour": "Send the digest at",
            "digest_by_email": "Send the digest by email",
            "share_cooldown_days": "Days between two things shared with one person",
        }
        help_texts = {
            "digest_by_email": "Off: the digest goes only to your channels and devices.",
            "share_cooldown_days": "Things to share suggests nobody who got something from "
            "you within this many days.",
        }

    def clean(self) -> dict:
        # Quiet hours are a pair: one end alone means nothing (docs/architecture.md,
        # "Notifications"), so say so rather than silently ignoring it.
        cleaned = super().clean()
        start, end = cleaned.get("quiet_hours_start"), cleaned.get("quiet_hours_end")
        if (start is None) != (end is None) and not self.errors:
            self.add_error(
                "quiet_hours_end" if end is None else "quiet_hours_start",
                "Give both times for quiet hours, or clear both.",
            )
        elif start is not None and start == end:
            self.add_error("quiet_hours_end", "Quiet hours need an end different from the start.")
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Give first's setting: a form sent without it (an older page, a script) keeps the value.
        self.fields["share_cooldown_days"].required = False

    def clean_share_cooldown_days(self) -> int:
        value = self.cleaned_data["share_cooldown_days"]
        return self.instance.share_cooldown_days if value is None else value

    def clean_daily_limit(self) -> int:
        value = self.cleaned_data["daily_limit"]
        if not 1 <= value <= 50:
            raise forms.ValidationError("Choose between 1 and 50 people a day.")
        return value


class DateFormatForm(forms.ModelForm):
    """How dates are written across the app and in the digest (network_crm.dates)."""

    class Meta:
        model = UserSettings
        fields = ["locale"]
        labels = {"locale": "Write dates as"}
        help_texts = {
            "locale": "Written out, dates read “3 December 2026” (“December 3, 2026” in US "
            "English, 2026-12-03 in ISO 8601). Pages stay in English."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].required = True
        self.fields["locale"].choices = dates.CHOICES
        # An account that never chose one shows the format in force (the browser's).
        if not self.instance.locale:
            self.initial["locale"] = dates.current().code


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


def _code_input(**attrs) -> forms.TextInput:
    # one-time-code lets phones offer a code they just received; no spellcheck or capitals.
    return forms.TextInput(
        attrs={
            "class": "code-input",
            "autocomplete": "one-time-code",
            "autocapitalize": "none",
            "spellcheck": "false",
            **attrs,
        }
    )


class TwoFactorSetupForm(forms.Form):
    """Turning on two-factor sign-in: the password again (someone at an unlocked screen can't
    turn it on for you) and a code from the app, which proves the app was set up right."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Code from the app",
        max_length=12,
        help_text="The 6-digit code your app shows now.",
        widget=_code_input(inputmode="numeric"),
    )


class TwoFactorCodeForm(forms.Form):
    """The second step of signing in."""

    code = forms.CharField(
        label="Code",
        max_length=24,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=_code_input(autofocus=True),
    )


class TwoFactorConfirmForm(forms.Form):
    """Re-authentication before changing two-factor settings: the password or a current code."""

    secret = forms.CharField(
        label="Your password, or a code from your app",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


__all__ = [
    "EmailAuthenticationForm",
    "EmailChangeForm",
    "InvitationForm",
    "SignupForm",
    "TwoFactorCodeForm",
    "TwoFactorConfirmForm",
    "TwoFactorSetupForm",
    "UserSettingsForm",
    "time_zone_names",
]


class ClearsCodeWaitMixin:
    """A new password also clears the waits that wrong two-factor codes and wrong passwords
    built up (someone guessing can't keep the real owner out past a reset)."""

    def save(self, commit=True):
        from accounts.services import login_throttle_clear, two_factor_throttle_reset

        user = super().save(commit=commit)
        if commit:
            two_factor_throttle_reset(user=user)
            login_throttle_clear(user=user)
        return user


class NewPasswordForm(ClearsCodeWaitMixin, SetPasswordForm):
    """Setting a password from a reset link."""


class ChangePasswordForm(ClearsCodeWaitMixin, PasswordChangeForm):
    """Changing the password while signed in."""
