from __future__ import annotations

import uuid

from django.db import models

from contacts.models import Contact
from network_crm.owned import OwnedModel


def _new_uid() -> str:
    return f"{uuid.uuid4()}@network-crm"


class Interaction(OwnedModel):
    """A coffee, call, message... with one or more contacts, at a moment that may be in the past."""

    class Kind(models.TextChoices):
        COFFEE = "coffee", "Coffee"
        CALL = "call", "Call"
        VIDEO_CALL = "video_call", "Video call"
        MESSAGE = "message", "Message"
        EMAIL = "email", "Email"
        MEAL = "meal", "Meal"
        EVENT = "event", "Event"
        INTRODUCTION = "introduction", "Introduction"
        SHARED = "shared", "Shared something"
        OTHER = "other", "Other"

    class Initiator(models.TextChoices):
        ME = "me", "I did"
        THEM = "them", "They did"

    kind = models.CharField(max_length=20, choices=Kind, default=Kind.COFFEE)
    initiated_by = models.CharField(
        "who reached out first", max_length=4, choices=Initiator, blank=True
    )
    occurred_at = models.DateTimeField()
    # The owner's local calendar date of occurred_at: the date the cadence clock runs from.
    occurred_on = models.DateField()
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    follow_up_note = models.CharField(max_length=300, blank=True)
    # Shown with the contact the next time they are due ("ask how the new job is going").
    ask_next_time = models.CharField("next time, ask about", max_length=300, blank=True)
    contacts = models.ManyToManyField(Contact, related_name="interactions")
    created_at = models.DateTimeField(auto_now_add=True)
    # For the API's incremental sync (?updated_since=); bulk .update() calls set it themselves.
    updated_at = models.DateTimeField(auto_now=True, db_index=False)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-occurred_at"], name="interaction_owner_when"),
            models.Index(fields=["owner", "occurred_on"], name="interaction_owner_day"),
            models.Index(fields=["follow_up_on"], name="interaction_follow_up"),
            models.Index(fields=["owner", "updated_at"], name="interaction_owner_updated"),
            # A person's timeline picks its newest rows by reading only this, not every row of
            # theirs (selectors._TIMELINE_SQL; migration 0007 has the links' side).
            models.Index(fields=["id", "occurred_at"], name="interaction_id_when"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%Y-%m-%d}"


class ActivityDay(OwnedModel):
    """How many interactions the owner had on one of their local days, and who reached out first.

    Derived data, so that the dashboard's weekly chart and its reciprocity figure read at most a
    year of these rows instead of a year of interactions (docs/architecture.md, "Bounded reads";
    docs/decisions/0002). ``interactions.services.activity_recount`` rewrites a day from its
    interactions whenever one of them is logged, moved or deleted, so a day is never adjusted by
    a delta that could drift: recounting any day again always gives the right figure."""

    day = models.DateField()
    total = models.PositiveIntegerField(default=0)
    by_me = models.PositiveIntegerField(default=0)
    by_them = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "day"], name="activity_day_once_per_owner")
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}: {self.total}"


class PlannedInteraction(OwnedModel):
    """A coffee or call planned for a future moment: shown under "Coming up", in the calendar,
    and in that morning's digest with its brief; logged with one click afterwards, or dismissed."""

    class State(models.TextChoices):
        PLANNED = "planned", "Planned"
        LOGGED = "logged", "Logged"
        DISMISSED = "dismissed", "Dismissed"

    kind = models.CharField(
        max_length=20, choices=Interaction.Kind, default=Interaction.Kind.COFFEE
    )
    contacts = models.ManyToManyField(Contact, related_name="planned_interactions")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    note = models.TextField("to talk about", blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.PLANNED)
    # The interaction it became, once logged.
    interaction = models.OneToOneField(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="planned"
    )
    uid = models.CharField(max_length=200, default=_new_uid, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["owner", "state", "starts_at"], name="planned_owner_state_start")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} planned for {self.starts_at:%Y-%m-%d %H:%M}"
