"""Shared by the import/export commands: find the account named on the command line."""

from __future__ import annotations

from django.core.management.base import CommandError

from accounts.models import User


def owner_from(name: str) -> User:
    email = name if "@" in name else f"{name}@example.com"
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise CommandError(f"No account with the email address {email}.")
    return user
