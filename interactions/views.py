"""Logging, editing and deleting interactions, and the activity list."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import trigger_client_event

from contacts.models import Contact
from interactions import selectors, services
from interactions.activity_rows import activity_days_html
from interactions.forms import ActivityFiltersForm, InteractionForm, QuickLogForm
from interactions.models import Interaction
from network_crm.announce import Undo, announce, announce_oob
from network_crm.clock import local_today, now, user_zone
from network_crm.dates import format_date
from network_crm.http import HtmxHttpRequest, redirect_back
from network_crm.owned import get_owned_or_404
from network_crm.owner_cache import owner_cached


def _logged_text(interaction: Interaction, contact: Contact, today: dt.date) -> str:
    kind = interaction.get_kind_display().lower()
    day = interaction.occurred_on
    return f"Logged {kind} with {contact.name}" + (
        "." if day == today else f" on {format_date(day, 'weekday')}."
    )


@require_POST
@login_required
def interaction_log(request: HtmxHttpRequest, contact_pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_pk)
    today = local_today(request.user)
    form = QuickLogForm(request.POST, today=today)
    if not form.is_valid():
        # htmx 2 does not swap error responses by default, so its form with errors comes as 200.
        template = "interactions/log_form.html" if request.htmx else "interactions/log_page.html"
        status = 200 if request.htmx else 400
        return render(request, template, {"form": form, "contact": contact}, status=status)
    fields = form.log_fields(now=now(), zone=user_zone(request.user))
    interaction = services.interaction_log(
        owner=request.user, contacts=[contact], today=today, **fields
    )
    text = _logged_text(interaction, contact, today)
    undo = Undo(reverse("interactions:delete", args=[interaction.pk]))
    if not request.htmx or request.POST.get("quick"):
        # One click from the dashboard (or no htmx): what happened, with an Undo.
        fallback = contact.get_absolute_url()
        return announce(request, text, fallback=fallback, undo=undo, event="contactChanged")
    # A fresh form in place of the one sent, the announcement beside it (out of band); the
    # contact's other fragments listen.
    fresh = QuickLogForm(initial={"occurred_on": today}, today=today)
    response = render(request, "interactions/log_form.html", {"form": fresh, "contact": contact})
    response.write(announce_oob(request, text, undo=undo))
    return trigger_client_event(response, "contactChanged")


@require_http_methods(["GET", "POST"])
@login_required
def interaction_create(request: HtmxHttpRequest, contact_pk: int) -> HttpResponse:
    """The full form ("More…"), started from one contact; others can be ticked in."""
    contact = get_owned_or_404(Contact, request.user, pk=contact_pk)
    today = local_today(request.user)
    initial = {"people": [contact], "occurred_on": today, "kind": request.GET.get("kind", "coffee")}
    form = InteractionForm(
        request.POST or None,
        owner=request.user,
        today=today,
        people_choices=[contact],
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        interaction = services.interaction_log(
            owner=request.user,
            contacts=list(form.cleaned_data["people"]),
            today=today,
            **form.log_fields(now=now(), zone=user_zone(request.user)),
        )
        messages.success(request, f"Logged: {interaction.get_kind_display().lower()}.")
        return redirect_back(request, fallback=contact.get_absolute_url())
    return render(request, "interactions/interaction_form.html", {"form": form, "contact": contact})


@require_http_methods(["GET", "POST"])
@login_required
def interaction_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    interaction = get_owned_or_404(Interaction, request.user, pk=pk)
    today, zone = local_today(request.user), user_zone(request.user)
    people = list(interaction.contacts.all())
    form = InteractionForm(
        request.POST or None,
        owner=request.user,
        today=today,
        people_choices=people,
        initial=InteractionForm.initial_from(interaction, zone),
    )
    if request.method == "POST" and form.is_valid():
        services.interaction_update(
            interaction=interaction,
            contacts=list(form.cleaned_data["people"]),
            today=today,
            **form.log_fields(now=now(), zone=zone),
        )
        messages.success(request, "Saved. Due dates follow the new details.")
        return redirect_back(request, fallback=people[0].get_absolute_url() if people else "/")
    context = {"form": form, "interaction": interaction, "contact": people[0] if people else None}
    return render(request, "interactions/interaction_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def interaction_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    interaction = get_owned_or_404(Interaction, request.user, pk=pk)
    if request.method != "POST":
        return render(
            request,
            "interactions/interaction_delete.html",
            {"interaction": interaction, "people": list(interaction.contacts.all())},
        )
    # Over htmx, deleting is the Undo of a log (the announcement's button).
    kind = interaction.get_kind_display().lower()
    people = ", ".join(contact.name for contact in interaction.contacts.all())
    services.interaction_delete(interaction=interaction, today=local_today(request.user))
    text = (
        f"Undone: the {kind} with {people} is out of the log."
        if request.htmx
        else "Deleted. Due dates follow the interactions that remain."
    )
    return announce(request, text, fallback=reverse("interactions:list"), event="contactChanged")


ACTIVITY_PAGE_SIZE = 30


@require_safe
@login_required
@owner_cached
def interaction_list(request: HtmxHttpRequest) -> HttpResponse:
    filters = ActivityFiltersForm(request.GET or None, owner=request.user)
    chosen = filters.filters()
    interactions = selectors.interactions_filtered(owner=request.user, **chosen)
    paginator = Paginator(interactions, ACTIVITY_PAGE_SIZE)
    paginator.count = selectors.interactions_count(
        owner=request.user, interactions=interactions, **chosen
    )
    page = paginator.get_page(request.GET.get("page"))
    today = local_today(request.user)
    days = selectors.activity_page_by_day(page=page, today=today)
    # Written in Python (interactions/activity_rows.py): the template's loop was most of the
    # page's time (issue 21). The edit links come back here, to the same filters and page.
    days_html = activity_days_html(days, today=today, back=quote(request.get_full_path()))
    template = "interactions/interaction_list.html" + ("#activity-results" if request.htmx else "")
    context = {
        "page": page,
        "days": days,
        "days_html": days_html,
        "filters": filters,
        "today": today,
    }
    return render(request, template, context)
