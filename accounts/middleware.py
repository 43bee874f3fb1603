"""The date format in force for a request (network_crm.dates)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts.models import UserSettings
from network_crm import dates


class DateLocaleMiddleware:
    """The signed-in user's date format, or the browser's (Accept-Language) before sign-in or
    while they have none. Read on first use: a page that writes no date loads nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        dates.activate(lambda: self._locale(request))
        try:
            return self.get_response(request)
        finally:
            dates.deactivate()

    @staticmethod
    def _locale(request: HttpRequest) -> str:
        chosen = ""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with contextlib.suppress(UserSettings.DoesNotExist):
                chosen = user.settings.locale
        return chosen or dates.locale_from_accept_language(request.headers.get("Accept-Language"))
