"""Planning a meeting, logging it once it happened (one click), dismissing it, and the
"Anything you promised?" capture after a log."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget, trigger_client_event

from contacts.models import Contact
from interactions import plans
from interactions.models import Interaction, PlannedInteraction
from interactions.plans_forms import PROMISE_CHIPS, PlanForm, PromiseForm
from interactions.plans_selectors import plan_title, plans_of_contact
from network_crm.announce import Undo, announce
from network_crm.clock import local_today, now, user_zone
from network_crm.dates import format_date
from network_crm.http import HtmxHttpRequest, redirect_back
from network_crm.owned import get_owned_or_404
from network_crm.reversing import url_to


def _starting_people(request: HtmxHttpRequest) -> list[Contact]:
    ids = [
        v for v in request.GET.getlist("contact") if v.isascii() and v.isdigit() and len(v) <= 18
    ]
    return list(Contact.objects.filter(owner=request.user, archived=False, pk__in=ids[:20]))


@require_http_methods(["GET", "POST"])
@login_required
def plan_add(request: HtmxHttpRequest) -> HttpResponse:
    user, moment = request.user, now()
    tomorrow = local_today(user) + dt.timedelta(days=1)
    initial = {"people": _starting_people(request), "day": tomorrow, "at_time": "10:00"}
    form = PlanForm(
        request.POST or None, owner=user, zone=user_zone(user), now=moment, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        people = list(form.cleaned_data["people"])
        plan = plans.plan_create(owner=user, contacts=people, **form.plan_fields())
        when = plan.starts_at.astimezone(user_zone(user))
        day = format_date(when.date(), "weekday")
        text = f"Planned: {plan_title(plan, people, lower=True)} on {day} at {when:%H:%M}."
        messages.success(request, text)
        return redirect_back(request, fallback=people[0].get_absolute_url())
    status = 400 if form.is_bound else 200
    context = {"form": form, "plan": None, "next": request.GET.get("next", "")}
    return render(request, "interactions/plans/plan_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = get_owned_or_404(PlannedInteraction, user, pk=pk, state="planned")
    zone = user_zone(user)
    initial = PlanForm.initial_from(plan, zone)
    form = PlanForm(request.POST or None, owner=user, zone=zone, now=now(), initial=initial)
    if request.method == "POST" and form.is_valid():
        people = list(form.cleaned_data["people"])
        plans.plan_update(plan=plan, contacts=people, **form.plan_fields())
        messages.success(request, "Plan saved. Your calendar follows.")
        return redirect_back(request, fallback=people[0].get_absolute_url())
    status = 400 if form.is_bound else 200
    context = {"form": form, "plan": plan, "next": request.GET.get("next", "")}
    return render(request, "interactions/plans/plan_form.html", context, status=status)


@require_POST
@login_required
def plan_log(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = get_owned_or_404(PlannedInteraction, request.user, pk=pk)
    today = local_today(request.user)
    people = list(plan.contacts.order_by("sort_name", "pk"))
    try:
        interaction = plans.plan_log(plan=plan, now=now(), today=today)
    except plans.PlanNotYet as error:
        return announce(request, str(error), fallback=reverse("dashboard"))
    text = f"Logged: {plan_title(plan, people, lower=True)}."
    undo = Undo(reverse("plans:unlog", args=[plan.pk]))
    promise_url = reverse("plans:promise", args=[interaction.pk])
    if not request.htmx:
        return announce(request, text, fallback=promise_url, undo=undo)
    context = {"text": text, "undo": undo, "interaction": interaction, "chips": PROMISE_CHIPS}
    context["form"] = PromiseForm(today=today)
    response = render(request, "interactions/plans/_logged.html", context)
    response = reswap(retarget(response, "#announce"), "innerHTML")
    return trigger_client_event(response, "contactChanged")


@require_POST
@login_required
def plan_unlog(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = get_owned_or_404(PlannedInteraction, request.user, pk=pk)
    plans.plan_log_undo(plan=plan, today=local_today(request.user))
    text = "Undone: it is out of the log and planned again."
    return announce(request, text, fallback=reverse("dashboard"), event="contactChanged")


@require_POST
@login_required
def plan_dismiss(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = get_owned_or_404(PlannedInteraction, request.user, pk=pk)
    people = list(plan.contacts.order_by("sort_name", "pk"))
    plans.plan_dismiss(plan=plan)
    undo = Undo(reverse("plans:restore", args=[plan.pk]))
    text = f"Dismissed: {plan_title(plan, people, lower=True)}."
    fallback = reverse("dashboard")
    return announce(request, text, fallback=fallback, undo=undo, event="contactChanged")


@require_POST
@login_required
def plan_restore(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = get_owned_or_404(PlannedInteraction, request.user, pk=pk)
    plans.plan_restore(plan=plan)
    text = "Undone: the plan is back."
    return announce(request, text, fallback=reverse("dashboard"), event="contactChanged")


@require_http_methods(["GET", "POST"])
@login_required
def plan_promise(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """ "Anything you promised?" after a log: the interaction's follow-up note and day."""
    interaction = get_owned_or_404(Interaction, request.user, pk=pk)
    today = local_today(request.user)
    form = PromiseForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        note = form.cleaned_data["note"]
        plans.plan_promise(interaction=interaction, note=note, on=day, today=today)
        text = f"Noted: {note} — a reminder comes {format_date(day, 'weekday')}."
        return announce(request, text, fallback=reverse("dashboard"), event="contactChanged")
    template = (
        "interactions/plans/_promise_form.html"
        if request.htmx
        else "interactions/plans/promise.html"
    )
    context = {"form": form, "interaction": interaction, "people": list(interaction.contacts.all())}
    status = 400 if form.is_bound and not request.htmx else 200
    return render(request, template, context, status=status)


@require_safe
@login_required
def plans_for_contact(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The person's page's Plans card, alone (it refreshes itself after an action)."""
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    today = local_today(request.user)
    context = plans_section(request=request, contact=contact, today=today)
    context.update(contact=contact, today=today)
    return render(request, "interactions/plans/_contact_plans.html", context)


def plans_section(*, request, contact, today, **kwargs) -> dict:
    """The ``contact.aside`` section "Plans" (registered in plans_sections)."""
    plans_list = plans_of_contact(owner=request.user, contact=contact, today=today)
    return {
        "plans": plans_list,
        "now": now(),
        "plans_url": url_to("plans:for_contact", contact.pk),
        "plan_add_url": url_to("plans:add"),
    }
