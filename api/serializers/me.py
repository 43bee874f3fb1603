"""/api/v1/me/: the account (name and email, read-only here: Settings changes them) and its
settings, validated by the very forms the settings page uses (accounts/forms.py)."""

from __future__ import annotations

import copy
import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.forms import DateFormatForm, UserSettingsForm
from accounts.models import UserSettings, time_zone_names
from network_crm import dates
from network_crm.clock import local_today

SETTINGS_FIELDS = [*UserSettingsForm.Meta.fields, "locale"]


def _form_value(value):
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else value


# The settings page's bounds (UserSettingsForm.clean_daily_limit), stated in the schema so clients
# know them; the form still decides, and tests/api/views/test_me.py checks the two agree.
DAILY_LIMIT_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 50}


@extend_schema_field(DAILY_LIMIT_SCHEMA)
class DailyLimitField(serializers.IntegerField):
    pass


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "enum": [""]}]}
)
class OptionalDateField(serializers.DateField):
    """A date, or null — or "", as the settings page's empty date field: no break planned."""

    def to_internal_value(self, value):
        return None if value == "" else super().to_internal_value(value)


class MeSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user.pk", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    today = serializers.SerializerMethodField(help_text="Your local date now (your time zone).")
    time_zone = serializers.ChoiceField(
        choices=sorted(time_zone_names()), help_text="An IANA time zone, e.g. Europe/Paris."
    )
    daily_limit = DailyLimitField(help_text="At most this many people nudged a day.")
    vacation_until = OptionalDateField(
        allow_null=True, required=False, help_text="No nudges or digests until this day."
    )
    locale = serializers.ChoiceField(
        choices=dates.CHOICES,
        allow_blank=True,
        help_text="How dates are written; empty until chosen or guessed from the browser.",
    )

    class Meta:
        model = UserSettings
        fields = ["id", "name", "email", "today", *SETTINGS_FIELDS]

    @extend_schema_field(serializers.DateField())
    def get_today(self, user_settings: UserSettings) -> str:
        return local_today(user_settings.user).isoformat()

    def validate(self, attrs: dict) -> dict:
        """The settings page's rules (e.g. 1 to 50 people a day), from its forms."""
        instance = self.instance
        errors = {}
        data = {
            name: _form_value(attrs.get(name, getattr(instance, name)))
            for name in UserSettingsForm.Meta.fields
        }
        form = UserSettingsForm(data=data, instance=copy.copy(instance))
        if not form.is_valid():
            errors.update(form.errors)
        if "locale" in attrs:
            form = DateFormatForm(data={"locale": attrs["locale"]}, instance=copy.copy(instance))
            if not form.is_valid():
                errors.update(form.errors)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def update(self, instance: UserSettings, validated_data: dict) -> UserSettings:
        # Only sets the fields; the view saves through accounts.services.user_settings_update.
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return instance
