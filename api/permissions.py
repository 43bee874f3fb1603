"""Who may do what: any signed-in owner reads; writes need a read-write token or the session."""

from __future__ import annotations

from rest_framework import permissions

from api.models import ApiToken


class TokenScope(permissions.BasePermission):
    message = "This token is read-only; writes need a read-write token."

    def has_permission(self, request, view) -> bool:
        if request.user is None or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.scope == ApiToken.Scope.WRITE
