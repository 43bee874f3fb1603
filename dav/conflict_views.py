"""Settling what a phone's write left on a person's page: restore the app's value, or keep the
phone's (dismiss). Thin views over dav.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dav import services
from dav.models import CardConflict
from network_crm.clock import now
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404


@require_POST
@login_required
def conflict_settle(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    conflict = get_owned_or_404(CardConflict, request.user, pk=pk, resolved_at=None)
    contact = conflict.contact
    if request.POST.get("action") == "restore" and conflict.field != services.DUPLICATE:
        services.card_conflict_restore(conflict=conflict, now=now())
        messages.success(request, f"Restored {contact.name}'s {conflict.field.replace('_', ' ')}.")
    else:
        services.card_conflict_dismiss(conflict=conflict, now=now())
    return redirect(contact)
