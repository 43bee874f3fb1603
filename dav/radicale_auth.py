"""Radicale's auth plugin: ``[auth] type = dav.radicale_auth``.

The view has already checked the Basic credentials against the account's app passwords
(accounts.services.app_password_authenticate, throttled like sign-ins) before Radicale runs, so
this plugin only confirms the login names the account the view authenticated; it never sees an
account password and never checks one (docs/architecture.md, "Sync with phones")."""

from __future__ import annotations

from radicale import auth

from accounts.models import normalize_email_key
from dav import context


class Auth(auth.BaseAuth):
    def _login(self, login: str, password: str) -> str:
        request = context.current.get()
        if request is None or normalize_email_key(login) != request.owner.email:
            return ""
        # Radicale names the principal after what this returns: the stored (lower-case) email.
        return request.owner.email
