from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from contacts.models import Contact
from interactions import services
from interactions.forms import QuickLogForm
from network_crm.clock import local_today, now, user_zone
from network_crm.http import redirect_back
from network_crm.owned import get_owned_or_404


def _moment_on(day: dt.date, request: HttpRequest) -> dt.datetime:
    """Now, if ``day`` is today; otherwise noon of that day, in the user's zone."""
    current = now().astimezone(user_zone(request.user))
    if day == current.date():
        return current
    return dt.datetime.combine(day, dt.time(12), tzinfo=user_zone(request.user))


@require_POST
@login_required
def interaction_log(request: HttpRequest, contact_pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_pk)
    today = local_today(request.user)
    form = QuickLogForm(request.POST, today=today)
    if form.is_valid():
        interaction = services.interaction_log(
            owner=request.user,
            contacts=[contact],
            kind=form.cleaned_data["kind"],
            occurred_at=_moment_on(form.cleaned_data["occurred_on"], request),
            notes=form.cleaned_data["notes"],
            today=today,
        )
        if request.htmx:
            # A fresh form in place of the one sent; the contact's other fragments listen.
            fresh = QuickLogForm(initial={"occurred_on": today}, today=today)
            response = render(
                request,
                "interactions/log_form.html",
                {"form": fresh, "contact": contact, "logged": interaction},
            )
            return trigger_client_event(response, "contactChanged")
        messages.success(
            request, f"Logged: {interaction.get_kind_display().lower()} with {contact.name}."
        )
        return redirect_back(request, fallback=contact.get_absolute_url())
    # htmx 2 does not swap error responses by default, so the form with its errors comes back as 200.
    template = "interactions/log_form.html" if request.htmx else "interactions/log_page.html"
    status = 200 if request.htmx else 400
    return render(request, template, {"form": form, "contact": contact}, status=status)
