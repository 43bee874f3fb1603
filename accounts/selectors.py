"""Reads for the account pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts import services
from accounts.models import Invitation, time_zone_names

if TYPE_CHECKING:
    from accounts.models import User


def settings_page_details(*, user: User) -> dict:
    """What the settings page shows besides its forms: the time zones to pick from, the last 20
    invitations, and the state of two-factor sign-in."""
    return {
        "time_zones": time_zone_names(),
        "invitations": Invitation.objects.filter(owner=user).order_by("-created_at")[:20],
        "two_factor_on": services.two_factor_enabled(user=user),
        "recovery_codes_left": services.recovery_codes_left(user=user),
    }
