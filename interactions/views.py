from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from contacts.models import Contact
from interactions import selectors, services
from interactions.forms import ActivityFiltersForm, InteractionForm, QuickLogForm
from interactions.models import Interaction
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
        if request.htmx and request.POST.get("quick"):
            # One-click log from the dashboard: a note with an undo, and the lists refresh.
            response = render(
                request,
                "interactions/_logged_toast.html",
                {"interaction": interaction, "contact": contact},
            )
            return trigger_client_event(response, "contactChanged")
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


def _form_initial(interaction: Interaction, zone) -> dict:
    local = interaction.occurred_at.astimezone(zone)
    return {
        "kind": interaction.kind,
        "people": list(interaction.contacts.all()),
        "occurred_on": local.date(),
        "at_time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": interaction.duration_minutes,
        "place": interaction.place,
        "initiated_by": interaction.initiated_by,
        "notes": interaction.notes,
        "follow_up_on": interaction.follow_up_on,
        "follow_up_note": interaction.follow_up_note,
        "ask_next_time": interaction.ask_next_time,
    }


def _fields_from(form: InteractionForm, request: HttpRequest) -> dict:
    data = form.cleaned_data
    if data["at_time"]:
        occurred_at = dt.datetime.combine(
            data["occurred_on"], data["at_time"], tzinfo=user_zone(request.user)
        )
    else:
        occurred_at = _moment_on(data["occurred_on"], request)
    return {
        "kind": data["kind"],
        "occurred_at": occurred_at,
        "duration_minutes": data["duration_minutes"],
        "place": data["place"],
        "initiated_by": data["initiated_by"],
        "notes": data["notes"],
        "follow_up_on": data["follow_up_on"],
        "follow_up_note": data["follow_up_note"],
        "ask_next_time": data["ask_next_time"],
    }


@login_required
def interaction_create(request: HttpRequest, contact_pk: int) -> HttpResponse:
    """The full form ("More…"), started from one contact; others can be ticked in."""
    contact = get_owned_or_404(Contact, request.user, pk=contact_pk)
    today = local_today(request.user)
    form = InteractionForm(
        request.POST or None,
        owner=request.user,
        today=today,
        people_choices=[contact],
        initial={
            "people": [contact],
            "occurred_on": today,
            "kind": request.GET.get("kind", "coffee"),
        },
    )
    if request.method == "POST" and form.is_valid():
        interaction = services.interaction_log(
            owner=request.user,
            contacts=list(form.cleaned_data["people"]),
            today=today,
            **_fields_from(form, request),
        )
        messages.success(request, f"Logged: {interaction.get_kind_display().lower()}.")
        return redirect_back(request, fallback=contact.get_absolute_url())
    return render(request, "interactions/interaction_form.html", {"form": form, "contact": contact})


@login_required
def interaction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = get_owned_or_404(Interaction, request.user, pk=pk)
    today = local_today(request.user)
    people = list(interaction.contacts.all())
    form = InteractionForm(
        request.POST or None,
        owner=request.user,
        today=today,
        people_choices=people,
        initial=_form_initial(interaction, user_zone(request.user)),
    )
    if request.method == "POST" and form.is_valid():
        services.interaction_update(
            interaction=interaction,
            contacts=list(form.cleaned_data["people"]),
            today=today,
            **_fields_from(form, request),
        )
        messages.success(request, "Saved. Due dates follow the new details.")
        return redirect_back(request, fallback=people[0].get_absolute_url() if people else "/")
    return render(
        request,
        "interactions/interaction_form.html",
        {"form": form, "interaction": interaction, "contact": people[0] if people else None},
    )


@login_required
def interaction_delete(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = get_owned_or_404(Interaction, request.user, pk=pk)
    if request.method != "POST":
        return render(
            request,
            "interactions/interaction_delete.html",
            {"interaction": interaction, "people": list(interaction.contacts.all())},
        )
    services.interaction_delete(interaction=interaction, today=local_today(request.user))
    if request.htmx:
        response = HttpResponse('<p class="muted">Undone.</p>')
        return trigger_client_event(response, "contactChanged")
    messages.success(request, "Deleted. Due dates follow the interactions that remain.")
    return redirect_back(request, fallback=reverse("interactions:list"))


ACTIVITY_PAGE_SIZE = 30


@login_required
def interaction_list(request: HttpRequest) -> HttpResponse:
    filters = ActivityFiltersForm(request.GET or None, owner=request.user)
    chosen = filters.filters()
    interactions = selectors.interactions_filtered(owner=request.user, **chosen)
    paginator = Paginator(interactions, ACTIVITY_PAGE_SIZE)
    paginator.count = selectors.interactions_count(
        owner=request.user, interactions=interactions, **chosen
    )
    page = paginator.get_page(request.GET.get("page"))
    selectors.attach_people(page.object_list)
    template = "interactions/interaction_list.html" + ("#activity-results" if request.htmx else "")
    return render(
        request,
        template,
        {
            "page": page,
            "filters": filters,
            "today": local_today(request.user),
        },
    )
