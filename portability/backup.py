"""The full JSON backup of an account, and restoring it into an empty account.

Both sides read one table spec, ``TABLES``: the backup writes each table's columns, the restore
reads the same columns back, so a field added to the backup can't be forgotten by the restore.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from contacts.limits import MAX_INTERESTS_PER_OWNER
from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from contacts.services import contacts_touch
from giving.models import Introduction, Share, ShareItem
from interactions.models import Interaction, PlannedInteraction
from interactions.services import EDITABLE_FIELDS as INTERACTION_FIELDS
from interactions.services import activity_recount, contacts_recompute_from_log
from network_crm.clock import local_date, user_zone
from reminders.models import Reminder

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Table:
    """One table of the backup: whose rows, and which columns are written and read back.

    ``id`` and ``*_id`` columns are links between the backup's rows (new rows get new ids on
    restore); ``parsed`` columns are dates the restore parses; every other column is copied as is.
    """

    name: str
    rows: Callable[[User], QuerySet]
    columns: tuple[str, ...]
    parsed: tuple[str, ...] = ()

    def copied(self, row: dict) -> dict:
        """The row's own values, as the model takes them (links and dates are the caller's)."""
        return {
            column: row[column]
            for column in self.columns
            if column != "id" and not column.endswith("_id") and column not in self.parsed
        }


TABLES = {
    table.name: table
    for table in (
        Table("circles", lambda o: Circle.objects.filter(owner=o), ("id", "name", "cadence_days")),
        Table("interests", lambda o: Interest.objects.filter(owner=o), ("id", "name", "mine")),
        Table(
            "contacts",
            lambda o: Contact.objects.filter(owner=o),
            (
                "id",
                "uid",
                *Contact.TEXT_FIELDS,
                "circle_id",
                "cadence_days",
                "paused",
                "archived",
                "added_on",
                "cadence_restarted_on",
                "snoozed_until",
                "introduced_by_id",
            ),
            parsed=("added_on", "cadence_restarted_on", "snoozed_until"),
        ),
        Table(
            "contact_interests",
            lambda o: Contact.interests.through.objects.filter(contact__owner=o),
            ("contact_id", "interest_id"),
        ),
        Table(
            "contact_methods",
            lambda o: ContactMethod.objects.filter(owner=o),
            ("contact_id", "kind", "label", "value", "position"),
        ),
        Table(
            "important_dates",
            lambda o: ImportantDate.objects.filter(owner=o),
            ("contact_id", "kind", "label", "day", "month", "year"),
        ),
        # Every field the user can edit, as the interaction services name them.
        Table(
            "interactions",
            lambda o: Interaction.objects.filter(owner=o),
            ("id", *INTERACTION_FIELDS),
            parsed=("occurred_at", "follow_up_on"),
        ),
        Table(
            "interaction_contacts",
            lambda o: Interaction.contacts.through.objects.filter(interaction__owner=o),
            ("interaction_id", "contact_id"),
        ),
        Table(
            "reminders",
            lambda o: Reminder.objects.filter(owner=o),
            ("contact_id", "interaction_id", "kind", "due_on", "state", "snoozed_until", "note"),
            parsed=("due_on", "snoozed_until"),
        ),
        Table(
            "introductions",
            lambda o: Introduction.objects.filter(owner=o),
            (
                "person_a_id",
                "person_b_id",
                "interaction_id",
                "reason",
                "state",
                "introduced_on",
                "outcome",
            ),
            parsed=("introduced_on",),
        ),
        # Plans (give first): meetings planned ahead, with the interaction a logged one became.
        Table(
            "planned_interactions",
            lambda o: PlannedInteraction.objects.filter(owner=o),
            (
                "id",
                "uid",
                "kind",
                "starts_at",
                "duration_minutes",
                "place",
                "note",
                "state",
                "interaction_id",
            ),
            parsed=("starts_at",),
        ),
        Table(
            "planned_interaction_contacts",
            lambda o: PlannedInteraction.contacts.through.objects.filter(
                plannedinteraction__owner=o
            ),
            ("plannedinteraction_id", "contact_id"),
        ),
        # Give first: things to share and what was shared each way (giving/models.py).
        Table(
            "share_items",
            lambda o: ShareItem.objects.filter(owner=o),
            ("id", "kind", "url", "title", "description", "note", "archived"),
        ),
        Table(
            "share_item_topics",
            lambda o: ShareItem.topics.through.objects.filter(shareitem__owner=o),
            ("shareitem_id", "interest_id"),
        ),
        Table(
            "shares",
            lambda o: Share.objects.filter(owner=o),
            ("item_id", "contact_id", "interaction_id", "direction", "title", "url", "shared_on"),
            parsed=("shared_on",),
        ),
    )
}


def backup_json(*, owner: User) -> Iterator[str]:
    """Everything the user owns, as JSON, streamed table by table."""
    settings_row = owner.settings
    yield '{"format": "network-crm-backup", "version": 1'
    yield ', "account": ' + json.dumps(
        {
            "email": owner.email,
            "name": owner.name,
            "time_zone": settings_row.time_zone,
            "digest_frequency": settings_row.digest_frequency,
            "digest_weekday": settings_row.digest_weekday,
            "digest_hour": settings_row.digest_hour,
            "daily_limit": settings_row.daily_limit,
        }
    )
    for table in TABLES.values():
        rows = table.rows(owner).values(*table.columns)
        yield f', "{table.name}": ['
        for index, row in enumerate(rows.order_by().iterator(chunk_size=2000)):
            yield ("," if index else "") + json.dumps(
                row, cls=DjangoJSONEncoder, ensure_ascii=False
            )
        yield "]"
    yield "}\n"


# --- Restore ---------------------------------------------------------------------------------


class RestoreRefused(ValueError):
    """Why a backup can't be restored, in words for the user."""


