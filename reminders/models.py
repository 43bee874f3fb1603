from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from contacts.models import Contact
from network_crm.owned import OwnedModel


class Reminder(OwnedModel):
    """History and outbox of nudges. Not the source of truth for "due" (Contact.next_reach_out_on is)."""

    class Kind(models.TextChoices):
        REACH_OUT = "reach_out", "Reach out"
        FOLLOW_UP = "follow_up", "Follow up"
        IMPORTANT_DATE = "important_date", "Birthday or important date"
        CUSTOM = "custom", "Custom"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        SNOOZED = "snoozed", "Snoozed"
        DONE = "done", "Done"
        DISMISSED = "dismissed", "Dismissed"

    # A reminder is live (shown, nudged, counted) while open or snoozed; done and dismissed are
    # history. The one place this is written down (docs/architecture.md, "The due rule").
    LIVE_STATES = (State.OPEN, State.SNOOZED)

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="reminders")
    # The interaction whose follow-up date this is (follow-up reminders only).
    interaction = models.ForeignKey(
        "interactions.Interaction",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(max_length=20, choices=Kind)
    due_on = models.DateField()
    state = models.CharField(max_length=10, choices=State, default=State.OPEN)
    snoozed_until = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    # Bumped whenever the reminder is acted on, so a signed email link works once.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # How many digests carried this reminder without anything done about it ("don't hound").
    nudge_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            # At most one live reach-out reminder per contact: never a flood for one person.
            models.UniqueConstraint(
                fields=["contact", "kind"],
                condition=Q(state__in=["open", "snoozed"], kind="reach_out"),
                name="reminder_one_live_per_contact_kind",
            ),
            # One follow-up reminder per promise (an interaction's follow-up date); a new date
            # set later is a new promise.
            models.UniqueConstraint(
                fields=["interaction", "due_on"],
                condition=Q(kind="follow_up"),
                name="reminder_one_per_follow_up",
            ),
        ]
        indexes = [models.Index(fields=["owner", "state", "due_on"], name="reminder_owner_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.contact} ({self.due_on})"


class Digest(OwnedModel):
    """One email digest for one user and local date: the outbox row that guarantees delivery."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        EMPTY = "empty", "Nothing to send"
        # The owner turned the email off: the day's digest went to their channels and devices.
        NOT_EMAILED = "no_email", "Not emailed (email off)"

    local_date = models.DateField()
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    item_count = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "local_date"], name="digest_one_per_local_date"
            )
        ]
        indexes = [models.Index(fields=["state", "claimed_at"], name="digest_state_claimed")]

    def __str__(self) -> str:
        return f"Digest for {self.owner} on {self.local_date}"

    @property
    def message_id(self) -> str:
        # Stable across retries, so a rare duplicate send is recognisable as the same message.
        return f"<digest-{self.pk}-{self.local_date:%Y%m%d}@network-crm>"


class SchedulerHeartbeat(models.Model):
    """Last time each periodic job ran, so a stopped scheduler is visible instead of silent."""

    name = models.CharField(max_length=50, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_run_at:%Y-%m-%d %H:%M}"


class MeetupDismissal(OwnedModel):
    """ "Not now" on a meetup suggestion: the same group is not suggested again until ``until``,
    and its people are back as single nudges."""

    key = models.CharField(max_length=200)  # what the group shares and who is in it
    until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="meetup_dismissal_once_per_group")
        ]

    def __str__(self) -> str:
        return f"Meetup {self.key} not before {self.until}"


class RhythmStretch(OwnedModel):
    """A person's rhythm made longer after their nudge was ignored three times in a row, with
    what it was before, so it can be undone ("don't hound", docs/architecture.md)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="rhythm_stretches")
    previous_cadence_days = models.PositiveIntegerField(null=True, blank=True)  # None: the circle's
    new_cadence_days = models.PositiveIntegerField()
    stretched_on = models.DateField()
    undone_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-stretched_on", "-pk"]
        indexes = [
            models.Index(fields=["owner", "contact", "-stretched_on"], name="stretch_owner_contact")
        ]

    def __str__(self) -> str:
        return f"{self.contact}: every {self.new_cadence_days} days from {self.stretched_on}"
