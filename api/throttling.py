"""Per-token (or, for the browser, per-user) request rate, answered with 429 and Retry-After.

The counts live in the ``api`` cache (network_crm/settings.py), shared by every web worker:
Redis when the instance has one (REDIS_URL, or a Redis Celery broker), otherwise files under
VAR_DIR — a per-process memory cache would give each gunicorn worker its own allowance
(docs/architecture.md, "The API")."""

from __future__ import annotations

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken

CACHE_ALIAS = "api"


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def __init__(self):
        self.cache = caches[CACHE_ALIAS]
        super().__init__()

    def get_rate(self) -> str:
        # Read at each request (DRF binds it at import), so API_RATE in settings is what holds.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
