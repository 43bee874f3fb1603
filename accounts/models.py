from __future__ import annotations

import secrets
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from network_crm import dates
from network_crm.owned import OwnedModel


@cache
def time_zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/Paris).")


def normalize_email_key(value) -> str:
    """An email address as accounts store it and sign-in looks it up: trimmed, lower case."""
    return str(value or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Sign-up stores addresses in lower case; sign-in and password reset match them however
        # they are typed ("Alice@Example.com" is alice@example.com).
        return self.get(**{self.model.USERNAME_FIELD: normalize_email_key(username)})

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)  # every user may use the admin for their own rows
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        from accounts.signals import user_created

        extra.update(is_staff=True, is_superuser=True)
        user = self._create_user(email, password, **extra)
        # `manage.py createsuperuser` makes accounts too: they start with the usual circles,
        # like everyone who signs up (the settings row exists: accounts.apps, on post_save).
        user_created.send(sender=self.model, user=user)
        return user


class User(AbstractUser):
    """A person with an account. Signs in with their email address."""

    username = None
    first_name = None
    last_name = None
    name = models.CharField("your name", max_length=150, blank=True)
    email = models.EmailField("email address", unique=True)
    # Changes (to a new random value) in the same transaction as every write made by this user's
    # requests, and every user's with any write whose owner isn't known (a worker, a command, the
    # admin), so a page cached under it is never older than the data (network_crm/owner_cache.py).
    data_version = models.PositiveBigIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        # The admin's forms too store the address as sign-up does, so sign-in finds it.
        self.email = normalize_email_key(self.email)

    def get_short_name(self) -> str:
        return (self.name or self.email).split()[0]


def _calendar_token() -> str:
    return secrets.token_urlsafe(32)


class UserSettings(models.Model):
    """One row per user: time zone, digest schedule and how many nudges at once."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Every day"
        WEEKLY = "weekly", "Once a week"
        OFF = "off", "Never"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="settings"
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    digest_frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.DAILY)
    digest_weekday = models.PositiveSmallIntegerField(choices=Weekday, default=Weekday.MONDAY)
    digest_hour = models.PositiveSmallIntegerField(
        default=8, choices=[(h, f"{h:02d}:00") for h in range(24)]
    )
    daily_limit = models.PositiveSmallIntegerField(
        "people to nudge per day",
        default=5,
        help_text="At most this many people in one digest and on the dashboard at once.",
    )
    upcoming_days = models.PositiveSmallIntegerField(
        "show birthdays and dates this many days ahead",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    date_reminder_days = models.PositiveSmallIntegerField(
        "remind me of birthdays and dates this many days ahead",
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    vacation_until = models.DateField(
        "on a break until",
        null=True,
        blank=True,
        help_text="No nudges or digests until this day; then it picks up gently.",
    )
    # How dates are written (network_crm.dates); empty until guessed from the browser.
    locale = models.CharField(
        "dates written as", max_length=8, choices=dates.CHOICES, blank=True, default=""
    )
    # The secret part of the private calendar feed URL (regenerable in settings).
    calendar_token = models.CharField(max_length=64, unique=True, default=_calendar_token)
    # When the next digest is owed, in UTC, so "whose digest is due" is one indexed query.
    next_digest_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The digest by email; off, it still reaches the user's channels and devices (notify).
    digest_by_email = models.BooleanField("Send the digest by email", default=True)
    # Quiet hours, local time: nothing is sent inside them, the digest waits for their end.
    # Both empty: no quiet hours. Start after end spans midnight (22:00–07:00).
    quiet_hours_start = models.TimeField("Quiet from", null=True, blank=True)
    quiet_hours_end = models.TimeField("Quiet until", null=True, blank=True)
    # Give first: nobody is suggested for a shared item again within this many days.
    share_cooldown_days = models.PositiveSmallIntegerField(
        "days between two things shared with one person",
        default=14,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name_plural = "user settings"

    def __str__(self) -> str:
        return f"Settings of {self.user}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The user's time zone; ``network_crm.clock.local_date`` turns an instant into their day."""
        return zoneinfo.ZoneInfo(self.time_zone)


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(OwnedModel):
    """An emailed link that lets one person sign up while open sign-up is off."""

    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation for {self.email}"


class LoginFailure(models.Model):
    """One failed sign-in (wrong password or code), kept for a day: what the limits per account
    across addresses and per address across accounts count (django-axes counts per pair)."""

    username = models.CharField(max_length=254)  # the address as typed, in lower case
    ip_address = models.GenericIPAddressField(null=True)
    failed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["username", "failed_at"], name="loginfailure_account"),
            models.Index(fields=["ip_address", "failed_at"], name="loginfailure_address"),
            models.Index(fields=["failed_at"], name="loginfailure_age"),
        ]

    def __str__(self) -> str:
        return f"Failed sign-in as {self.username} from {self.ip_address}"


class PasswordResetRequest(models.Model):
    """A password reset email that was queued, kept for an hour to limit how many go to one
    address and come from one client address. The address is what was typed, whether or not an
    account uses it, so the limit says nothing about which accounts exist."""

    email = models.CharField(max_length=254)
    ip_address = models.GenericIPAddressField(null=True)
    requested_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["email", "requested_at"], name="resetrequest_email"),
            models.Index(fields=["ip_address", "requested_at"], name="resetrequest_address"),
            models.Index(fields=["requested_at"], name="resetrequest_age"),
        ]

    def __str__(self) -> str:
        return f"Password reset for {self.email} from {self.ip_address}"


class AppPassword(OwnedModel):
    """A password for one device's sync (CardDAV/CalDAV): shown once, stored as a SHA-256 of a
    random secret (it has the entropy a hash needs; a slow hash would cost every DAV request),
    findable by its visible prefix, revocable. The account password never works for DAV."""

    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
