"""Settings → "Sync with your phone" on the settings page accounts owns (network_crm/sections.py)."""

from __future__ import annotations

from accounts.services import app_passwords_live
from network_crm.sections import section_register


def _sync(*, request, **kwargs) -> dict:

    return {"sync_device_count": app_passwords_live(owner=request.user).count()}


def register() -> None:
    # Settings points to "Sync with your phone", which lives here (dav/settings_views.py).
    section_register(
        page="settings",
        name="sync",
        template="dav/_settings_sync.html",
        context=_sync,
        order=5,
    )
