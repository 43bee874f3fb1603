"""Likely duplicates among a user's contacts, and merging two into one (undoable).

Suggestions come from a few grouped queries: the same email, the same phone number (last nine
digits, so "+33 6 12 34 56 78" and "06 12 34 56 78" match), and the same name once folded
("Émile Zola" and "emile zola").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count
from django.forms.models import model_to_dict

from contacts.models import Contact, ContactMethod, ImportantDate
from interactions.models import Interaction
from interactions.services import contacts_recompute_from_log, interactions_touch
from portability.models import ImportBatch, ImportedContact, Merge, NotDuplicate
from reminders.models import Reminder

if TYPE_CHECKING:
    from accounts.models import User

MERGEABLE_FIELDS = [*Contact.TEXT_FIELDS, "circle", "cadence_days"]


@dataclass(frozen=True)
class DuplicatePair:
    first: Contact
    second: Contact
    reasons: tuple[str, ...]


def duplicate_pairs(*, owner: User, limit: int = 50) -> list[DuplicatePair]:
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)

    def pair_up(ids: list[int], reason: str) -> None:
        ids = sorted(set(ids))
        for index, first in enumerate(ids):
            for second in ids[index + 1 : index + 4]:  # a big group is listed as a chain
                if reason not in reasons[(first, second)]:
                    reasons[(first, second)].append(reason)

    active = Contact.objects.filter(owner=owner, archived=False)
    same_names = (
        active.values("sort_name").annotate(n=Count("pk")).filter(n__gt=1).values("sort_name")[:500]
    )
    by_name: dict[str, list[int]] = defaultdict(list)
    for pk, key in active.filter(sort_name__in=same_names).values_list("pk", "sort_name"):
        by_name[key].append(pk)
    for ids in by_name.values():
        pair_up(ids, "same name")

    emails = ContactMethod.objects.filter(owner=owner, kind="email", contact__archived=False)
    same_emails = (
        emails.values("folded_value")
        .annotate(n=Count("contact", distinct=True))
        .filter(n__gt=1)
        .values("folded_value")[:500]
    )
    by_email: dict[str, list[int]] = defaultdict(list)
    for contact_id, value in emails.filter(folded_value__in=same_emails).values_list(
        "contact_id", "value"
    ):
        by_email[value.lower()].append(contact_id)
    for value, ids in by_email.items():
        pair_up(ids, f"same email {value}")

    by_phone: dict[str, list[int]] = defaultdict(list)
    for contact_id, value in ContactMethod.objects.filter(
        owner=owner, kind="phone", contact__archived=False
    ).values_list("contact_id", "value"):
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 6:
            by_phone[digits[-9:]].append(contact_id)
    for value, ids in by_phone.items():
        if len(set(ids)) > 1:
            pair_up(ids, f"same phone ending {value[-4:]}")

    dismissed = set(NotDuplicate.objects.filter(owner=owner).values_list("first_id", "second_id"))
    keys = [key for key in reasons if key not in dismissed][:limit]
    contacts = Contact.objects.in_bulk({pk for key in keys for pk in key})
    return [
        DuplicatePair(first=contacts[a], second=contacts[b], reasons=tuple(reasons[(a, b)]))
        for a, b in keys
        if a in contacts and b in contacts
    ]


def mark_not_duplicate(*, owner: User, first: Contact, second: Contact) -> None:
    a, b = sorted([first.pk, second.pk])
    NotDuplicate.objects.get_or_create(owner=owner, first_id=a, second_id=b)


@transaction.atomic
def contacts_merge(
    *, survivor: Contact, other: Contact, picks: dict[str, str], today: dt.date
) -> Merge:
    """Merge ``other`` into ``survivor``: chosen fields (``picks[field] == "other"`` takes the
    other's value), and every email, phone, date, interest, interaction and reminder moves over.
    ``other`` is deleted; the returned Merge can undo it all."""
    if survivor.owner_id != other.owner_id or survivor.pk == other.pk:
        raise ValueError("Only two different contacts of the same user can be merged.")
    owner = survivor.owner
    snapshot = {
        "other": model_to_dict(other, exclude=["interests", "photo"])
        | {
            "pk": other.pk,
            "uid": other.uid,
            "added_on": other.added_on.isoformat(),
            "photo": other.photo.name or "",
            # The import that created the other, so undoing that import still removes them.
            "import_batch": ImportedContact.objects.filter(contact=other)
            .values_list("batch_id", flat=True)
            .first(),
        },
        "survivor_before": {name: _value(survivor, name) for name in MERGEABLE_FIELDS},
        "moved_methods": [],
        "moved_dates": [],
        "added_interests": [],
        "moved_interactions": [],
        "moved_reminders": [],
        "moved_introduced": [],
        "dropped_methods": [],
    }
    for name in MERGEABLE_FIELDS:
        if picks.get(name) == "other":
            setattr(survivor, name, getattr(other, name))
    if not survivor.photo and other.photo:
        survivor.photo = other.photo
    survivor.save()

    have = {(m.kind, m.folded_value) for m in survivor.methods.all()}
    for method in other.methods.all():
        if (method.kind, method.folded_value) in have:
            snapshot["dropped_methods"].append(model_to_dict(method))
            method.delete()
        else:
            snapshot["moved_methods"].append(method.pk)
    ContactMethod.objects.filter(pk__in=snapshot["moved_methods"]).update(contact=survivor)
    dates = {(d.kind, d.month, d.day, d.label) for d in survivor.dates.all()}
    for date in other.dates.all():
        if (date.kind, date.month, date.day, date.label) not in dates:
            snapshot["moved_dates"].append(date.pk)
    ImportantDate.objects.filter(pk__in=snapshot["moved_dates"]).update(contact=survivor)

    survivor_interests = set(survivor.interests.values_list("pk", flat=True))
    for interest_id in other.interests.values_list("pk", flat=True):
        if interest_id not in survivor_interests:
            snapshot["added_interests"].append(interest_id)
    survivor.interests.add(*snapshot["added_interests"])
    snapshot["other_interests"] = list(other.interests.values_list("pk", flat=True))

    links = Interaction.contacts.through.objects
    shared = set(links.filter(contact=survivor).values_list("interaction_id", flat=True))
    other_links = list(links.filter(contact=other).values_list("interaction_id", flat=True))
    snapshot["other_interactions"] = other_links
    moved = [pk for pk in other_links if pk not in shared]
    snapshot["moved_interactions"] = moved
    links.bulk_create([links.model(contact_id=survivor.pk, interaction_id=pk) for pk in moved])
    # They now show the survivor instead of the other (the API's ?updated_since=).
    interactions_touch(owner=owner, interaction_ids=other_links)

    # One live reach-out reminder per contact: the other's is closed rather than moved.
    Reminder.objects.filter(
        contact=other, kind="reach_out", state__in=Reminder.LIVE_STATES
    ).delete()
    snapshot["moved_reminders"] = list(other.reminders.values_list("pk", flat=True))
    Reminder.objects.filter(pk__in=snapshot["moved_reminders"]).update(contact=survivor)
    snapshot["moved_introduced"] = list(other.introduced.values_list("pk", flat=True))
    Contact.objects.filter(pk__in=snapshot["moved_introduced"]).update(introduced_by=survivor)

    merge = Merge.objects.create(
        owner=owner, survivor=survivor, merged_name=other.name, snapshot=snapshot
    )
    other.photo = ""  # the survivor may have taken the file
    other.delete()
    # Interactions moved to the survivor: its last-interaction date comes from the log.
    contacts_recompute_from_log(owner=owner, contact_ids=[survivor.pk])
    return merge


def _value(contact: Contact, name: str):
    return contact.circle_id if name == "circle" else getattr(contact, name)


@transaction.atomic
def merge_undo(*, merge: Merge, now: dt.datetime) -> Contact:
    """Bring the merged-away contact back with everything that was moved, and restore the
    survivor's fields."""
    snap = merge.snapshot
    survivor = merge.survivor
    data = dict(snap["other"])
    interests = data.pop("interests", None)  # noqa: F841 - restored from other_interests
    pk = data.pop("pk")
    photo = data.pop("photo", "")
    data.pop("id", None)
    circle_id = data.pop("circle", None)
    introduced_by_id = data.pop("introduced_by", None)
    import_batch_id = data.pop("import_batch", None)
    data["added_on"] = dt.date.fromisoformat(data["added_on"])
    for name in (
        "cadence_restarted_on",
        "snoozed_until",
        "last_interaction_on",
        "next_reach_out_on",
    ):
        if isinstance(data.get(name), str):
            data[name] = dt.date.fromisoformat(data[name])
    data.pop("owner", None)
    other = Contact(
        pk=pk,
        owner=merge.owner,
        circle_id=circle_id,
        introduced_by_id=introduced_by_id,
        **{k: v for k, v in data.items() if k in {f.name for f in Contact._meta.fields}},
    )
    if photo and photo != (survivor.photo.name or ""):
        other.photo = photo
    other.save(force_insert=True)
    if (
        import_batch_id
        and ImportBatch.objects.filter(owner=merge.owner, pk=import_batch_id).exists()
    ):
        ImportedContact.objects.create(batch_id=import_batch_id, contact=other)

    for name, value in snap["survivor_before"].items():
        setattr(survivor, "circle_id" if name == "circle" else name, value)
    if photo and survivor.photo.name == photo:
        survivor.photo = ""
        other.photo = photo
        other.save(update_fields=["photo"])
    survivor.save()

    ContactMethod.objects.filter(pk__in=snap["moved_methods"]).update(contact=other)
    for row in snap["dropped_methods"]:
        ContactMethod.objects.create(
            owner=merge.owner,
            contact=other,
            kind=row["kind"],
            label=row["label"],
            value=row["value"],
            position=row["position"],
        )
    ImportantDate.objects.filter(pk__in=snap["moved_dates"]).update(contact=other)
    survivor.interests.remove(*snap["added_interests"])
    other.interests.set(snap.get("other_interests", []))
    links = Interaction.contacts.through.objects
    links.filter(contact=survivor, interaction_id__in=snap["moved_interactions"]).delete()
    links.bulk_create(
        [
            links.model(contact_id=other.pk, interaction_id=i)
            for i in snap.get("other_interactions", [])
        ],
        ignore_conflicts=True,
    )
    interactions_touch(
        owner=merge.owner,
        interaction_ids=[*snap["moved_interactions"], *snap.get("other_interactions", [])],
    )
    Reminder.objects.filter(pk__in=snap["moved_reminders"]).update(contact=other)
    Contact.objects.filter(pk__in=snap["moved_introduced"]).update(introduced_by=other)
    merge.undone_at = now
    merge.save(update_fields=["undone_at"])
    contacts_recompute_from_log(owner=merge.owner, contact_ids=[survivor.pk, other.pk])
    return other
