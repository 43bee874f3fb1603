"""Interactions in the API. Bodies are checked by the page's own form (InteractionForm: no day
in the future, the owner's own non-archived people, a follow-up note needs its date...), so a
rule is written once (docs/architecture.md, "The API")."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from rest_framework import serializers

from interactions.forms import InteractionForm
from interactions.models import Interaction
from network_crm.clock import local_today, now, user_zone

# A group dinner is one interaction; more people than this in one body is a mistake (and a
# bounded lookup).
MAX_CONTACTS_PER_INTERACTION = 200

# Ids a database integer can hold: a bigger one is a 400, not an overflow.
MAX_ID = 2**63 - 1

# The form's field → the API's.
FORM_TO_API = {"people": "contacts", "at_time": "occurred_at", "__all__": "non_field_errors"}


class ContactIdsField(serializers.ListField):
    """The ids of the interaction's people (the owner's contacts), smallest first."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def to_representation(self, data):
        return sorted(contact.pk for contact in data.all())


class LocalDateTimeField(serializers.DateTimeField):
    """A moment sent without an offset is on the user's clock (their time zone in Settings),
    as the pages read the time typed in a form."""

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        if timezone.is_naive(value):
            value = value.replace(tzinfo=user_zone(self.context["request"].user))
        return super().enforce_timezone(value)


class InteractionSerializer(serializers.ModelSerializer):
    contacts = ContactIdsField(
        min_length=1,
        max_length=MAX_CONTACTS_PER_INTERACTION,
        error_messages={
            "empty": "Give the id of at least one contact.",
            "min_length": "Give the id of at least one contact.",
            "max_length": f"At most {MAX_CONTACTS_PER_INTERACTION} people in one interaction.",
        },
        help_text="Ids of your contacts who were there (at least one; archived people only if "
        "they already were).",
    )
    occurred_at = LocalDateTimeField(
        required=False,
        help_text="When it happened (without an offset: in your time zone). Default: now, or "
        "noon of `occurred_on` in your time zone when only the day is given.",
    )
    occurred_on = serializers.DateField(
        required=False,
        help_text="Your local day of `occurred_at`; may be sent instead of it.",
    )
    duration_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=24 * 60
    )

    class Meta:
        model = Interaction
        fields = [
            "id",
            "kind",
            "contacts",
            "occurred_at",
            "occurred_on",
            "duration_minutes",
            "place",
            "notes",
            "initiated_by",
            "follow_up_on",
            "follow_up_note",
            "ask_next_time",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"notes": {"max_length": 10_000}}

    def validate(self, attrs: dict) -> dict:
        """Run the page's form over the interaction as it would be after this change; the
        validated data is what ``interaction_log`` / ``interaction_update`` take."""
        owner = self.context["request"].user
        today, zone = local_today(owner), user_zone(owner)
        instance: Interaction | None = self.instance
        if instance is not None:
            shown = list(instance.contacts.all())
            data = InteractionForm.initial_from(instance, zone)
            data["people"] = [contact.pk for contact in shown]
            # Kept to the microsecond: an edit that doesn't touch the moment leaves it as it was.
            data["at_time"] = instance.occurred_at.astimezone(zone).time()
        else:
            shown = None  # any of the owner's active contacts
            data = {"kind": Interaction.Kind.COFFEE, "people": [], "occurred_on": today}
            data["at_time"] = None
        for name, value in attrs.items():
            if name == "contacts":
                data["people"] = list(value)
            elif name not in ("occurred_at", "occurred_on"):
                data[name] = value
        if "occurred_at" in attrs:
            try:
                local = attrs["occurred_at"].astimezone(zone)
            except OverflowError:  # the first or last instant Python can hold, shifted
                raise serializers.ValidationError(
                    {"occurred_at": ["Please pick a moment within the last hundred years."]}
                ) from None
            data["occurred_on"], data["at_time"] = local.date(), local.time()
        elif "occurred_on" in attrs:
            data["occurred_on"], data["at_time"] = attrs["occurred_on"], None
        form = InteractionForm(_form_data(data), owner=owner, today=today, people_choices=shown)
        if not form.is_valid():
            raise serializers.ValidationError(_api_errors(form, moment_sent=attrs))
        return {
            "contacts": list(form.cleaned_data["people"]),
            "fields": form.log_fields(now=now(), zone=zone),
        }


def _form_data(data: dict) -> MultiValueDict:
    """Values as a bound form reads them (a list for ``people``); None is "left empty"."""
    return MultiValueDict(
        {
            name: (list(value) if name == "people" else [value])
            for name, value in data.items()
            if value is not None
        }
    )


def _api_errors(form: InteractionForm, *, moment_sent: dict) -> dict:
    errors: dict[str, list[str]] = {}
    for name, field_errors in form.errors.as_data().items():
        api_name = FORM_TO_API.get(name, name)
        if name == "occurred_on" and "occurred_at" in moment_sent:
            api_name = "occurred_at"
        for error in field_errors:
            if name == "people" and error.code == "invalid_choice":
                message = (
                    f"Contact {error.params['value']} was not found among your active contacts."
                )
            else:
                message = " ".join(error.messages)
            errors.setdefault(api_name, []).append(message)
    return errors


class InteractionFiltersSerializer(serializers.Serializer):
    """The list's filters: the activity page's (interactions.selectors.interactions_filtered)."""

    contact = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Only interactions with this contact.",
    )
    circle = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Only interactions with someone in this circle.",
    )
    kind = serializers.ChoiceField(choices=Interaction.Kind.choices, required=False)
    since = serializers.DateField(
        required=False, help_text="Only interactions on this local day or later."
    )
    until = serializers.DateField(
        required=False, help_text="Only interactions on this local day or earlier."
    )

    def validate(self, attrs: dict) -> dict:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": "Pick a day on or after `since`."})
        return attrs

    def selector_arguments(self) -> dict:
        data = self.validated_data
        return {
            "kind": data.get("kind", ""),
            "contact_id": data.get("contact"),
            "circle_id": data.get("circle"),
            "since": data.get("since"),
            "until": data.get("until"),
        }
