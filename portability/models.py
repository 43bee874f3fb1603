"""What the whole-account workflows keep: uploaded imports (and the people each created), merges
(with what undoes them) and pairs the user said are different people.

ImportBatch, Merge and NotDuplicate were contacts' models; their tables keep their names
(``db_table``), so existing databases kept their rows when they moved here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from contacts.models import Contact
from network_crm.owned import OwnedModel


class ImportBatch(OwnedModel):
    """An uploaded contacts file, kept in the database (a worker may run on another machine)
    through preview, import and a possible undo."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        QUEUED = "queued", "Waiting for a worker"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"
        UNDONE = "undone", "Undone"

    kind = models.CharField(max_length=20)  # vcard, google, linkedin
    filename = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    state = models.CharField(max_length=10, choices=State, default=State.UPLOADED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    # Counts and samples of what the preview found and what the import did.
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # The people this import created, so a whole import can be undone. The link is portability's
    # own table: contacts know nothing of imports (docs/architecture.md, the layers).
    contacts = models.ManyToManyField(
        Contact, through="ImportedContact", related_name="import_batches", blank=True
    )

    class Meta:
        db_table = "contacts_importbatch"  # the table predates this app; kept, with its rows
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename or f"Import {self.pk}"

    @property
    def progress(self) -> ImportProgress:
        """How far the import is, for the bar and the words alike: both come from this one
        count, so they can't disagree (and the count never runs past the total)."""
        total = max(self.total, self.processed)
        return ImportProgress(done=self.processed, total=total)

    @property
    def percent(self) -> int:
        return self.progress.percent


@dataclass(frozen=True)
class ImportProgress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class Merge(OwnedModel):
    """A merge of two contacts, with what is needed to undo it."""

    survivor = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="merges")
    merged_name = models.CharField(max_length=200)
    # The merged-away contact's row and everything moved from it, and the survivor's old values.
    snapshot = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "contacts_merge"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.merged_name} into {self.survivor}"


class NotDuplicate(OwnedModel):
    """Two contacts the user said are different people: never suggested again."""

    first = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "contacts_notduplicate"
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="not_duplicate_once")
        ]


class ImportedContact(models.Model):
    """One person an import created (at most one import creates a person)."""

    # Goes with the batch or the person (Django's CASCADE: the database-level one can't be mixed
    # with the Python-level cascades above these models).
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact"], name="imported_contact_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} from import {self.batch_id}"
