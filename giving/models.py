"""Give first (docs/architecture.md, "Give first"): things saved to share with people, what was
shared each way, and introductions made between two people."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from contacts.models import Contact, Interest
from interactions.models import Interaction
from network_crm.owned import OwnedModel


class ShareItem(OwnedModel):
    """A link, article, job, event or note saved once, with topics, to send someone's way."""

    class Kind(models.TextChoices):
        LINK = "link", "Link"
        ARTICLE = "article", "Article"
        JOB = "job", "Job"
        EVENT = "event", "Event"
        NOTE = "note", "Note"

    class Fetch(models.TextChoices):
        NONE = "none", "Nothing to fetch"
        PENDING = "pending", "Fetching the page"
        DONE = "done", "Fetched"
        FAILED = "failed", "Could not fetch the page"

    kind = models.CharField(max_length=10, choices=Kind, default=Kind.LINK)
    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    note = models.TextField("why it's worth sharing", blank=True)
    # Topics are the owner's interests (folded names), so matching people is a join.
    topics = models.ManyToManyField(Interest, blank=True, related_name="share_items")
    fetch_state = models.CharField(max_length=10, choices=Fetch, default=Fetch.NONE)
    fetch_error = models.CharField(max_length=300, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "archived", "-created_at"], name="shareitem_owner_recent")
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"Note {self.pk}"


class Share(OwnedModel):
    """One thing that went from you to a person (given) or from them to you (received)."""

    class Direction(models.TextChoices):
        GIVEN = "given", "You sent"
        RECEIVED = "received", "They sent you"

    item = models.ForeignKey(
        ShareItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="shares")
    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    direction = models.CharField(max_length=10, choices=Direction, default=Direction.GIVEN)
    # Kept with the share, so it still reads well once the item is deleted.
    title = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    shared_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shared_on", "-pk"]
        indexes = [
            models.Index(fields=["owner", "contact", "-shared_on"], name="share_owner_contact"),
            models.Index(
                fields=["owner", "direction", "shared_on"], name="share_owner_direction_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.title or self.url}"


class Introduction(OwnedModel):
    """An introduction you make between two people, double opt-in: ask one, ask the other, both
    agree, introduce, note the outcome (or one declines)."""

    class State(models.TextChoices):
        IDEA = "idea", "Idea"
        ASKED_A = "asked_a", "Asked the first person"
        ASKED_B = "asked_b", "Asked the second person"
        AGREED = "agreed", "Both agreed"
        INTRODUCED = "introduced", "Introduced"
        DONE = "done", "Outcome noted"
        DECLINED = "declined", "Declined"

    person_a = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="introductions_as_a"
    )
    person_b = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="introductions_as_b"
    )
    reason = models.TextField("why they should meet", blank=True)
    state = models.CharField(max_length=12, choices=State, default=State.IDEA)
    introduced_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="introductions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(person_a=F("person_b")), name="introduction_two_different_people"
            )
        ]
        indexes = [models.Index(fields=["owner", "state"], name="introduction_owner_state")]

    def __str__(self) -> str:
        return f"Introduction {self.pk} ({self.get_state_display()})"
