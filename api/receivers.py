"""Webhook events from the signals of the apps below (docs/architecture.md, "Webhooks").

Each receiver runs inside the sender's transaction and only registers work for its commit: the
delivery rows are written after the change is committed (a rolled-back change tells nobody), then
the deliveries are queued for the worker. ``robust``: a failure here must never undo or fail the
user's change; beat's ``deliver_webhooks`` picks up anything that was written but not queued.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction

from api.models import Webhook
from api.services.webhooks import contact_ref, webhook_events_record
from api.tasks import enqueue_deliveries
from contacts.models import Contact
from network_crm.clock import now


def _emit(*, owner_id: int, event: str, items) -> None:
    transaction.on_commit(partial(_record, owner_id, event, items), robust=True)


def _record(owner_id: int, event: str, items) -> None:
    data = items() if callable(items) else items
    ids = webhook_events_record(owner_id=owner_id, event=event, items=data, now=now())
    enqueue_deliveries(ids)


def _has_hooks(owner_id: int) -> bool:
    return Webhook.objects.filter(owner_id=owner_id, is_active=True).exists()


def on_contact_saved(sender, *, owner, contact, created, archived, **kwargs) -> None:
    ref = contact_ref(contact.pk, contact.name)
    event = "contact.created" if created else "contact.updated"
    _emit(owner_id=owner.pk, event=event, items=[{"contact": ref}])
    if archived and not created:
        _emit(owner_id=owner.pk, event="contact.archived", items=[{"contact": ref}])


def _contact_items(contact_ids) -> list[dict]:
    rows = Contact.objects.filter(pk__in=list(contact_ids)).order_by("pk")
    return [{"contact": contact_ref(row.pk, row.name)} for row in rows]


def on_contacts_archived(sender, *, owner, contact_ids, **kwargs) -> None:
    # Names are read after commit, and only when the owner has a webhook at all.
    def items() -> list[dict]:
        return _contact_items(contact_ids) if _has_hooks(owner.pk) else []

    _emit(owner_id=owner.pk, event="contact.archived", items=items)


def on_interaction_logged(sender, *, owner, interaction, contact_ids, **kwargs) -> None:
    def items() -> list[dict]:
        if not _has_hooks(owner.pk):
            return []
        people = Contact.objects.filter(pk__in=list(contact_ids)).order_by("pk")
        return [
            {
                "interaction": {
                    "id": interaction.pk,
                    "kind": interaction.kind,
                    "occurred_at": interaction.occurred_at.isoformat(),
                    "api_url": f"{settings.SITE_URL}/api/v1/interactions/{interaction.pk}/",
                },
                "contacts": [contact_ref(person.pk, person.name) for person in people],
            }
        ]

    _emit(owner_id=owner.pk, event="interaction.logged", items=items)


def on_reminders_opened(sender, *, reminders, **kwargs) -> None:
    by_owner: dict[int, list[tuple[int, object]]] = {}
    for owner_id, contact_id, due_on in reminders:
        by_owner.setdefault(owner_id, []).append((contact_id, due_on))

    def record_all() -> None:

        # One query for who has a reminder.due webhook, so a sweep over many owners stays cheap.
        hooked = set(
            Webhook.objects.filter(owner_id__in=list(by_owner), is_active=True).values_list(
                "owner_id", flat=True
            )
        )
        for owner_id in hooked:
            pairs = by_owner[owner_id]
            names = dict(
                Contact.objects.filter(pk__in=[pk for pk, _ in pairs]).values_list("pk", "name")
            )
            items = [
                {"contact": contact_ref(pk, names[pk]), "due_on": due_on.isoformat()}
                for pk, due_on in pairs
                if pk in names
            ]
            _record(owner_id, "reminder.due", items)

    transaction.on_commit(record_all, robust=True)


def on_digest_sent(sender, *, owner_id, digest_id, item_count, sent_at, **kwargs) -> None:
    item = {"digest": {"id": digest_id, "item_count": item_count, "sent_at": sent_at.isoformat()}}
    _emit(owner_id=owner_id, event="digest.sent", items=[item])


def connect() -> None:
    from contacts.signals import contact_saved, contacts_archived
    from interactions.signals import interaction_logged
    from reminders.signals import digest_sent, reminders_opened

    contact_saved.connect(on_contact_saved, dispatch_uid="api-webhooks-contact-saved")
    contacts_archived.connect(on_contacts_archived, dispatch_uid="api-webhooks-archived")
    interaction_logged.connect(on_interaction_logged, dispatch_uid="api-webhooks-logged")
    reminders_opened.connect(on_reminders_opened, dispatch_uid="api-webhooks-due")
    digest_sent.connect(on_digest_sent, dispatch_uid="api-webhooks-digest")
