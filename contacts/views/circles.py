"""Circles and their rhythms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contacts import services
from contacts.forms import (
    CircleForm,
)
from contacts.models import (
    Circle,
)
from network_crm.owned import get_owned_or_404


@login_required
def circle_list(request: HttpRequest) -> HttpResponse:
    form = CircleForm(request.POST or None, owner=request.user, prefix="new")
    if request.method == "POST" and form.is_valid():
        circle = services.circle_save(circle=form.save(commit=False))
        messages.success(request, f"Circle “{circle.name}” added.")
        return redirect("contacts:circles")
    circles = (
        Circle.objects.for_owner(request.user)
        .annotate(people=Count("contacts", filter=Q(contacts__archived=False)))
        .order_by(F("cadence_days").asc(nulls_last=True), "name")
    )
    return render(
        request,
        "contacts/circle_list.html",
        {
            "form": form,
            "rows": [
                (circle, CircleForm(instance=circle, owner=request.user, prefix=f"c{circle.pk}"))
                for circle in circles
            ],
        },
    )


@require_POST
@login_required
def circle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    circle = get_owned_or_404(Circle, request.user, pk=pk)
    old_cadence = circle.cadence_days
    form = CircleForm(request.POST, instance=circle, owner=request.user, prefix=f"c{circle.pk}")
    if form.is_valid():
        services.circle_save(circle=form.save(commit=False))
        note = ""
        if circle.cadence_days != old_cadence:
            note = " Everyone in it has been re-timed."
        messages.success(request, f"Circle “{circle.name}” saved.{note}")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("contacts:circles")


@require_POST
@login_required
def circle_delete(request: HttpRequest, pk: int) -> HttpResponse:
    circle = get_owned_or_404(Circle, request.user, pk=pk)
    moved = services.circle_delete(circle=circle)
    messages.success(
        request,
        f"Circle “{circle.name}” deleted; "
        + (
            "1 person in it now has no circle."
            if moved == 1
            else f"{moved} people in it now have no circle."
        ),
    )
    return redirect("contacts:circles")


# --- Photos ----------------------------------------------------------------------------------
