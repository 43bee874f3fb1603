"""The meetup card's actions on the dashboard: "Log it", "Not now" and its Undo.

Each answers in the page's live region (network_crm/announce.py) and sends ``contactChanged``,
so the due section refreshes itself: the logged people are no longer due, the dismissed ones are
back as single nudges."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from interactions.models import Interaction
from network_crm.announce import Undo, announce
from network_crm.clock import local_today, now
from network_crm.dates import format_date
from network_crm.http import HtmxHttpRequest
from reminders import meetups_services as services
from reminders.meetups import names_text
from reminders.meetups_forms import MeetupDismissForm, MeetupLogForm, MeetupUndoForm


def _answer(request: HtmxHttpRequest, text: str, undo: Undo | None = None) -> HttpResponse:
    return announce(request, text, fallback=reverse("dashboard"), undo=undo, event="contactChanged")


def _names(people) -> str:
    return names_text([person.name for person in people], limit=len(people))


@require_POST
@login_required
def meetup_log(request: HtmxHttpRequest) -> HttpResponse:
    form = MeetupLogForm(request.POST, owner=request.user)
    if not form.is_valid():
        return _answer(request, f"Nothing logged: {form.error_text()}")
    people = form.cleaned_data["people"]
    interaction = services.meetup_log(
        owner=request.user,
        contacts=people,
        kind=form.cleaned_data["kind"],
        now=now(),
        today=local_today(request.user),
    )
    kind = Interaction.Kind(interaction.kind).label.lower()
    undo = Undo(reverse("interactions:delete", args=[interaction.pk]))
    return _answer(request, f"Logged {kind} with {_names(people)}.", undo)


@require_POST
@login_required
def meetup_dismiss(request: HtmxHttpRequest) -> HttpResponse:
    form = MeetupDismissForm(request.POST, owner=request.user)
    if not form.is_valid():
        return _answer(request, f"Nothing changed: {form.error_text()}")
    key = form.cleaned_data["key"]
    dismissal = services.meetup_dismiss(
        owner=request.user, key=key, today=local_today(request.user)
    )
    text = (
        f"Not now, then: {_names(form.cleaned_data['people'])} are back one by one. "
        f"This meetup comes up again from {format_date(dismissal.until, 'weekday')}."
    )
    return _answer(request, text, Undo(reverse("meetups:undo_dismiss"), {"key": key}))


@require_POST
@login_required
def meetup_undo_dismiss(request: HtmxHttpRequest) -> HttpResponse:
    form = MeetupUndoForm(request.POST)
    if not form.is_valid() or not services.meetup_dismiss_undo(
        owner=request.user, key=form.cleaned_data["key"]
    ):
        return _answer(request, "There was nothing to undo.")
    return _answer(request, "Undone: the meetup is suggested again.")
