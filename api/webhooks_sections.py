"""Settings → webhooks: the section on the settings page (network_crm/sections.py)."""

from __future__ import annotations

from network_crm.sections import section_register


def _webhooks(*, request, **kwargs) -> dict:
    from api.models import Webhook

    return {"webhook_count": Webhook.objects.filter(owner=request.user).count()}


def register() -> None:
    section_register(
        page="settings",
        name="webhooks",
        template="api/_settings_webhooks.html",
        context=_webhooks,
        order=30,
    )
