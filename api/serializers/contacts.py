"""Contacts, circles and interests as JSON (docs/architecture.md, "The API").

Validation only: the writes go through contacts.services, like the pages' (api/views/contacts.py).
Ids in a body (circle, introduced_by) are looked up among the owner's rows: another user's id is
the same 400 as one that does not exist.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from contacts.limits import MAX_DATES_PER_CONTACT, MAX_INTERESTS_PER_CARD, MAX_METHODS_PER_CONTACT
from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from network_crm.text import fold


class OwnedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id among the requesting user's rows only; anyone else's reads as "not found"."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)
        name = model._meta.verbose_name
        self.error_messages["does_not_exist"] = f"No {name} with id {{pk_value}} in your network."
        self.error_messages["incorrect_type"] = "Give an integer id (or null)."

    def get_queryset(self):
        return self.model._default_manager.filter(owner=self.context["request"].user)


class ContactMethodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactMethod
        fields = ["kind", "value", "label"]

    def validate(self, attrs):
        method = ContactMethod(**attrs)
        try:
            method.clean()  # the page's rules: a real email, 3-20 digits, a web address
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return {**attrs, "value": method.value}


class ImportantDateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportantDate
        fields = ["kind", "label", "month", "day", "year"]

    def validate(self, attrs):
        try:
            ImportantDate(**attrs).clean()  # 31 April is refused, 29 February without a year is not
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs


class InterestNamesField(serializers.ListField):
    """A contact's interests as their names, from the prefetched rows (no query per contact)."""

    def get_attribute(self, contact: Contact) -> list[str]:
        return sorted((interest.name for interest in contact.interests.all()), key=fold)


class ContactSerializer(serializers.ModelSerializer):
    """One person: their details, ways to reach them, dates and interests, and (read-only) when
    they are due. PUT/PATCH of ``methods``, ``dates`` or ``interests`` replaces that whole list."""

    circle = OwnedPrimaryKeyField(Circle, allow_null=True, required=False)
    introduced_by = OwnedPrimaryKeyField(Contact, allow_null=True, required=False)
    methods = ContactMethodSerializer(many=True, required=False, max_length=MAX_METHODS_PER_CONTACT)
    dates = ImportantDateSerializer(many=True, required=False, max_length=MAX_DATES_PER_CONTACT)
    interests = InterestNamesField(
        child=serializers.CharField(max_length=80),
        required=False,
        max_length=MAX_INTERESTS_PER_CARD,
        help_text="Interest names; a new name creates the interest.",
    )
    effective_cadence_days = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The contact's own rhythm, else their circle's, else null (no reminders).",
    )
    app_url = serializers.SerializerMethodField(help_text="The person's page in the app.")

    class Meta:
        model = Contact
        fields = [
            "id",
            *Contact.TEXT_FIELDS,
            "circle",
            "cadence_days",
            "effective_cadence_days",
            "introduced_by",
            "paused",
            "archived",
            "methods",
            "dates",
            "interests",
            "added_on",
            "last_interaction_on",
            "snoozed_until",
            "next_reach_out_on",
            "created_at",
            "updated_at",
            "app_url",
        ]
        read_only_fields = [
            "added_on",
            "last_interaction_on",
            "snoozed_until",
            "next_reach_out_on",
            "created_at",
            "updated_at",
        ]

    def get_app_url(self, contact: Contact) -> str:
        return self.context["request"].build_absolute_uri(contact.get_absolute_url())

    def validate_name(self, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise serializers.ValidationError("A person needs a name.")
        return value

    def validate_interests(self, names: list[str]) -> list[str]:
        cleaned = [" ".join(name.split()) for name in names]
        if not all(cleaned):
            raise serializers.ValidationError("An interest needs a name.")
        return cleaned

    def validate_dates(self, dates: list[dict]) -> list[dict]:
        own_birthdays = [
            d for d in dates if d.get("kind", "birthday") == "birthday" and not d.get("label")
        ]
        if len(own_birthdays) > 1:
            raise serializers.ValidationError(
                "Only one birthday without a label: give the other one a label "
                "(e.g. “Mia's birthday”)."
            )
        return dates

    def validate(self, attrs):
        introducer = attrs.get("introduced_by")
        if introducer is not None and self.instance and introducer.pk == self.instance.pk:
            raise serializers.ValidationError(
                {"introduced_by": "Someone can't introduce themselves."}
            )
        return attrs


class ContactSummarySerializer(serializers.ModelSerializer):
    """A search result: enough to tell people apart; the full record is at ``id``."""

    app_url = serializers.SerializerMethodField(help_text="The person's page in the app.")

    class Meta:
        model = Contact
        fields = [
            "id",
            "name",
            "nickname",
            "company",
            "role",
            "city",
            "circle",
            "archived",
            "next_reach_out_on",
            "updated_at",
            "app_url",
        ]
        read_only_fields = fields

    def get_app_url(self, contact: Contact) -> str:
        return self.context["request"].build_absolute_uri(contact.get_absolute_url())


class CircleSerializer(serializers.ModelSerializer):
    people_count = serializers.IntegerField(
        read_only=True, help_text="How many people (not archived) are in it."
    )

    class Meta:
        model = Circle
        fields = ["id", "name", "cadence_days", "people_count"]

    def validate_name(self, value: str) -> str:
        # The page's rule (contacts.forms.CircleForm.clean_name): names differ once folded.
        name = " ".join(value.split())
        if not name:
            raise serializers.ValidationError("A circle needs a name.")
        owner = self.context["request"].user
        others = Circle.objects.filter(owner=owner)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if fold(name) in {fold(other) for other in others.values_list("name", flat=True)}:
            raise serializers.ValidationError("You already have a circle with this name.")
        return name


class InterestSerializer(serializers.ModelSerializer):
    people_count = serializers.IntegerField(
        read_only=True, help_text="How many people (archived too) have it."
    )

    class Meta:
        model = Interest
        fields = ["id", "name", "mine", "people_count"]
        extra_kwargs = {"mine": {"help_text": "One of your own interests (shown as shared)."}}

    def validate_name(self, value: str) -> str:
        name = " ".join(value.split())
        if not name:
            raise serializers.ValidationError("An interest needs a name.")
        return name


class InterestMergeSerializer(serializers.Serializer):
    others = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=100,
        help_text="Ids of the interests folded into this one (and deleted).",
    )

    def validate_others(self, ids: list[int]) -> list[Interest]:
        owner = self.context["request"].user
        found = {i.pk: i for i in Interest.objects.filter(owner=owner, pk__in=ids)}
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(f"No interest with id {missing[0]} in your network.")
        return list(found.values())
