"""Writes to contacts, and the one rule for when someone is due.

The rule (docs/architecture.md, "The due rule"): effective cadence = the contact's override, else
its circle's, else none.
    next_reach_out_on = max(last interaction, cadence restarted on) + cadence, where added_on
    stands in when neither exists; pushed later by snoozed_until when set. Someone who often
    reaches out first (``reaches_out_often``, kept from the log) gets cadence × 5/4 ("don't hound").
``contacts_recompute_due`` is the only implementation; single-contact writes call it with one id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from contacts.limits import MAX_INTERESTS_PER_OWNER
from contacts.models import (
    BulkChange,
    Circle,
    Contact,
    ContactMethod,
    ImportantDate,
    Interest,
    due_cadence,
)
from contacts.signals import contact_saved, contacts_archived, contacts_deleting, due_changed
from network_crm.db import AddDays
from network_crm.text import people

if TYPE_CHECKING:
    from accounts.models import User

DEFAULT_CIRCLES = [
    ("Close friends", 14),
    ("Friends", 30),
    ("Peers", 30),
    ("Mentors", 60),
    ("Acquaintances", 120),
]


def circles_create_defaults(*, owner: User) -> list[Circle]:
    """Give a new user the usual circles, each with its rhythm."""
    return Circle.objects.bulk_create(
        [Circle(owner=owner, name=name, cadence_days=days) for name, days in DEFAULT_CIRCLES],
        ignore_conflicts=True,
    )


def contacts_touch(
    *, owner: User, contact_ids: Iterable[int], now: dt.datetime | None = None
) -> int:
    """Mark contacts as changed now (``updated_at``), for writes that skip ``Contact.save()``:
    bulk updates, and rows of other tables a phone's card shows (ways to reach, dates, the
    circle's name). Phone sync re-reads only contacts changed since its last look, so every
    path that changes what a card shows must end here or in save() (docs/architecture.md,
    "Sync with phones"). One UPDATE per 10,000 people (SQLite's limit on parameters)."""
    ids = sorted(set(contact_ids))
    stamp = now or timezone.now()
    return sum(
        Contact.objects.filter(owner=owner, pk__in=ids[start : start + 10_000]).update(
            updated_at=stamp
        )
        for start in range(0, len(ids), 10_000)
    )


def contacts_recompute_due(
    *,
    owner: User,
    contact_ids: Iterable[int] | None = None,
    last_interaction_on: BaseExpression | None = None,
    reaches_out_often: BaseExpression | None = None,
    today: dt.date | None = None,
) -> int:
    """Recompute ``next_reach_out_on`` for many contacts at once from their stored columns.

    Two UPDATE statements whatever the number of contacts; ``contact_ids=None`` means all of
    ``owner``'s contacts. ``last_interaction_on``, when given, is an expression evaluated per
    contact (``OuterRef("pk")`` is the contact) that first rewrites that column: interactions
    passes its "latest day in the log" this way (``contacts_recompute_from_log``), so the rule
    stays here without contacts reading the log. ``reaches_out_often``, likewise an expression
    from the log, is written next (it may read the new ``last_interaction_on``); the rule then
    adds the effective cadence × 5/4 for those people (``due_cadence``). Sends ``due_changed`` (contacts/signals.py)
    afterwards, with ``today`` when the caller knows it. Returns the number of contacts updated.
    """
    contacts: QuerySet[Contact] = Contact.objects.filter(owner=owner)
    ids = None if contact_ids is None else list(contact_ids)
    if ids is not None:
        contacts = contacts.filter(pk__in=ids)
    if last_interaction_on is not None:
        contacts.update(last_interaction_on=last_interaction_on)
    if reaches_out_often is not None:
        contacts.update(reaches_out_often=reaches_out_often)

    # The effective cadence, × 5/4 for someone who often reaches out first ("don't hound").
    cadence = due_cadence()
    # The clock runs from the later of the last interaction and a "we're fine" restart; the date
    # the contact was added counts only when neither exists. (A coffee logged as "10 days ago" for
    # someone added today makes them due on a 7-day rhythm, as the user would expect.)
    clock_start = Greatest(
        Coalesce(F("last_interaction_on"), F("cadence_restarted_on"), F("added_on")),
        Coalesce(F("cadence_restarted_on"), F("last_interaction_on"), F("added_on")),
    )
    # A NULL cadence gives a NULL date: no reach-out nudges for this contact.
    updated = contacts.update(next_reach_out_on=AddDays(clock_start, cadence))
    # A snooze only ever pushes the date later (and never invents one where there is no cadence).
    contacts.filter(snoozed_until__gt=F("next_reach_out_on")).update(
        next_reach_out_on=F("snoozed_until")
    )
    due_changed.send(sender=Contact, owner=owner, contact_ids=ids, today=today)
    return updated


def contact_recompute_due(*, contact: Contact, today: dt.date | None = None) -> Contact:
    """The one rule, for one contact; refreshes the instance's dates."""
    contacts_recompute_due(owner=contact.owner, contact_ids=[contact.pk], today=today)
    contact.refresh_from_db(fields=["last_interaction_on", "next_reach_out_on"])
    return contact


@transaction.atomic
def contacts_set_cadence(
    *, owner: User, cadences: dict[int, int | None], today: dt.date | None = None
) -> int:
    """Give each contact (id → days; None: back to the circle's rhythm) its own rhythm and
    recompute when they are due: one UPDATE for the rhythms and the rule's statements, whatever
    the number of people. What "don't hound" uses to stretch a rhythm and to undo that
    (reminders/services/rhythm.py). A rhythm is not on a phone's card: updated_at stays."""
    if not cadences:
        return 0
    contacts = list(Contact.objects.filter(owner=owner, pk__in=list(cadences)).only("pk"))
    for contact in contacts:
        contact.cadence_days = cadences[contact.pk]
    Contact.objects.bulk_update(contacts, ["cadence_days"])
    contacts_recompute_due(owner=owner, contact_ids=[c.pk for c in contacts], today=today)
    return len(contacts)


@transaction.atomic
def contact_save(*, contact: Contact, today: dt.date) -> Contact:
    """Create or update a contact (already filled in by a form) and recompute when they are due."""
    created = contact.pk is None
    if created:
        contact.added_on = today
    # Only a save that archives asks what the row was (one query, on that path alone).
    archived = contact.archived and (
        created or not Contact.objects.filter(pk=contact.pk, archived=True).exists()
    )
    contact.save()
    contact_saved.send(
        sender=Contact, owner=contact.owner, contact=contact, created=created, archived=archived
    )
    return contact_recompute_due(contact=contact, today=today)


@transaction.atomic
def contact_save_with_details(*, contact: Contact, formsets: Iterable, today: dt.date) -> Contact:
    """Save a contact and its inline rows (ways to reach, important dates) together."""
    contact_save(contact=contact, today=today)
    for formset in formsets:
        formset.instance = contact
        formset.save()
    return contact


@transaction.atomic
def contact_save_with_rows(
    *,
    contact: Contact,
    today: dt.date,
    methods: list[ContactMethod] | None = None,
    dates: list[ImportantDate] | None = None,
    interest_names: list[str] | None = None,
) -> Contact:
    """``contact_save`` plus a whole new list of ways to reach, dates or interests (None: that
    list is left as it is), already validated: what an API client sends as one document
    (docs/architecture.md, "The API"). The contact's save marks it changed for phone sync."""
    contact_save(contact=contact, today=today)
    owner_id = contact.owner_id
    if methods is not None:
        ContactMethod.objects.filter(contact=contact).delete()
        for position, method in enumerate(methods):
            method.owner_id, method.contact, method.position = owner_id, contact, position
            method.fill_folded_fields()  # bulk_create skips save()
        ContactMethod.objects.bulk_create(methods)
    if dates is not None:
        ImportantDate.objects.filter(contact=contact).delete()
        for date in dates:
            date.owner_id, date.contact = owner_id, contact
        ImportantDate.objects.bulk_create(dates)
    if interest_names is not None:
        interests = [interest_get_or_create(owner=contact.owner, name=n) for n in interest_names]
        contact.interests.set(interests)
    return contact


@transaction.atomic
def contact_snooze(*, contact: Contact, until: dt.date, today: dt.date) -> Contact:
    """No reach-out nudge for ``contact`` before ``until`` (a live reach-out reminder closes,
    through ``due_changed``)."""
    contact.snoozed_until = until
    contact.save(update_fields=["snoozed_until", "updated_at"])
    contact_recompute_due(contact=contact, today=today)
    return contact


@transaction.atomic
def circle_save(*, circle: Circle) -> Circle:
    """Save a circle; a new cadence re-times every contact in it in one set-based recompute.
    Its people are marked changed: the circle's name is a category on their phone cards."""
    circle.save()
    members = list(
        Contact.objects.filter(owner=circle.owner, circle=circle).values_list("pk", flat=True)
    )
    contacts_touch(owner=circle.owner, contact_ids=members)
    contacts_recompute_due(owner=circle.owner, contact_ids=members)
    return circle


def contacts_set_flags(*, owner: User, contact_ids: Iterable[int], **flags: bool) -> int:
    """Pause/unpause or archive/unarchive many contacts in one UPDATE."""
    allowed = {"paused", "archived"}
    if not flags or set(flags) - allowed:
        raise ValueError(f"Only {sorted(allowed)} can be set in bulk.")
    ids = list(contact_ids)
    newly_archived = []
    if flags.get("archived"):
        newly_archived = list(
            Contact.objects.filter(owner=owner, pk__in=ids, archived=False).values_list(
                "pk", flat=True
            )
        )
    # Archiving takes a card off the phone: updated_at tells phone sync (contacts_touch).
    updated = Contact.objects.filter(owner=owner, pk__in=ids).update(
        **flags, updated_at=timezone.now()
    )
    if newly_archived:
        contacts_archived.send(sender=Contact, owner=owner, contact_ids=newly_archived)
    return updated


# --- Interests -------------------------------------------------------------------------------


class InterestLimitReached(ValueError):
    """The account already has MAX_INTERESTS_PER_OWNER interests; the message says what to do."""

    def __init__(self) -> None:
        super().__init__(
            f"You already have {MAX_INTERESTS_PER_OWNER:,} interests, the most one account can "
            "have. Delete some you no longer use (in the admin, under Interests) to make room."
        )


def interest_get_or_create(*, owner: User, name: str) -> Interest:
    """The owner's interest called ``name``, matched ignoring case and accents ("Jazz" = "jázz").

    A new one is refused with InterestLimitReached once the owner has MAX_INTERESTS_PER_OWNER:
    every page that lists or suggests interests stays small, whatever a file or a form sends.
    """
    clean = " ".join(name.split())[:80]
    if not clean:
        raise ValueError("An interest needs a name.")
    folded = Interest.fold_name(clean)
    existing = Interest.objects.filter(owner=owner, folded_name=folded).first()
    if existing is not None:
        return existing
    if Interest.objects.filter(owner=owner).count() >= MAX_INTERESTS_PER_OWNER:
        raise InterestLimitReached()
    interest, _ = Interest.objects.get_or_create(
        owner=owner, folded_name=folded, defaults={"name": clean}
    )
    return interest


def _interest_holders_touch(*, owner: User, interest_ids: Iterable[int]) -> None:
    """A contact's interests are part of what the API shows of them: the people who have these
    interests are marked changed, so ``?updated_since=`` finds them (docs/architecture.md,
    "The API")."""
    links = Contact.interests.through.objects.filter(interest_id__in=list(interest_ids))
    contacts_touch(owner=owner, contact_ids=links.values_list("contact_id", flat=True))


def contact_interest_add(*, contact: Contact, name: str) -> Interest:
    interest = interest_get_or_create(owner=contact.owner, name=name)
    contact.interests.add(interest)
    contacts_touch(owner=contact.owner, contact_ids=[contact.pk])
    return interest


def contact_interest_remove(*, contact: Contact, interest: Interest) -> None:
    contact.interests.remove(interest)
    contacts_touch(owner=contact.owner, contact_ids=[contact.pk])


@transaction.atomic
def interests_set_mine(*, owner: User, names: Iterable[str]) -> list[Interest]:
    """Make exactly ``names`` the user's own interests (creating any that are new)."""
    mine = [interest_get_or_create(owner=owner, name=name) for name in names if name.strip()]
    Interest.objects.filter(owner=owner, mine=True).exclude(pk__in=[i.pk for i in mine]).update(
        mine=False
    )
    Interest.objects.filter(pk__in=[i.pk for i in mine]).update(mine=True)
    return mine


class InterestNameTaken(ValueError):
    """Another of the owner's interests already has this name (ignoring case and accents)."""


@transaction.atomic
def interest_update(*, interest: Interest, name: str | None = None, mine: bool | None = None):
    """Rename an interest and/or make it one of the user's own (None: unchanged). A name that
    another interest has once folded is refused (InterestNameTaken): merge them instead
    (``interests_merge``)."""
    if name is not None:
        clean = " ".join(name.split())[:80]
        if not clean:
            raise ValueError("An interest needs a name.")
        others = Interest.objects.filter(owner=interest.owner).exclude(pk=interest.pk)
        if others.filter(folded_name=Interest.fold_name(clean)).exists():
            raise InterestNameTaken(f"You already have an interest called “{clean}”: merge them.")
        interest.name = clean
        _interest_holders_touch(owner=interest.owner, interest_ids=[interest.pk])
    if mine is not None:
        interest.mine = mine
    interest.save(update_fields=["name", "folded_name", "mine"])
    return interest


@transaction.atomic
def interest_delete(*, interest: Interest) -> None:
    """Delete an interest: the people who had it keep everything else."""
    _interest_holders_touch(owner=interest.owner, interest_ids=[interest.pk])
    interest.delete()


@transaction.atomic
def interests_merge(*, owner: User, keep: Interest, others: Iterable[Interest]) -> dict:
    """Fold ``others`` into ``keep``: everyone who had one of them has ``keep`` (once), and
    they are deleted; "I'm into this too" stays if any of them had it. Returns what
    ``interests_merge_undo`` needs to put them back (JSON-safe)."""
    others = [i for i in others if i.owner_id == owner.pk and i.pk != keep.pk]
    if keep.owner_id != owner.pk:
        raise PermissionError("Interests can only be merged into the owner's own.")
    through = Contact.interests.through
    had_kept = set(through.objects.filter(interest=keep).values_list("contact_id", flat=True))
    removed = []
    for other in others:
        people_ids = list(
            through.objects.filter(interest=other).values_list("contact_id", flat=True)
        )
        removed.append(
            {"pk": other.pk, "name": other.name, "mine": other.mine, "contact_ids": people_ids}
        )
    moved = {pk for item in removed for pk in item["contact_ids"]} - had_kept
    contacts_touch(owner=owner, contact_ids={pk for item in removed for pk in item["contact_ids"]})
    through.objects.bulk_create(
        [through(contact_id=pk, interest_id=keep.pk) for pk in sorted(moved)],
        batch_size=1000,
        ignore_conflicts=True,
    )
    kept_mine = keep.mine
    if any(item["mine"] for item in removed) and not keep.mine:
        Interest.objects.filter(pk=keep.pk).update(mine=True)
        keep.mine = True
    Interest.objects.filter(owner=owner, pk__in=[item["pk"] for item in removed]).delete()
    return {
        "kept_id": keep.pk,
        "kept_mine": kept_mine,
        "added_to_kept": sorted(moved),
        "removed": removed,
    }


@transaction.atomic
def interests_merge_undo(*, owner: User, merge: dict) -> int:
    """Undo ``interests_merge``: the merged interests come back (same ids, names and people)
    and the kept one loses the people the merge gave it. Returns how many came back."""
    through = Contact.interests.through
    kept = Interest.objects.filter(owner=owner, pk=merge["kept_id"]).first()
    if kept is not None:
        through.objects.filter(interest=kept, contact_id__in=merge["added_to_kept"]).delete()
        Interest.objects.filter(pk=kept.pk).update(mine=merge["kept_mine"])
    owned = set(Contact.objects.filter(owner=owner).values_list("pk", flat=True))
    restored = 0
    for item in merge["removed"]:
        folded = Interest.fold_name(item["name"])
        if Interest.objects.filter(Q(pk=item["pk"]) | Q(owner=owner, folded_name=folded)).exists():
            continue  # made again since, under that id or name: left as it is
        Interest.objects.create(owner=owner, pk=item["pk"], name=item["name"], mine=item["mine"])
        through.objects.bulk_create(
            [
                through(contact_id=pk, interest_id=item["pk"])
                for pk in item["contact_ids"]
                if pk in owned
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        restored += 1
    return restored


# --- Circles ---------------------------------------------------------------------------------


@transaction.atomic
def circle_rename(*, circle: Circle, name: str, cadence_days: int | None) -> int:
    """Rename a circle and set its rhythm; its people are re-timed (``circle_save``). Returns
    how many people are in it."""
    circle.name = name
    circle.cadence_days = cadence_days
    circle_save(circle=circle)
    return Contact.objects.filter(owner=circle.owner, circle=circle).count()


@transaction.atomic
def circle_delete(*, circle: Circle) -> int:
    """Delete a circle; its people stay, without a circle, and are re-timed. Returns how many."""
    member_ids = list(Contact.objects.filter(circle=circle).values_list("pk", flat=True))
    owner = circle.owner
    # The foreign key's SET NULL skips save(): their phone cards lose the category.
    contacts_touch(owner=owner, contact_ids=member_ids)
    circle.delete()
    contacts_recompute_due(owner=owner, contact_ids=member_ids)
    return len(member_ids)


# --- Bulk edits of the contact list ----------------------------------------------------------

BULK_FIELD_ACTIONS = {
    "set_circle": "circle_id",
    "set_cadence": "cadence_days",
    "pause": "paused",
    "unpause": "paused",
    "archive": "archived",
    "unarchive": "archived",
}


@transaction.atomic
def contacts_bulk_edit(
    *, owner: User, contact_ids: Iterable[int], action: str, value: object = None
) -> BulkChange:
    """Apply one bulk action to many of the owner's contacts with set-based updates.

    ``value``: the circle (or None) for set_circle, the cadence in days (or None) for
    set_cadence, the interest name for add_interest, the Interest for remove_interest.
    What it replaced is recorded so ``contacts_bulk_undo`` can put it back. Delete is separate
    (``contacts_bulk_delete``): it cannot be undone, so it asks for confirmation first.
    """
    contacts = Contact.objects.filter(owner=owner, pk__in=list(contact_ids))
    ids = list(contacts.values_list("pk", flat=True))
    count = len(ids)
    if action in BULK_FIELD_ACTIONS:
        field = BULK_FIELD_ACTIONS[action]
        new_value = {
            "set_circle": getattr(value, "pk", None),
            "set_cadence": value,
            "pause": True,
            "unpause": False,
            "archive": True,
            "unarchive": False,
        }[action]
        previous = dict(contacts.values_list("pk", field))
        # The circle and archived show on a phone's card (contacts_touch says why).
        contacts.update(**{field: new_value}, updated_at=timezone.now())
        if action == "archive":
            archived = [pk for pk, was in previous.items() if not was]
            if archived:
                contacts_archived.send(sender=Contact, owner=owner, contact_ids=archived)
        payload = {"field": field, "previous": {str(pk): old for pk, old in previous.items()}}
        description = _describe(action, count, value)
    elif action == "add_interest":
        interest = interest_get_or_create(owner=owner, name=str(value))
        through = Contact.interests.through
        had = set(
            through.objects.filter(interest=interest, contact_id__in=ids).values_list(
                "contact_id", flat=True
            )
        )
        added = [pk for pk in ids if pk not in had]
        through.objects.bulk_create(
            [through(contact_id=pk, interest_id=interest.pk) for pk in added], batch_size=1000
        )
        contacts_touch(owner=owner, contact_ids=added)  # interests show in the API
        payload = {"interest_id": interest.pk, "added": added}
        description = f"Added “{interest.name}” to {count} {people(count)}"
    elif action == "remove_interest":
        interest = value
        through = Contact.interests.through
        links = through.objects.filter(interest=interest, contact_id__in=ids)
        removed = list(links.values_list("contact_id", flat=True))
        links.delete()
        contacts_touch(owner=owner, contact_ids=removed)  # interests show in the API
        payload = {"interest_id": interest.pk, "removed": removed}
        description = f"Removed “{interest.name}” from {count} {people(count)}"
    else:
        raise ValueError(f"Unknown bulk action {action!r}.")
    contacts_recompute_due(owner=owner, contact_ids=ids)
    return BulkChange.objects.create(
        owner=owner, action=action, description=description, payload=payload
    )


def _describe(action: str, count: int, value: object) -> str:
    who = f"{count} {people(count)}"
    return {
        "set_circle": f"Moved {who} to {value}" if value else f"Took {who} out of their circle",
        "set_cadence": f"Set {who} to every {value} days"
        if value
        else f"Set {who} to follow their circle",
        "pause": f"Paused reminders for {who}",
        "unpause": f"Resumed reminders for {who}",
        "archive": f"Archived {who}",
        "unarchive": f"Brought back {who}",
    }[action]


@transaction.atomic
def contacts_bulk_undo(*, change: BulkChange, now: dt.datetime) -> int:
    """Put back what ``change`` replaced (set-based: one UPDATE per distinct old value)."""
    if change.undone_at is not None:
        return 0
    owner = change.owner
    payload = change.payload
    ids: list[int]
    if "field" in payload:
        field = payload["field"]
        existing_circles = set()
        if field == "circle_id":
            existing_circles = set(Circle.objects.filter(owner=owner).values_list("pk", flat=True))
        by_old_value: dict[object, list[int]] = {}
        for pk, old in payload["previous"].items():
            if field == "circle_id" and old not in existing_circles:
                old = None  # that circle was deleted since: they stay without one
            by_old_value.setdefault(old, []).append(int(pk))
        for old, pks in by_old_value.items():
            Contact.objects.filter(owner=owner, pk__in=pks).update(**{field: old}, updated_at=now)
        ids = [int(pk) for pk in payload["previous"]]
    else:
        interest = Interest.objects.filter(owner=owner, pk=payload["interest_id"]).first()
        through = Contact.interests.through
        ids = payload.get("added", []) + payload.get("removed", [])
        if interest is not None:
            owned_ids = set(
                Contact.objects.filter(owner=owner, pk__in=ids).values_list("pk", flat=True)
            )
            if "added" in payload:
                through.objects.filter(interest=interest, contact_id__in=payload["added"]).delete()
            else:
                through.objects.bulk_create(
                    [
                        through(contact_id=pk, interest_id=interest.pk)
                        for pk in payload["removed"]
                        if pk in owned_ids
                    ],
                    ignore_conflicts=True,
                )
            contacts_touch(owner=owner, contact_ids=ids, now=now)  # interests show in the API
    contacts_recompute_due(owner=owner, contact_ids=ids)
    change.undone_at = now
    change.save(update_fields=["undone_at"])
    return len(ids)


@transaction.atomic
def contacts_bulk_delete(*, owner: User, contact_ids: Iterable[int]) -> int:
    """Delete contacts for good, with their reminders; shared interactions lose them as a
    participant and interactions left with nobody are deleted too (by interactions' receiver
    of ``contacts_deleting``, sent before the rows go)."""
    contacts = Contact.objects.filter(owner=owner, pk__in=list(contact_ids))
    ids = list(contacts.values_list("pk", flat=True))
    photos = [name for name in contacts.exclude(photo="").values_list("photo", flat=True)]
    if photos:
        storage = Contact._meta.get_field("photo").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in photos])
    contacts_deleting.send(sender=Contact, owner=owner, contact_ids=ids)
    Contact.objects.filter(owner=owner, pk__in=ids).delete()
    return len(ids)


# --- Photos ----------------------------------------------------------------------------------


def contact_photo_set(*, contact: Contact, upload) -> Contact:
    """Replace the contact's photo with a checked, shrunk copy of ``upload`` (PhotoError if not
    a usable picture); the old file is removed."""
    from contacts.photos import photo_prepare

    prepared = photo_prepare(upload)
    old = contact.photo.name if contact.photo else ""
    contact.photo.save(prepared.name, prepared, save=False)
    contact.save(update_fields=["photo", "updated_at"])
    if old:
        contact.photo.storage.delete(old)
    return contact


def contact_photo_remove(*, contact: Contact) -> Contact:
    if contact.photo:
        contact.photo.delete(save=False)
        contact.save(update_fields=["photo", "updated_at"])
    return contact


@transaction.atomic
def contact_mark_fine(*, contact: Contact, today: dt.date) -> Contact:
    """ "We're fine": restart the contact's rhythm from today without inventing an interaction."""
    contact.cadence_restarted_on = today
    contact.save(update_fields=["cadence_restarted_on", "updated_at"])
    contact_recompute_due(contact=contact, today=today)
    return contact


# --- Undo of one person's snooze or "we're fine" ---------------------------------------------

# Which column each single-person action writes; its undo puts the previous value back.
UNDOABLE_FIELDS = {"snooze": "snoozed_until", "fine": "cadence_restarted_on"}
UNDO_SALT = "contacts.undo"
UNDO_MAX_AGE = dt.timedelta(days=1)


class UndoStale(Exception):
    """The undo no longer applies: already undone, changed since, forged or too old."""


@dataclass(frozen=True)
class ContactUndo:
    """What one snooze or "we're fine" replaced: enough to put it back. It travels signed in the
    Undo form (``token``), so the undo needs no table of its own and cannot be forged."""

    action: str
    contact_id: int
    previous: dt.date | None
    applied: dt.date

    def token(self) -> str:
        previous = self.previous.isoformat() if self.previous else None
        fields = [self.action, self.contact_id, previous, self.applied.isoformat()]
        return signing.dumps(fields, salt=UNDO_SALT)

    @classmethod
    def from_token(cls, token: str, *, contact_id: int) -> ContactUndo:
        try:
            action, pk, previous, applied = signing.loads(
                token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE
            )
            undo = cls(
                action=action,
                contact_id=pk,
                previous=dt.date.fromisoformat(previous) if previous else None,
                applied=dt.date.fromisoformat(applied),
            )
        except (signing.BadSignature, ValueError, TypeError) as error:
            raise UndoStale from error
        if undo.contact_id != contact_id or undo.action not in UNDOABLE_FIELDS:
            raise UndoStale
        return undo


def contact_snooze_undoable(*, contact: Contact, until: dt.date, today: dt.date) -> ContactUndo:
    """``contact_snooze``, returning what its Undo needs (the snooze it replaced)."""
    previous = contact.snoozed_until
    contact_snooze(contact=contact, until=until, today=today)
    return ContactUndo(action="snooze", contact_id=contact.pk, previous=previous, applied=until)


def contact_mark_fine_undoable(*, contact: Contact, today: dt.date) -> ContactUndo:
    """``contact_mark_fine``, returning what its Undo needs (the restart day it replaced)."""
    previous = contact.cadence_restarted_on
    contact_mark_fine(contact=contact, today=today)
    return ContactUndo(action="fine", contact_id=contact.pk, previous=previous, applied=today)


@transaction.atomic
def contact_undo(*, contact: Contact, undo: ContactUndo, today: dt.date) -> Contact:
    """Put back what a snooze or "we're fine" replaced and recompute when they are due. Only
    while the column still holds what that action wrote (UndoStale otherwise: a second click,
    or another change since, is not overwritten)."""
    field = UNDOABLE_FIELDS[undo.action]
    locked = Contact.objects.select_for_update().filter(owner=contact.owner, pk=contact.pk).first()
    if locked is None or undo.contact_id != contact.pk or getattr(locked, field) != undo.applied:
        raise UndoStale
    setattr(locked, field, undo.previous)
    locked.save(update_fields=[field, "updated_at"])
    return contact_recompute_due(contact=locked, today=today)