def _validated[M: models.Model](row: M, *, exclude: list[str]) -> M:
    row.full_clean(exclude=exclude)
    row.save()
    return row


def _date(value):
    return parse_date(value) if value else None


def backup_restore(*, owner: User, data: dict) -> int:
    """Recreate everything from a backup in an account that has no people yet; returns how many
    people came back. New rows get new ids; every link between them is kept."""
    if not isinstance(data, dict) or data.get("format") != "network-crm-backup":
        raise RestoreRefused("That file isn't a network-crm backup.")
    if Contact.objects.filter(owner=owner).exists():
        raise RestoreRefused("A backup can only be restored into an account with no people yet.")
    backup_interests = data.get("interests")
    if isinstance(backup_interests, list) and len(backup_interests) > MAX_INTERESTS_PER_OWNER:
        raise RestoreRefused(
            f"This backup has {len(backup_interests):,} interests; an account holds at most "
            f"{MAX_INTERESTS_PER_OWNER:,}. Remove some from the file, then restore it."
        )
    try:
        with transaction.atomic():
            contacts = _restore(owner, data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RestoreRefused(
            f"That backup is damaged or incomplete ({type(exc).__name__}); nothing was restored."
        ) from None
    except Exception as exc:  # e.g. a ValidationError or IntegrityError from hostile data
        raise RestoreRefused(
            f"That backup can't be restored ({type(exc).__name__}); nothing was restored."
        ) from None
    return len(contacts)


def _restore(owner: User, data: dict) -> dict[int, Contact]:
    Circle.objects.filter(owner=owner).delete()  # the defaults; the backup has its own
    # Every row is validated as a form would (lengths, choices, ranges) before it is saved, so
    # a hand-edited backup is refused the same way on SQLite as on PostgreSQL.
    circles = {
        row["id"]: _validated(
            Circle(owner=owner, **TABLES["circles"].copied(row)), exclude=["owner"]
        )
        for row in data.get("circles", [])
    }
    interests = {
        row["id"]: _validated(
            Interest(owner=owner, **TABLES["interests"].copied(row)),
            exclude=["owner", "folded_name"],
        )
        for row in data.get("interests", [])
    }
    contacts = {}
    for row in data.get("contacts", []):
        contact = Contact(
            owner=owner,
            **TABLES["contacts"].copied(row),
            circle=circles.get(row["circle_id"]),
            added_on=parse_date(row["added_on"]),
            cadence_restarted_on=_date(row["cadence_restarted_on"]),
            snoozed_until=_date(row["snoozed_until"]),
        )
        contacts[row["id"]] = _validated(
            contact, exclude=["owner", "circle", "introduced_by", "uid"]
        )
    for row in data.get("contacts", []):
        if row.get("introduced_by_id") in contacts:
            Contact.objects.filter(pk=contacts[row["id"]].pk).update(
                introduced_by=contacts[row["introduced_by_id"]]
            )
    Contact.interests.through.objects.bulk_create(
        [
            Contact.interests.through(
                contact_id=contacts[r["contact_id"]].pk,
                interest_id=interests[r["interest_id"]].pk,
            )
            for r in data.get("contact_interests", [])
        ]
    )
    for r in data.get("contact_methods", []):
        method = ContactMethod(
            owner=owner, contact=contacts[r["contact_id"]], **TABLES["contact_methods"].copied(r)
        )
        # Lengths and kinds only: an address the app once accepted (an import keeps what it
        # can't parse) must not stop the person's own backup from restoring.
        method.clean_fields(exclude=["owner", "contact", "folded_value"])
        method.save()
    for r in data.get("important_dates", []):
        date = ImportantDate(
            owner=owner, contact=contacts[r["contact_id"]], **TABLES["important_dates"].copied(r)
        )
        _validated(date, exclude=["owner", "contact"])
    zone = user_zone(owner)
    interactions = {}
    for r in data.get("interactions", []):
        occurred_at = parse_datetime(r["occurred_at"])
        interactions[r["id"]] = Interaction.objects.create(
            owner=owner,
            **TABLES["interactions"].copied(r),
            occurred_at=occurred_at,
            occurred_on=local_date(occurred_at, zone),
            follow_up_on=_date(r["follow_up_on"]),
        )
    Interaction.contacts.through.objects.bulk_create(
        [
            Interaction.contacts.through(
                interaction_id=interactions[r["interaction_id"]].pk,
                contact_id=contacts[r["contact_id"]].pk,
            )
            for r in data.get("interaction_contacts", [])
        ]
    )
    activity_recount(owner=owner)
    # Last, so the restored people count as changed when the restore commits, however long it
    # took: phone sync reads contacts changed since it last looked (contacts_touch).
    contacts_touch(owner=owner, contact_ids=[contact.pk for contact in contacts.values()])
    for r in data.get("reminders", []):
        Reminder.objects.create(
            owner=owner,
            contact=contacts[r["contact_id"]],
            interaction=interactions.get(r["interaction_id"]),
            **TABLES["reminders"].copied(r),
            due_on=parse_date(r["due_on"]),
            snoozed_until=_date(r["snoozed_until"]),
        )
    for r in data.get("introductions", []):
        introduction = Introduction(
            owner=owner,
            person_a=contacts[r["person_a_id"]],
            person_b=contacts[r["person_b_id"]],
            interaction=interactions.get(r["interaction_id"]),
            **TABLES["introductions"].copied(r),
            introduced_on=_date(r["introduced_on"]),
        )
        _validated(introduction, exclude=["owner", "person_a", "person_b", "interaction"])
    _restore_plans(owner, data, contacts, interactions)
    _restore_shares(owner, data, interests=interests, contacts=contacts, interactions=interactions)
    # The interactions came back with the people: their dates set who is due.
    contacts_recompute_from_log(owner=owner)
    return contacts


def _restore_plans(owner: User, data: dict, contacts: dict, interactions: dict) -> None:
    """Planned meetings and their people. A UID already taken (the same backup restored in
    another account) gets a new one: calendars see a new event, nothing clashes."""
    plans = {}
    for r in data.get("planned_interactions", []):
        plan = PlannedInteraction(
            owner=owner,
            **{k: v for k, v in TABLES["planned_interactions"].copied(r).items() if k != "uid"},
            starts_at=parse_datetime(r["starts_at"]),
            interaction=interactions.get(r["interaction_id"]),
        )
        if r["uid"] and not PlannedInteraction.objects.filter(uid=r["uid"]).exists():
            plan.uid = r["uid"]
        plans[r["id"]] = _validated(plan, exclude=["owner", "interaction"])
    PlannedInteraction.contacts.through.objects.bulk_create(
        [
            PlannedInteraction.contacts.through(
                plannedinteraction_id=plans[r["plannedinteraction_id"]].pk,
                contact_id=contacts[r["contact_id"]].pk,
            )
            for r in data.get("planned_interaction_contacts", [])
        ]
    )


def _restore_shares(owner: User, data: dict, *, interests, contacts, interactions) -> None:
    """Things to share (links not read again: restored as they were) and the shares."""
    items = {
        row["id"]: _validated(
            ShareItem(owner=owner, **TABLES["share_items"].copied(row)), exclude=["owner"]
        )
        for row in data.get("share_items", [])
    }
    ShareItem.topics.through.objects.bulk_create(
        [
            ShareItem.topics.through(
                shareitem_id=items[r["shareitem_id"]].pk,
                interest_id=interests[r["interest_id"]].pk,
            )
            for r in data.get("share_item_topics", [])
        ]
    )
    for r in data.get("shares", []):
        share = Share(
            owner=owner,
            item=items.get(r["item_id"]),
            contact=contacts[r["contact_id"]],
            interaction=interactions.get(r["interaction_id"]),
            **TABLES["shares"].copied(r),
            shared_on=parse_date(r["shared_on"]),
        )
        _validated(share, exclude=["owner", "item", "contact", "interaction"])


def backup_read(raw: bytes) -> dict:
    """A backup file's JSON; anything that isn't JSON is refused with words for the user."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise RestoreRefused("That file isn't a network-crm backup.") from None
