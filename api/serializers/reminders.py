"""Reminders in the API: who is due (the dashboard's list, with its talking points), what the
user can do about a due person, and the reminder rows themselves (follow-ups, reach-outs...)."""

from __future__ import annotations

from rest_framework import serializers

from contacts.forms import SnoozeForm
from contacts.models import Contact
from reminders.models import Reminder


class DuePersonSerializer(serializers.ModelSerializer):
    """One person of the dashboard's "Reach out today", with what to talk about."""

    cadence_days = serializers.IntegerField(
        source="effective_cadence_days",
        allow_null=True,
        read_only=True,
        help_text="Their rhythm: their own, else their circle's.",
    )
    circle_name = serializers.SerializerMethodField()
    overdue_days = serializers.IntegerField(
        read_only=True, help_text="Days since they became due (0: due today)."
    )
    shared_interests = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Interests of theirs that are yours too.",
    )
    ask_about = serializers.CharField(
        read_only=True, help_text='The latest "next time, ask about…" note logged with them.'
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "name",
            "circle",
            "circle_name",
            "cadence_days",
            "last_interaction_on",
            "next_reach_out_on",
            "overdue_days",
            "shared_interests",
            "ask_about",
        ]
        read_only_fields = fields

    def get_circle_name(self, contact: Contact) -> str | None:
        return contact.circle.name if contact.circle_id else None


class DueListSerializer(serializers.Serializer):
    """The due list is capped by your daily limit (Settings), most overdue first; ``more``
    says how many others are waiting."""

    total = serializers.IntegerField(help_text="How many people are due in all.")
    more = serializers.IntegerField(help_text="How many of them are not in `results`.")
    results = DuePersonSerializer(many=True, source="items")


class ContactRhythmSerializer(serializers.ModelSerializer):
    """A person's dates after a snooze or a "we're fine"."""

    class Meta:
        model = Contact
        fields = [
            "id",
            "name",
            "last_interaction_on",
            "next_reach_out_on",
            "snoozed_until",
            "cadence_restarted_on",
            "updated_at",
        ]
        read_only_fields = fields


class SnoozeSerializer(serializers.Serializer):
    """How long: ``days`` (1-365, default 7) or a date ``until`` (after today, within two years).
    Checked by the contact page's own SnoozeForm."""

    days = serializers.IntegerField(required=False, min_value=1, max_value=365)
    until = serializers.DateField(required=False)

    def validate(self, attrs: dict) -> dict:
        if "days" in attrs and "until" in attrs:
            raise serializers.ValidationError({"until": "Give `days` or `until`, not both."})
        form = SnoozeForm(
            {name: str(value) for name, value in attrs.items()}, today=self.context["today"]
        )
        if not form.is_valid():
            raise serializers.ValidationError({"until": form.non_field_errors()})
        return {"until": form.until}


class ReminderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reminder
        fields = [
            "id",
            "kind",
            "state",
            "contact",
            "interaction",
            "due_on",
            "snoozed_until",
            "note",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields


class ReminderFiltersSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[("live", "Open or snoozed"), *Reminder.State.choices],
        required=False,
        help_text="`live`: open or snoozed (what is still to do).",
    )
    kind = serializers.ChoiceField(choices=Reminder.Kind.choices, required=False)
    contact = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="Only this person's."
    )

    def filter(self, reminders):
        data = self.validated_data
        if data.get("state") == "live":
            reminders = reminders.filter(state__in=Reminder.LIVE_STATES)
        elif data.get("state"):
            reminders = reminders.filter(state=data["state"])
        if data.get("kind"):
            reminders = reminders.filter(kind=data["kind"])
        if data.get("contact"):
            reminders = reminders.filter(contact_id=data["contact"])
        return reminders
