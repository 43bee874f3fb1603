"""The introductions pages: the list, recording one, and moving it through its steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contacts.models import Contact
from giving import introductions_selectors as selectors
from giving.introductions_forms import IntroductionForm, StepForm
from giving.models import Introduction
from giving.services.introductions import (
    introduction_create,
    introduction_delete,
    introduction_move,
)
from network_crm import clock
from network_crm.announce import Undo, announce
from network_crm.http import HtmxHttpRequest, messages_from_errors
from network_crm.owned import get_owned_or_404

_WITH_PEOPLE = Introduction.objects.select_related("person_a", "person_b")


def _contact_from(request: HtmxHttpRequest, name: str) -> Contact | None:
    value = request.GET.get(name, "")
    return get_owned_or_404(Contact, request.user, pk=value) if value.isdigit() else None


@require_safe
@login_required
def introduction_list(request: HtmxHttpRequest) -> HttpResponse:
    contact = _contact_from(request, "contact")
    rows = selectors.introductions_list(owner=request.user, contact=contact)
    context = {
        "rows": [(row, selectors.status_text(row)) for row in rows],
        "contact": contact,
        "capped": len(rows) >= selectors.LIST_LIMIT,
    }
    return render(request, "giving/introductions/introduction_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def introduction_add(request: HtmxHttpRequest) -> HttpResponse:
    """Pick the first person, then the second (a search each), then say why and save."""
    form = IntroductionForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        introduction = introduction_create(
            owner=request.user, person_a=data["person_a"], person_b=data["person_b"],
            reason=data["reason"],
        )  # fmt: skip
        messages.success(request, "Introduction saved. Next: ask each of them first.")
        return redirect("introductions:detail", pk=introduction.pk)
    a, b = _contact_from(request, "a"), _contact_from(request, "b")
    query = request.GET.get("q", "")
    context = {"form": form, "a": a, "b": b, "query": query, "candidates": []}
    if b is None or a is None:
        context["candidates"] = selectors.introduction_candidates(
            owner=request.user, query=query, exclude=a
        )
    return render(request, "giving/introductions/introduction_add.html", context)


@require_safe
@login_required
def introduction_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    introduction = get_owned_or_404(_WITH_PEOPLE, request.user, pk=pk)
    context = {
        "introduction": introduction,
        "status": selectors.status_text(introduction),
        "next_step": selectors.next_step(introduction),
        "steps": selectors.steps_of(introduction),
        "today": clock.local_today(request.user),
    }
    return render(request, "giving/introductions/introduction_detail.html", context)


@require_POST
@login_required
def introduction_step(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Move to the posted state (the next step, "declined", an outcome, or an Undo's way back)."""
    introduction = get_owned_or_404(_WITH_PEOPLE, request.user, pk=pk)
    now = clock.now()
    form = StepForm(request.POST, today=clock.local_today(request.user, at=now))
    url = reverse("introductions:detail", args=[pk])
    if not form.is_valid():
        messages_from_errors(request, form)
        return redirect(url)
    previous = introduction_move(
        introduction=introduction, state=form.cleaned_data["state"], today=form.today,
        now=form.occurred_at(now=now, zone=request.user.settings.zone),
        outcome=form.cleaned_data["outcome"] or None,
    )  # fmt: skip
    text = selectors.step_done_text(introduction)
    undo = Undo(reverse("introductions:step", args=[pk]), {"state": previous})
    return announce(request, text, fallback=url, undo=undo, event="introductionChanged")


@require_POST
@login_required
def introduction_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    introduction = get_owned_or_404(_WITH_PEOPLE, request.user, pk=pk)
    introduction_delete(introduction=introduction)
    messages.success(request, "Introduction deleted (anything it logged stays in the log).")
    return redirect("introductions:list")
