"""Circles and their rhythms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from contacts import services
from contacts.forms import CircleForm
from contacts.models import Circle
from network_crm.http import HtmxHttpRequest, messages_from_errors
from network_crm.owned import get_owned_or_404


def _circle_rows(user) -> list[tuple[Circle, CircleForm]]:
    """Each circle, by rhythm, with how many people are in it and its inline edit form."""
    circles = (
        Circle.objects.for_owner(user)
        .annotate(people=Count("contacts", filter=Q(contacts__archived=False)))
        .order_by(F("cadence_days").asc(nulls_last=True), "name")
    )
    return [
        (circle, CircleForm(instance=circle, owner=user, prefix=f"c{circle.pk}"))
        for circle in circles
    ]


@require_http_methods(["GET", "POST"])
@login_required
def circle_list(request: HtmxHttpRequest) -> HttpResponse:
    form = CircleForm(request.POST or None, owner=request.user, prefix="new")
    if request.method == "POST" and form.is_valid():
        circle = services.circle_save(circle=form.save(commit=False))
        messages.success(request, f"Circle “{circle.name}” added.")
        return redirect("contacts:circles")
    context = {"form": form, "rows": _circle_rows(request.user)}
    return render(request, "contacts/circle_list.html", context)


@require_POST
@login_required
def circle_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    circle = get_owned_or_404(Circle, request.user, pk=pk)
    old_cadence = circle.cadence_days
    form = CircleForm(request.POST, instance=circle, owner=request.user, prefix=f"c{circle.pk}")
    if form.is_valid():
        services.circle_save(circle=form.save(commit=False))
        note = " Everyone in it has been re-timed." if circle.cadence_days != old_cadence else ""
        messages.success(request, f"Circle “{circle.name}” saved.{note}")
    else:
        messages_from_errors(request, form)
    return redirect("contacts:circles")


@require_POST
@login_required
def circle_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    circle = get_owned_or_404(Circle, request.user, pk=pk)
    moved = services.circle_delete(circle=circle)
    people = "1 person in it now has" if moved == 1 else f"{moved} people in it now have"
    messages.success(request, f"Circle “{circle.name}” deleted; {people} no circle.")
    return redirect("contacts:circles")
