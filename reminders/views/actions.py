from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from network_crm.clock import now
from network_crm.http import HtmxHttpRequest, redirect_back
from network_crm.owned import get_owned_or_404
from reminders.models import Reminder
from reminders.services.actions import reminder_close


@require_POST
@login_required
def reminder_done(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    reminder = get_owned_or_404(Reminder, request.user, pk=pk)
    reminder_close(reminder=reminder, state=Reminder.State.DONE, now=now())
    if request.htmx:
        return trigger_client_event(HttpResponse(status=204), "reminderChanged")
    messages.success(request, f"Done: {reminder.note or reminder.get_kind_display().lower()}.")
    return redirect_back(request, fallback=reverse("dashboard"))
