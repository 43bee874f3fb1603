"""Undo of a stretched rhythm (don't hound): the person's rhythm as it was."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from network_crm.announce import announce
from network_crm.clock import local_today, now
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404
from reminders.models import RhythmStretch
from reminders.rhythm_selectors import every
from reminders.services.rhythm import StretchGone, rhythm_stretch_undo


@require_POST
@login_required
def rhythm_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    stretch = get_owned_or_404(
        RhythmStretch.objects.select_related("contact__circle"), request.user, pk=pk
    )
    contact = stretch.contact
    try:
        rhythm_stretch_undo(stretch=stretch, today=local_today(request.user), now=now())
    except StretchGone:
        return announce(
            request,
            f"{contact.name}'s rhythm was changed since: nothing to undo.",
            fallback=contact.get_absolute_url(),
            event="contactChanged",
        )
    days = contact.effective_cadence_days
    rhythm = every(days) if days else "no rhythm"
    return announce(
        request,
        f"{contact.name}'s rhythm is back to {rhythm}.",
        fallback=contact.get_absolute_url(),
        event="contactChanged",
    )
