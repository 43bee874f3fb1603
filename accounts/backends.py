"""Sign-in helpers plugged into Django's authentication and django-axes."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from accounts.models import normalize_email_key


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The key django-axes counts failures under: the address as accounts store it, so
    ALICE@example.com and alice@example.com share one lockout counter."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or getattr(request, "POST", {})).get(field)
    return None if value is None else normalize_email_key(value)
