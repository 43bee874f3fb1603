"""What the DAV server keeps beside the contacts: the change log behind sync tokens (one
collection per owner and kind, a row per card or event with the collection's sequence number
of its last change, tombstones for removed ones), what a card holds that the CRM has no column
for, per-device sync state, and the owner's sync settings."""

from __future__ import annotations

from django.db import models

from accounts.models import AppPassword
from contacts.models import Circle, Contact
from network_crm.owned import OwnedModel

# --- The change log (engine) -----------------------------------------------------------------


class SyncCollection(OwnedModel):
    """One per owner and kind; ``seq`` counts changes, a sync token names one value of it."""

    class Kind(models.TextChoices):
        CARDS = "cards", "Contacts"
        CALENDAR = "calendar", "Calendar"

    kind = models.CharField(max_length=10, choices=Kind)
    seq = models.PositiveBigIntegerField(default=0)
    # When the log was last brought up to date with the contacts; None: the next refresh
    # re-reads everyone (after "which people sync" changed, say).
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind"], name="dav_collection_per_owner_kind")
        ]


class Card(OwnedModel):
    """A contact as the address book serves it. A row outlives its contact as a tombstone
    (``deleted``), so a sync token taken before the removal reports it."""

    contact = models.OneToOneField(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="card"
    )
    href = models.CharField(max_length=255)  # the resource name, e.g. "<uid>.vcf"
    uid = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # of the content, whatever the vCard version
    seq = models.PositiveBigIntegerField()  # SyncCollection.seq at its last change
    deleted = models.BooleanField(default=False)
    # vCard lines the CRM has no column for (addresses, X- properties, a phone's own fields),
    # kept verbatim and written back unchanged.
    extra = models.TextField(blank=True)
    # The last few versions' fields ([{"seq", "fingerprint", "fields"}], newest last): the base
    # of a three-way merge when a device writes a card it read before an edit made in the app.
    history = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The contact's updated_at when the fingerprint was last taken: a contact written since
    # (updated_at moved) is read again, one that wasn't is skipped even inside the refresh's
    # slack, so a fresh import isn't re-rendered on every request for minutes.
    contact_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "href"], name="dav_card_unique_href")
        ]
        indexes = [
            models.Index(fields=["owner", "seq"], name="dav_card_owner_seq"),
            models.Index(fields=["owner", "uid"], name="dav_card_owner_uid"),
        ]


class CalendarEntry(OwnedModel):
    """An event of the read-only calendar as last served (for its sync token)."""

    href = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    deleted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "href"], name="dav_event_unique_href")
        ]
        indexes = [models.Index(fields=["owner", "seq"], name="dav_event_owner_seq")]


class DeviceSync(OwnedModel):
    """How far a device (an app password) has read a collection.

    ``seq``: what the device had before its current sync (the token it sent, or its previous
    listing): the base of a three-way merge when it writes a card now. ``listed_seq``: the seq
    of its latest listing, which becomes ``seq`` when it next lists (dav.radicale_storage)."""

    app_password = models.ForeignKey(AppPassword, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=SyncCollection.Kind)
    seq = models.PositiveBigIntegerField(default=0)
    listed_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["app_password", "kind"], name="dav_device_sync_per_kind"
            )
        ]


# --- What a card write could not settle (cards) ----------------------------------------------


class CardConflict(OwnedModel):
    """The same field changed in the app and on a device between two syncs: the device's value
    was kept (it wrote last) and the app's is shown on the person's page to restore."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=40)
    device_value = models.TextField(blank=True)
    replaced_value = models.TextField(blank=True)
    device_name = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)


# --- The owner's sync settings (settings) ----------------------------------------------------


class DavSettings(OwnedModel):
    class OnPhoneDelete(models.TextChoices):
        ARCHIVE = "archive", "Archive the person (history kept, undo from the app)"
        DELETE = "delete", "Delete the person and their history"

    on_phone_delete = models.CharField(
        max_length=10, choices=OnPhoneDelete, default=OnPhoneDelete.ARCHIVE
    )
    sync_everyone = models.BooleanField(default=True)
    circles = models.ManyToManyField(Circle, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner"], name="dav_settings_per_owner")]
