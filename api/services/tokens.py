"""Personal access tokens: create (shown once), authenticate, revoke (docs/architecture.md, "The API")."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from api.models import ApiToken

if TYPE_CHECKING:
    from accounts.models import User

TOKEN_PREFIX = "ncrm_"
# last_used_at is written at most this often per token, so reads don't each cost a write.
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(
    *,
    owner: User,
    name: str,
    scope: str = ApiToken.Scope.READ,
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its full text ``ncrm_<prefix>_<secret>``, which is never stored."""
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        owner=owner,
        name=name.strip()[:80] or "API token",
        prefix=prefix,
        secret_hash=_hash(secret),
        scope=scope,
        expires_at=expires_at,
    )
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


def api_token_authenticate(*, raw: str, now: dt.datetime) -> ApiToken | None:
    """The live token ``raw`` names, or None (unknown, wrong secret, revoked or expired)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _, secret = raw.removeprefix(TOKEN_PREFIX).partition("_")
    if not prefix or not secret:
        return None
    token = api_tokens_live(now=now).select_related("owner").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    if not token.owner.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_tokens_live(*, now: dt.datetime, owner: User | None = None):
    tokens = ApiToken.objects.filter(revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    return tokens if owner is None else tokens.filter(owner=owner)


def api_token_revoke(*, token: ApiToken, now: dt.datetime | None = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_tokens_listed(*, owner: User):
    """The owner's tokens that still exist for them: live or expired, not revoked (Settings →
    API tokens shows an expired one as such, so its owner knows why a script stopped)."""
    return ApiToken.objects.filter(owner=owner, revoked_at__isnull=True)


def api_token_expiry(*, days: int | None, now: dt.datetime) -> dt.datetime | None:
    """When a token made ``now`` to last ``days`` days expires (None: never)."""
    return None if days is None else now + dt.timedelta(days=days)
