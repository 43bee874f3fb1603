"""Settings → API tokens: the section on the settings page (network_crm/sections.py)."""

from __future__ import annotations

from api.services.tokens import api_tokens_live
from network_crm.clock import now
from network_crm.sections import section_register


def _tokens(*, request, **kwargs) -> dict:
    return {"api_token_count": api_tokens_live(owner=request.user, now=now()).count()}


def register() -> None:
    section_register(
        page="settings",
        name="api_tokens",
        template="api/_settings_tokens.html",
        context=_tokens,
        order=6,
    )
