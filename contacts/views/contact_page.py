"""A person's page and the actions on it (snooze, "we're fine")."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from contacts import selectors, services
from contacts.forms import (
    InterestAddForm,
)
from contacts.limits import MAX_DATES_PER_CONTACT, MAX_METHODS_PER_CONTACT, MAX_SHOWN_INTERESTS
from contacts.models import (
    Contact,
)
from network_crm.clock import local_today
from network_crm.http import redirect_back
from network_crm.owned import get_owned_or_404
from network_crm.sections import sections_for


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(
        Contact.objects.select_related("circle", "introduced_by"), request.user, pk=pk
    )
    today = local_today(request.user)
    template = "contacts/contact_detail.html" + ("#activity" if request.htmx else "")
    interests = selectors.first_of(
        contact.interests.order_by("-mine", "folded_name"), limit=MAX_SHOWN_INTERESTS
    )
    methods = selectors.first_of(contact.methods.all(), limit=MAX_METHODS_PER_CONTACT)
    dates = selectors.first_of(contact.dates.all(), limit=MAX_DATES_PER_CONTACT)
    # The log, the quick-log form and open reminders are the apps above's sections.
    sections = {"request": request, "contact": contact, "today": today}
    return render(
        request,
        template,
        {
            "contact": contact,
            "today": today,
            "activity_sections": sections_for("contact.activity", **sections),
            "methods": methods.items,
            "methods_not_shown": methods.more,
            "dates": [(d, d.next_occurrence(today)) for d in dates.items],
            "dates_not_shown": dates.more,
            "interests": interests.items,
            "interests_not_shown": interests.more,
            "shared_interests": [interest for interest in interests.items if interest.mine],
            "interest_form": InterestAddForm(),
            "introduced": contact.introduced.filter(archived=False).order_by("sort_name")[:20],
            "aside_sections": [] if request.htmx else sections_for("contact.aside", **sections),
        },
    )


@require_POST
@login_required
def contact_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    today = local_today(request.user)
    try:
        until = dt.date.fromisoformat(request.POST["until"]) if request.POST.get("until") else None
        days = min(max(int(request.POST.get("days", 7)), 1), 365)
    except ValueError:
        messages.error(request, "Pick a number of days or a date to snooze until.")
        return redirect_back(request, fallback=contact.get_absolute_url())
    if until is not None:
        if not today < until <= today + dt.timedelta(days=365 * 2):
            messages.error(request, "Pick a date after today and within two years.")
            return redirect_back(request, fallback=contact.get_absolute_url())
        days = (until - today).days
    services.contact_snooze(contact=contact, until=today + dt.timedelta(days=days), today=today)
    if request.htmx:
        return trigger_client_event(HttpResponse(status=204), "contactChanged")
    messages.success(request, f"Snoozed {contact.name} for {days} days.")
    return redirect_back(request, fallback=contact.get_absolute_url())


@require_POST
@login_required
def contact_fine(request: HttpRequest, pk: int) -> HttpResponse:
    """ "We're fine": restart their rhythm from today without logging anything."""
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    services.contact_mark_fine(contact=contact, today=local_today(request.user))
    if request.htmx:
        return trigger_client_event(HttpResponse(status=204), "contactChanged")
    messages.success(
        request, f"Noted: you and {contact.name} are fine. Their rhythm starts again today."
    )
    return redirect_back(request, fallback=contact.get_absolute_url())
