"""The brief page: one phone-sized screen about a person before you meet them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from contacts.models import Contact
from network_crm.clock import local_today
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404
from reminders.brief import contact_brief


@require_safe
@login_required
def brief_contact(request: HtmxHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(
        Contact.objects.select_related("introduced_by"), request.user, pk=contact_id
    )
    today = local_today(request.user)
    brief = contact_brief(owner=request.user, contact=contact, today=today)
    return render(request, "reminders/brief.html", {"brief": brief, "today": today})
