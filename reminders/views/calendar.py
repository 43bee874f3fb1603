from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.models import UserSettings
from accounts.services import calendar_token_regenerate
from network_crm.clock import now
from network_crm.http import HtmxHttpRequest
from reminders import calendar


@require_safe
def calendar_feed(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The private iCal feed; the token in the URL is the only key (a wrong one is a 404)."""
    user_settings = get_object_or_404(
        UserSettings.objects.select_related("user"), calendar_token=token, user__is_active=True
    )
    body = calendar.calendar_feed(owner=user_settings.user, now=now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
@login_required
def calendar_regenerate(request: HtmxHttpRequest) -> HttpResponse:
    calendar_token_regenerate(user_settings=request.user.settings)
    messages.success(request, "New calendar address made; the old one no longer works.")
    return redirect(reverse("settings") + "#calendar")
