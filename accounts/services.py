"""Writes for accounts: sign-up, invitations, settings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import Invitation, User, UserSettings
from contacts.models import Circle
from contacts.services import circles_create_defaults
from reminders.services import digest_schedule_update


def signup_is_open(*, invitation: Invitation | None = None) -> bool:
    """The first person always may sign up (they own the instance); later, only with an invitation
    or when ALLOW_SIGNUP is on."""
    if not User.objects.exists():
        return True
    return settings.ALLOW_SIGNUP or (invitation is not None and invitation.accepted_at is None)


@transaction.atomic
def user_signup(
    *,
    email: str,
    password: str,
    name: str,
    time_zone: str,
    now: dt.datetime,
    invitation: Invitation | None = None,
) -> User:
    """Create an account with its settings row, default circles and digest schedule.

    The very first account owns the instance: it is a superuser and may invite others.
    """
    is_first = not User.objects.exists()
    if is_first:
        user = User.objects.create_superuser(email=email, password=password, name=name)
    else:
        user = User.objects.create_user(email=email, password=password, name=name)
    user_prepare(user=user, now=now, time_zone=time_zone)
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=now)
    return user


def user_prepare(
    *, user: User, now: dt.datetime, time_zone: str = "UTC", default_circles: bool = True
) -> UserSettings:
    """Give an account what it needs to work: its settings row, a digest schedule and (at
    sign-up) the default circles. Idempotent; accounts made with createsuperuser or the admin
    get their settings row this way too."""
    user_settings, created = UserSettings.objects.get_or_create(
        user=user, defaults={"time_zone": time_zone}
    )
    if not created and user_settings.time_zone != time_zone and time_zone != "UTC":
        user_settings.time_zone = time_zone
        user_settings.save(update_fields=["time_zone"])
    if default_circles and not Circle.objects.filter(owner=user).exists():
        circles_create_defaults(owner=user)
    digest_schedule_update(user_settings=user_settings, now=now)
    user.settings = user_settings  # so user.settings is this row, not an older copy
    return user_settings


@transaction.atomic
def user_settings_update(*, user_settings: UserSettings, now: dt.datetime) -> UserSettings:
    """Save settings edited by a form, and move the next digest to the new hour/zone."""
    user_settings.save()
    return digest_schedule_update(user_settings=user_settings, now=now)


def invitation_send(*, owner: User, email: str) -> Invitation:
    """Create an invitation and email its sign-up link."""
    invitation = Invitation.objects.create(owner=owner, email=email.lower())
    link = settings.SITE_URL + reverse("signup") + f"?invite={invitation.token}"
    context = {"owner": owner, "link": link}
    send_mail(
        subject=f"{owner} invites you to network-crm",
        message=render_to_string("accounts/email/invitation_body.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return invitation


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete an account and every row it owns (each owned model cascades from its owner),
    photo files included once the deletion is committed."""
    from contacts.models import Contact

    photos = list(
        Contact.objects.filter(owner=user).exclude(photo="").values_list("photo", flat=True)
    )
    storage = Contact._meta.get_field("photo").storage
    user.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in photos])
