"""Re-importing a card for someone already there: what the card adds, and taking it back.

The rule: a card that matches a person you have (by vCard UID, email, phone or link) adds what
that person doesn't have yet — email addresses, phone numbers and links nobody in your network
has, a birthday when there is none, interests they don't have yet (a label naming one of your
circles is left alone), a nickname, company, role, city, country or notes where the field is
empty — and never overwrites anything you typed: a field that already holds something
else is shown in the preview as "not changed" and left alone. Undo removes exactly what was
added and empties exactly the fields that were filled, each only while it is still as the
import left it (an address or field edited since is the user's now and stays).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Left
from django.utils import timezone

from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from contacts.services import InterestLimitReached, contacts_touch, interest_get_or_create
from network_crm.text import fold

if TYPE_CHECKING:
    from accounts.models import User
    from portability.formats.common import ParsedContact

# The free-text fields a card can fill when they are empty (the name is never changed).
FILLABLE_FIELDS = ("nickname", "company", "role", "city", "country", "how_we_met", "notes")
# Long texts: filled when empty, never compared (they differ all the time).
_LONG_FIELDS = ("how_we_met", "notes")


def _date_words(month: int, day: int, year: int | None) -> str:
    return f"{day} {calendar.month_name[month]}" + (f" {year}" if year else "")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class _Person:
    """What an existing contact has, as far as planning needs it (updated as cards are planned,
    so a second card for the same person in one file adds nothing the first one added)."""

    name: str
    fields: dict[str, str]
    birthday: tuple[int, int, int | None] | None
    interests: set[str] = field(default_factory=set)  # folded names


@dataclass
class MergePlan:
    """What one card adds to one existing contact."""

    contact_id: int
    name: str
    methods: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, label, value)
    fields: dict[str, str] = field(default_factory=dict)
    birthday: tuple[int, int, int | None] | None = None
    interests: list[str] = field(default_factory=list)
    not_changed: list[str] = field(default_factory=list)  # "company (you have “Acme”)"

    def __bool__(self) -> bool:
        return bool(self.methods or self.fields or self.birthday or self.interests)

    def adds(self) -> list[str]:
        """The additions in words, for the preview."""
        words = [f"{kind} {value}" for kind, _, value in self.methods]
        if self.birthday:
            words.append("birthday " + _date_words(*self.birthday))
        words += [f"interest “{name}”" for name in self.interests]
        words += [f"{name} “{_short(value)}”" for name, value in self.fields.items()]
        return words

    def sample(self) -> dict:
        return {"name": self.name, "adds": self.adds(), "not_changed": self.not_changed}


class MergePlanner:
    """Plans what cards add to the owner's existing contacts. The owner's contacts are read once,
    on the first match, so planning costs two queries whatever the number of cards."""

    def __init__(self, owner: User) -> None:
        self.owner = owner
        self.people: dict[int, _Person] | None = None
        self.circles: set[str] = set()

    def _load(self) -> dict[int, _Person]:
        short_fields = [f for f in FILLABLE_FIELDS if f not in _LONG_FIELDS]
        starts = {f"{f}_start": Left(f, 1) for f in _LONG_FIELDS}
        people = {
            row["pk"]: _Person(
                name=row["name"],
                # Of the long texts only "empty or not" matters: they are filled, never compared.
                fields={
                    **{f: row[f] for f in short_fields},
                    **{f: row[f"{f}_start"] for f in _LONG_FIELDS},
                },
                birthday=None,
            )
            for row in Contact.objects.filter(owner=self.owner).values(
                "pk", "name", *short_fields, **starts
            )
        }
        for contact_id, month, day, year in ImportantDate.objects.filter(
            owner=self.owner, kind=ImportantDate.Kind.BIRTHDAY, label=""
        ).values_list("contact_id", "month", "day", "year"):
            if contact_id in people:
                people[contact_id].birthday = (month, day, year)
        for contact_id, folded_name in Contact.interests.through.objects.filter(
            contact__owner=self.owner
        ).values_list("contact_id", "interest__folded_name"):
            if contact_id in people:
                people[contact_id].interests.add(folded_name)
        self.circles = {
            fold(name)
            for name in Circle.objects.filter(owner=self.owner).values_list("name", flat=True)
        }
        return people

    def plan(
        self, contact_id: int, card: ParsedContact, *, claim: Callable[[str, str], bool]
    ) -> MergePlan:
        """What ``card`` adds to the contact. ``claim(kind, value)`` answers whether an address or
        number is new to the whole network (and records it as this contact's from now on)."""
        if self.people is None:
            self.people = self._load()
        person = self.people.get(contact_id)
        if person is None:  # deleted while the file was being read: nothing to add to
            return MergePlan(contact_id=contact_id, name=card.name)
        plan = MergePlan(contact_id=contact_id, name=person.name)
        for kind, values in (("email", card.emails), ("phone", card.phones), ("link", card.links)):
            for label, value in values:
                if claim(kind, value):
                    plan.methods.append((kind, label, value))
        if card.birthday:
            if person.birthday is None:
                plan.birthday = person.birthday = card.birthday
            elif person.birthday != card.birthday:
                plan.not_changed.append(
                    f"birthday (you have {_date_words(*person.birthday)}, the file says "
                    f"{_date_words(*card.birthday)})"
                )
        for name in dict.fromkeys(card.interests):
            key = Interest.fold_name(name)
            if key and key not in person.interests and fold(name) not in self.circles:
                person.interests.add(key)
                plan.interests.append(name)
        for name in FILLABLE_FIELDS:
            new = getattr(card, name)
            have = person.fields[name]
            if not new:
                continue
            if not have:
                plan.fields[name] = person.fields[name] = new
            elif name not in _LONG_FIELDS and fold(new) != fold(have):
                plan.not_changed.append(f"{name} (you have “{_short(have)}”)")
        return plan


@transaction.atomic
def merges_apply(*, owner: User, plans: Iterable[MergePlan]) -> list[dict]:
    """Add what the plans say; returns, per contact, what was added, for undo."""
    plans = [plan for plan in plans if plan]
    if not plans:
        return []
    ids = {plan.contact_id for plan in plans}
    last_position = {
        (row["contact_id"], row["kind"]): row["last"]
        for row in ContactMethod.objects.filter(owner=owner, contact_id__in=ids)
        .values("contact_id", "kind")
        .annotate(last=Max("position"))
    }
    contacts = Contact.objects.filter(owner=owner).in_bulk(ids)
    names = {Interest.fold_name(name): name for plan in plans for name in plan.interests}
    interests = {
        i.folded_name: i for i in Interest.objects.filter(owner=owner, folded_name__in=names)
    }
    created_interests = set()
    for key, name in names.items():
        if key not in interests:
            # The account's interest limit holds here too: what doesn't fit is left out.
            try:
                interests[key] = interest_get_or_create(owner=owner, name=name)
            except InterestLimitReached:
                continue
            created_interests.add(interests[key].pk)
    methods, dates, changed, links = [], [], [], []
    records = {plan.contact_id: {"contact": plan.contact_id} for plan in plans}
    for plan in plans:
        contact = contacts.get(plan.contact_id)
        if contact is None:  # deleted since the import started
            continue
        for kind, label, value in plan.methods:
            position = last_position.get((contact.pk, kind), -1) + 1
            last_position[(contact.pk, kind)] = position
            method = ContactMethod(
                owner=owner, contact=contact, kind=kind, label=label, value=value, position=position
            )
            method.fill_folded_fields()
            methods.append(method)
        if plan.birthday:
            month, day, year = plan.birthday
            dates.append(
                ImportantDate(
                    owner=owner, contact=contact, kind="birthday", month=month, day=day, year=year
                )
            )
        for name in plan.interests:
            interest = interests.get(Interest.fold_name(name))
            if interest is None:
                continue
            links.append(Contact.interests.through(contact_id=contact.pk, interest_id=interest.pk))
            records[contact.pk].setdefault("interests", []).append(
                [interest.pk, interest.pk in created_interests]
            )
        if plan.fields:
            filled = {
                name: value for name, value in plan.fields.items() if not getattr(contact, name)
            }
            for name, value in filled.items():
                setattr(contact, name, value)
            if filled:
                contact.fill_folded_fields()
                contact.updated_at = timezone.now()
                changed.append(contact)
                records[contact.pk]["fields"] = filled
    ContactMethod.objects.bulk_create(methods)
    ImportantDate.objects.bulk_create(dates)
    Contact.interests.through.objects.bulk_create(links, ignore_conflicts=True)
    if changed:
        Contact.objects.bulk_update(
            changed, [*FILLABLE_FIELDS, "search_text", "sort_name", "updated_at"], batch_size=500
        )
    # Ways to reach, dates and fields show on phone cards; bulk writes skip save().
    contacts_touch(owner=owner, contact_ids=ids)
    for method in methods:
        records[method.contact_id].setdefault("methods", []).append(
            [method.pk, method.kind, method.label, method.value]
        )
    for date in dates:
        records[date.contact_id]["birthday"] = [date.pk, date.month, date.day, date.year]
    return [record for record in records.values() if len(record) > 1]


@transaction.atomic
def merges_undo(*, owner: User, records: list[dict]) -> int:
    """Take back what merges_apply added, except what the user has changed since; returns how
    many people had something taken back."""
    method_ids = {m[0]: tuple(m[1:]) for r in records for m in r.get("methods", [])}
    date_ids = {r["birthday"][0]: tuple(r["birthday"][1:]) for r in records if "birthday" in r}
    touched: set[int] = set()
    unchanged_methods = [
        (pk, contact_id)
        for pk, contact_id, *now in ContactMethod.objects.filter(
            owner=owner, pk__in=method_ids
        ).values_list("pk", "contact_id", "kind", "label", "value")
        if tuple(now) == method_ids[pk]
    ]
    ContactMethod.objects.filter(owner=owner, pk__in=[pk for pk, _ in unchanged_methods]).delete()
    touched.update(contact_id for _, contact_id in unchanged_methods)
    unchanged_dates = [
        (pk, contact_id)
        for pk, contact_id, *now in ImportantDate.objects.filter(
            owner=owner, pk__in=date_ids
        ).values_list("pk", "contact_id", "month", "day", "year")
        if tuple(now) == date_ids[pk]
    ]
    ImportantDate.objects.filter(owner=owner, pk__in=[pk for pk, _ in unchanged_dates]).delete()
    touched.update(contact_id for _, contact_id in unchanged_dates)
    added_links = {(r["contact"], i[0]) for r in records for i in r.get("interests", [])}
    through = Contact.interests.through
    links = [
        (pk, contact_id)
        for pk, contact_id, interest_id in through.objects.filter(
            contact__owner=owner,
            contact_id__in={c for c, _ in added_links},
            interest_id__in={i for _, i in added_links},
        ).values_list("pk", "contact_id", "interest_id")
        if (contact_id, interest_id) in added_links
    ]
    through.objects.filter(pk__in=[pk for pk, _ in links]).delete()
    touched.update(contact_id for _, contact_id in links)
    # An interest the import created goes too, unless someone has it now or it became yours.
    created = {i[0] for r in records for i in r.get("interests", []) if i[1]}
    Interest.objects.filter(owner=owner, pk__in=created, mine=False, contacts=None).delete()
    filled = {r["contact"]: r["fields"] for r in records if r.get("fields")}
    changed = []
    for contact in Contact.objects.filter(owner=owner, pk__in=filled):
        emptied = [
            name for name, value in filled[contact.pk].items() if getattr(contact, name) == value
        ]
        for name in emptied:
            setattr(contact, name, "")
        if emptied:
            contact.fill_folded_fields()
            contact.updated_at = timezone.now()
            changed.append(contact)
            touched.add(contact.pk)
    if changed:
        Contact.objects.bulk_update(
            changed, [*FILLABLE_FIELDS, "search_text", "sort_name", "updated_at"], batch_size=500
        )
    contacts_touch(owner=owner, contact_ids=touched)
    return len(touched)
