from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from network_crm.owned import OwnedModel
from network_crm.text import fold

CADENCE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(3650)]


class Circle(OwnedModel):
    """A group of people kept in touch with at the same rhythm (close friends every 14 days...)."""

    name = models.CharField(max_length=80)
    cadence_days = models.PositiveIntegerField(
        "reach out every (days)", null=True, blank=True, validators=CADENCE_VALIDATORS
    )

    class Meta:
        ordering = ["cadence_days", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="circle_unique_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class Interest(OwnedModel):
    """Something a person cares about: jazz, climbing, Lisbon. Shared interests are the overlap."""

    name = models.CharField(max_length=80)
    folded_name = models.CharField(max_length=80, editable=False)
    # One of the user's own interests: "shared interests" are a contact's interests marked mine.
    mine = models.BooleanField("I'm into this too", default=False)

    class Meta:
        ordering = ["folded_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "folded_name"], name="interest_unique_name_per_owner"
            )
        ]

    def save(self, *args, **kwargs):
        self.folded_name = fold(self.name)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name


def _photo_path(contact: Contact, filename: str) -> str:
    return f"photos/{contact.owner_id}/{filename}"


class Contact(OwnedModel):
    """Someone the user wants to stay in touch with."""

    name = models.CharField(max_length=200)
    nickname = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    company = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=120, blank=True)
    birthday = models.DateField(null=True, blank=True)
    how_we_met = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    circle = models.ForeignKey(
        Circle, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    interests = models.ManyToManyField(Interest, blank=True, related_name="contacts")
    introduced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introduced",
        help_text="The person who introduced you.",
    )
    cadence_days = models.PositiveIntegerField(
        "reach out every (days)",
        null=True,
        blank=True,
        validators=CADENCE_VALIDATORS,
        help_text="Leave empty to use the circle's rhythm.",
    )
    # Stored under MEDIA_ROOT with a random name and served only by an owner-checked view.
    photo = models.ImageField(upload_to=_photo_path, blank=True)
    paused = models.BooleanField(default=False, help_text="No reminders while paused.")
    archived = models.BooleanField(default=False)

    # Inputs of the one "due" rule (see contacts.services.contacts_recompute_due).
    added_on = models.DateField()
    cadence_restarted_on = models.DateField(null=True, blank=True)
    snoozed_until = models.DateField(null=True, blank=True)
    # Denormalised, maintained only by contacts.services; indexed so "who is due" is one range query.
    last_interaction_on = models.DateField(null=True, blank=True)
    next_reach_out_on = models.DateField(null=True, blank=True)

    # Folded copies for accent- and case-insensitive search and sorting on any database.
    search_text = models.TextField(blank=True, editable=False)
    sort_name = models.CharField(max_length=200, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_name", "pk"]
        indexes = [
            models.Index(fields=["owner", "next_reach_out_on"], name="contact_owner_next"),
            models.Index(fields=["owner", "sort_name"], name="contact_owner_sort"),
            models.Index(fields=["owner", "last_interaction_on"], name="contact_owner_last"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contacts:detail", args=[self.pk])

    def fill_folded_fields(self) -> None:
        """Fill the folded search and sort columns; save() calls it, bulk inserts must too."""
        self.sort_name = fold(self.name)[:200]
        own_text = [
            self.name,
            self.nickname,
            self.email,
            self.phone,
            self.company,
            self.role,
            self.city,
            self.country,
            self.notes,
        ]
        self.search_text = fold(" ".join(filter(None, own_text)))

    def save(self, *args, **kwargs):
        self.fill_folded_fields()
        super().save(*args, **kwargs)

    @property
    def effective_cadence_days(self) -> int | None:
        if self.cadence_days:
            return self.cadence_days
        return self.circle.cadence_days if self.circle_id else None

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p[:1].isalnum()]
        letters = (parts[0][:1] + (parts[-1][:1] if len(parts) > 1 else "")) if parts else "?"
        return letters.upper()

    @property
    def avatar_hue(self) -> int:
        """One of 12 colours (CSS classes hue-0..hue-11), stable across runs unlike hash()."""
        return sum(ord(ch) * (i + 1) for i, ch in enumerate(self.name)) % 12


class BulkChange(OwnedModel):
    """The last bulk edit of the contact list, kept so it can be undone in one click."""

    action = models.CharField(max_length=30)
    description = models.CharField(max_length=200)
    # What to restore: {"field": name, "previous": {contact_id: old value}} or, for interests,
    # {"interest_id": id, "contact_ids": [...]} of the rows the change added or removed.
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.description
