from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    EmailValidator,
    MaxValueValidator,
    MinValueValidator,
    URLValidator,
)
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, OuterRef, Subquery, When
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse

from network_crm.owned import OwnedModel, OwnedQuerySet
from network_crm.text import fold

CADENCE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(3650)]


class Circle(OwnedModel):
    """A group of people kept in touch with at the same rhythm (close friends every 14 days...)."""

    name = models.CharField(max_length=80)
    cadence_days = models.PositiveIntegerField(
        "reach out every (days)", null=True, blank=True, validators=CADENCE_VALIDATORS
    )

    class Meta:
        ordering = ["cadence_days", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="circle_unique_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class Interest(OwnedModel):
    """Something a person cares about: jazz, climbing, Lisbon. Shared interests are the overlap."""

    name = models.CharField(max_length=80)
    # Folding can lengthen text (ß -> ss), hence the room.
    folded_name = models.CharField(max_length=200, editable=False)
    # One of the user's own interests: "shared interests" are a contact's interests marked mine.
    mine = models.BooleanField("I'm into this too", default=False)

    class Meta:
        ordering = ["folded_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "folded_name"], name="interest_unique_name_per_owner"
            )
        ]

    @staticmethod
    def fold_name(name: str) -> str:
        return fold(name)[:200]

    def save(self, *args, **kwargs):
        self.folded_name = self.fold_name(self.name)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name


def _new_uid() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _photo_path(contact: Contact, filename: str) -> str:
    return f"photos/{contact.owner_id}/{filename}"


@functools.lru_cache(maxsize=16)
def _contact_url_format(script_prefix: str, urlconf: str) -> str:
    """reverse("contacts:detail") once per script prefix and URLconf, as a format string: lists
    link every person (150 on the interests page), and reversing each took a fifth of the
    page's rendering."""
    marker = "987654321"
    url = reverse("contacts:detail", args=[marker], urlconf=urlconf)
    return url.replace("{", "{{").replace("}", "}}").replace(marker, "{pk}")


def effective_cadence() -> Coalesce:
    """The rhythm that applies to a contact: their own, else their circle's, else none (NULL: no
    reach-out nudges). The one expression of the rule (docs/architecture.md, "The due rule"),
    written with a subquery so that it works in UPDATE statements as well as in reads;
    ``Contact.effective_cadence_days`` is its twin for one loaded row."""
    circle_cadence = Circle.objects.filter(pk=OuterRef("circle_id")).values("cadence_days")
    return Coalesce(F("cadence_days"), Subquery(circle_cadence))


# "Don't hound": someone who often reaches out first is counted in touch a little longer, their
# rhythm times REACHES_OUT_FACTOR (5/4, whole days, rounded down) for the due date
# (docs/architecture.md, "The due rule").
REACHES_OUT_NUMERATOR, REACHES_OUT_DENOMINATOR = 5, 4


def due_cadence() -> Case:
    """The number of days the due rule adds: the effective cadence, stretched by 5/4 for people
    who reach out often (``Contact.reaches_out_often``). Integer arithmetic, the same on SQLite
    and PostgreSQL; ``Contact.due_cadence_days`` is its twin for one loaded row."""
    cadence = effective_cadence()
    stretched = ExpressionWrapper(
        cadence * REACHES_OUT_NUMERATOR / REACHES_OUT_DENOMINATOR,
        output_field=models.IntegerField(),
    )
    return Case(
        When(reaches_out_often=True, then=stretched),
        default=cadence,
        output_field=models.IntegerField(),
    )


class ContactQuerySet(OwnedQuerySet):
    def active(self) -> ContactQuerySet:
        """Neither archived nor paused: the people reminders are about."""
        return self.filter(archived=False, paused=False)

    def due(self, today: dt.date) -> ContactQuerySet:
        """Active contacts whose reach-out date has come by ``today`` (the owner's local date):
        the one "is due" rule, a range on the (owner, next_reach_out_on) index."""
        return self.active().filter(next_reach_out_on__lte=today)

    def with_effective_cadence(self) -> ContactQuerySet:
        return self.annotate(effective_cadence=effective_cadence())


