"""Sign-in limits plugged into Django's authentication and django-axes."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_credentials
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts import services
from accounts.models import normalize_email_key
from network_crm.clock import now


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The key django-axes counts failures under: the address as accounts store it, so
    ALICE@example.com and alice@example.com share one lockout counter."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or getattr(request, "POST", {})).get(field)
    return None if value is None else normalize_email_key(value)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, as django-axes reads it (BEHIND_PROXY aware)."""
    return get_client_ip_address(request)


def sign_in_refusal(request: HttpRequest, username: str | None):
    """Why signing in as ``username`` from this request's address is refused now, or None: the
    lockout of the pair (django-axes), then the limits per address and per account."""
    if not AxesProxyHandler.is_allowed(request, get_credentials(username=username)):
        return services.LoginRefusal(services.LoginRefusal.PAIR)
    return services.login_refusal(username=username, ip_address=client_address(request), now=now())


class LoginThrottleBackend(AxesStandaloneBackend):
    """First in AUTHENTICATION_BACKENDS: refuses a sign-in before any password is checked when
    the pair, the address or the account is over its limit. The refusal is noted on the request
    (the lockout page says why and for how long; such a try is not counted as a failure)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            request.login_refusal = services.LoginRefusal(services.LoginRefusal.PAIR)
            raise
        refusal = services.login_refusal(
            username=username, ip_address=client_address(request), now=now()
        )
        if refusal is None:
            return None
        request.login_refusal = refusal
        request.axes_locked_out = True  # AxesMiddleware answers with the lockout page
        request.axes_credentials = get_credentials(username=username)
        raise PermissionDenied("Too many failed sign-ins.")


def count_login_failure(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    """user_login_failed receiver: a wrong password or code counts towards the limits per
    account and per address; a try refused by a limit does not (it checked nothing)."""
    if request is None or getattr(request, "login_refusal", None) is not None:
        return
    services.login_failure_record(
        username=axes_username(request, credentials),
        ip_address=client_address(request),
        now=now(),
    )