# The columns the dashboard's health panel counts from (reminders.selectors.circle_health): two
# indexes over them, one of everyone and one of the few snoozed or "we're fine" people.
CIRCLE_HEALTH_COLUMNS = [
    "owner",
    "archived",
    "paused",
    "circle",
    "next_reach_out_on",
    "snoozed_until",
    "cadence_restarted_on",
    "last_interaction_on",
]


class Contact(OwnedModel):
    """Someone the user wants to stay in touch with."""

    name = models.CharField(max_length=200)
    nickname = models.CharField(max_length=100, blank=True)
    company = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=120, blank=True)
    how_we_met = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    circle = models.ForeignKey(
        Circle, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    interests = models.ManyToManyField(Interest, blank=True, related_name="contacts")
    introduced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introduced",
        help_text="The person who introduced you.",
    )
    cadence_days = models.PositiveIntegerField(
        "reach out every (days)",
        null=True,
        blank=True,
        validators=CADENCE_VALIDATORS,
        help_text="Leave empty to use the circle's rhythm.",
    )
    # Stored under MEDIA_ROOT with a random name and served only by an owner-checked view.
    photo = models.ImageField(upload_to=_photo_path, blank=True)
    paused = models.BooleanField(default=False, help_text="No reminders while paused.")
    archived = models.BooleanField(default=False)

    # Inputs of the one "due" rule (see contacts.services.contacts_recompute_due).
    added_on = models.DateField()
    cadence_restarted_on = models.DateField(null=True, blank=True)
    snoozed_until = models.DateField(null=True, blank=True)
    # Denormalised, maintained only by contacts.services; indexed so "who is due" is one range query.
    last_interaction_on = models.DateField(null=True, blank=True)
    next_reach_out_on = models.DateField(null=True, blank=True)
    # "Don't hound": they start most of your exchanges, so the due rule counts you in touch a
    # little longer (kept by interactions from the log; docs/architecture.md, "The due rule").
    reaches_out_often = models.BooleanField(default=False, editable=False)

    # Stable identity for vCard UID, so an exported and re-imported card matches itself.
    uid = models.CharField(max_length=200, default=_new_uid, db_index=True, editable=False)

    # Folded copies for accent- and case-insensitive search and sorting on any database.
    search_text = models.TextField(blank=True, editable=False)
    sort_name = models.CharField(max_length=200, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The free-text details a person has, in the order forms show them: what a backup carries and
    # restores, and what a merge lets the user pick field by field.
    TEXT_FIELDS = ("name", "nickname", "company", "role", "city", "country", "how_we_met", "notes")

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "pk"]
        indexes = [
            models.Index(fields=["owner", "next_reach_out_on"], name="contact_owner_next"),
            models.Index(fields=["owner", "sort_name"], name="contact_owner_sort"),
            # Also on SQLite contact_owner_sort_search: (owner, sort_name, id, archived,
            # search_text), so a search of short words only walks the name order and tests each
            # person's own text from the index alone. Written by migration 0024 for SQLite only
            # (a PostgreSQL B-tree entry can't hold an unbounded search_text).
            models.Index(fields=["owner", "last_interaction_on"], name="contact_owner_last"),
            # Phone sync re-reads only the contacts changed since it last looked: a range on this
            # index, whatever the size of the address book (dav.sync.addressbook_refresh).
            models.Index(fields=["owner", "updated_at"], name="contact_owner_updated"),
            # The dashboard's health panel counts active people per circle from this index
            # alone, without reading the contacts table (reminders.selectors.circle_health):
            # the last three tell snoozed and "we're fine" people from those in touch.
            models.Index(
                fields=CIRCLE_HEALTH_COLUMNS,
                name="contact_owner_circle_health",
            ),
            # The few people the health panel counts as snoozed or "we're fine", per circle: the
            # counts read only these rows (reminders.selectors.circle_health); from the whole
            # index above they read every active person (2 ms at 10,000 contacts, issue 21).
            models.Index(
                fields=CIRCLE_HEALTH_COLUMNS,
                condition=models.Q(snoozed_until__isnull=False)
                | models.Q(cadence_restarted_on__isnull=False),
                name="contact_owner_set_aside",
            ),
            # Also contact_owner_seen: (owner, archived, last_interaction_on DESC NULLS LAST,
            # sort_name, id), the interests page's most recently seen people first. Written per
            # database by migration 0022: SQLite can't say NULLS LAST in an index (its DESC puts
            # NULLs last anyway), PostgreSQL needs it.
            # Who is due, in order (contacts.selectors.contacts_due) and who comes due soon
            # (reminders.meetups.soon_candidates), and how many are due, from this index alone:
            # with (owner, next_reach_out_on) SQLite read every due person's row (1,670 at
            # 10,000 contacts) to test archived/paused and rank them (14 ms; 2.5 ms now).
            models.Index(
                fields=[
                    "owner",
                    "archived",
                    "paused",
                    "next_reach_out_on",
                    "sort_name",
                    "cadence_days",
                    "circle",
                ],
                name="contact_owner_due",
            ),
            # The admin's city filter counts the owner's people per city (contacts.admin_filters.
            # CityFilter): from this index alone, in city order, instead of every contact's row
            # (7 of the changelist's 10 ms of SQL at 10,000 contacts).
            models.Index(fields=["owner", "city"], name="contact_owner_city"),
            # The sweep looks for active contacts that came due across every owner: without this
            # index SQLite scanned the whole table (bench/NOTES.md).
            models.Index(
                fields=["next_reach_out_on"],
                condition=models.Q(archived=False, paused=False),
                name="contact_active_next",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_due(self, today: dt.date) -> bool:
        """``ContactQuerySet.due`` for one loaded contact."""
        return (
            not self.archived
            and not self.paused
            and self.next_reach_out_on is not None
            and self.next_reach_out_on <= today
        )

    def get_absolute_url(self) -> str:
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        return _contact_url_format(get_script_prefix(), urlconf).format(pk=self.pk)

    def fill_folded_fields(self) -> None:
        """Fill the folded search and sort columns; save() calls it, bulk inserts must too.

        Reads fields only: a data migration runs it on historical rows."""
        self.sort_name = fold(self.name)[:200]
        own_text = [
            self.name,
            self.nickname,
            self.company,
            self.role,
            self.city,
            self.country,
            self.notes,
        ]
        self.search_text = fold(" ".join(filter(None, own_text)))

    def save(self, *args, **kwargs):
        self.fill_folded_fields()
        super().save(*args, **kwargs)

    @property
    def effective_cadence_days(self) -> int | None:
        if self.cadence_days:
            return self.cadence_days
        return self.circle.cadence_days if self.circle_id else None

    @property
    def due_cadence_days(self) -> int | None:
        """The days the due rule adds after the last interaction (``due_cadence()``'s twin)."""
        cadence = self.effective_cadence_days
        if cadence and self.reaches_out_often:
            return cadence * REACHES_OUT_NUMERATOR // REACHES_OUT_DENOMINATOR
        return cadence

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p[:1].isalnum()]
        letters = (parts[0][:1] + (parts[-1][:1] if len(parts) > 1 else "")) if parts else "?"
        return letters.upper()

    @property
    def avatar_hue(self) -> int:
        """One of 12 colours (CSS classes hue-0..hue-11), stable across runs unlike hash()."""
        return sum(ord(ch) * (i + 1) for i, ch in enumerate(self.name)) % 12


class ContactMethod(OwnedModel):
    """One way to reach someone: an email address, a phone number or a link, with a label."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        LINK = "link", "Link"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="methods")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.EMAIL)
    label = models.CharField(max_length=40, blank=True, help_text="work, home, mobile…")
    value = models.CharField(max_length=254)
    # Folded value (plus the bare digits of a phone number) for search and duplicate matching.
    folded_value = models.CharField(max_length=400, editable=False, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "pk"]
        indexes = [models.Index(fields=["owner", "kind", "folded_value"], name="method_owner_kind")]
        # Also on SQLite method_contact_search: (contact, folded_value), a search's EXISTS on a
        # person's ways to reach from the index alone (migration 0024, SQLite only).

    def __str__(self) -> str:
        return f"{self.value} ({self.label})" if self.label else self.value

    def clean(self) -> None:
        self.value = self.value.strip()
        try:
            if self.kind == self.Kind.EMAIL:
                EmailValidator(message="Enter a valid email address.")(self.value)
            elif self.kind == self.Kind.PHONE:
                if not 3 <= len(re.sub(r"\D", "", self.value)) <= 20:
                    raise ValidationError("Enter a phone number with 3 to 20 digits.")
            elif self.kind == self.Kind.LINK:
                if "://" not in self.value:
                    self.value = "https://" + self.value
                URLValidator(schemes=["http", "https"], message="Enter a web address.")(self.value)
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from None

    def save(self, *args, **kwargs):
        self.fill_folded_fields()
        super().save(*args, **kwargs)

    def fill_folded_fields(self) -> None:
        # Reads fields only (and the class by name): a data migration runs it on historical rows.
        folded = fold(self.value)
        if self.kind == ContactMethod.Kind.PHONE:
            folded = f"{folded} {re.sub(r'\D', '', self.value)}"
        self.folded_value = folded[:400]

    @property
    def href(self) -> str:
        if self.kind == self.Kind.EMAIL:
            return f"mailto:{self.value}"
        if self.kind == self.Kind.PHONE:
            return "tel:" + re.sub(r"[^\d+]", "", self.value)
        # Only web links are links: a "javascript:" or "data:" value from an import stays text.
        return self.value if self.value.lower().startswith(("http://", "https://")) else ""


class ImportantDate(OwnedModel):
    """A date that comes back every year: a birthday (the year is optional), an anniversary..."""

    class Kind(models.TextChoices):
        BIRTHDAY = "birthday", "Birthday"
        ANNIVERSARY = "anniversary", "Anniversary"
        OTHER = "other", "Other"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="dates")
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.BIRTHDAY)
    label = models.CharField(max_length=80, blank=True, help_text="e.g. “Mia's birthday”")
    month = models.PositiveSmallIntegerField(
        choices=[(m, calendar.month_name[m]) for m in range(1, 13)]
    )
    day = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(31)])
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="Optional",
    )

    class Meta:
        ordering = ["month", "day", "pk"]
        indexes = [models.Index(fields=["owner", "month", "day"], name="date_owner_month_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=models.Q(kind="birthday", label=""),
                name="date_one_own_birthday",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.written}"

    @property
    def written(self) -> str:
        """The date itself, "29 February 1988" (or "29 February" without a year): never the day
        it happens to fall on in some year (see ``occurrence_in``)."""
        day_month = f"{self.day} {calendar.month_name[self.month]}"
        return f"{day_month} {self.year}" if self.year else day_month

    @property
    def title(self) -> str:
        return self.label or self.get_kind_display()

    def clean(self) -> None:
        if self.month and self.day:
            # 29 February exists when the year is unknown (or a leap year).
            reference_year = self.year or 2000
            if self.day > calendar.monthrange(reference_year, self.month)[1]:
                raise ValidationError({"day": "That day doesn't exist in that month."})

    def occurrence_in(self, year: int) -> dt.date:
        """This date in ``year``; 29 February falls on 28 February in common years, with or
        without a known year. Shown as ``written``, where it stays the 29th."""
        day = min(self.day, calendar.monthrange(year, self.month)[1])
        return dt.date(year, self.month, day)

    def next_occurrence(self, today: dt.date) -> dt.date:
        this_year = self.occurrence_in(today.year)
        return this_year if this_year >= today else self.occurrence_in(today.year + 1)

    def age_on(self, day: dt.date) -> int | None:
        return day.year - self.year if self.year else None


class BulkChange(OwnedModel):
    """The last bulk edit of the contact list, kept so it can be undone in one click."""

    action = models.CharField(max_length=30)
    description = models.CharField(max_length=200)
    # What to restore: {"field": name, "previous": {contact_id: old value}} or, for interests,
    # {"interest_id": id, "contact_ids": [...]} of the rows the change added or removed.
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.description
