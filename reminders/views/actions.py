from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from network_crm.announce import Undo, announce
from network_crm.clock import now
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404
from reminders.models import Reminder
from reminders.services.actions import ReminderGone, reminder_close, reminder_reopen

# The Undo of "done" carries the state it replaced and the closing instant, signed.
UNDO_SALT = "reminders.undo-done"
UNDO_MAX_AGE = dt.timedelta(days=1)


@require_POST
@login_required
def reminder_done(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    reminder = get_owned_or_404(Reminder, request.user, pk=pk)
    previous = reminder.state
    reminder_close(reminder=reminder, state=Reminder.State.DONE, now=now())
    undo = None
    if previous in Reminder.LIVE_STATES and reminder.kind != Reminder.Kind.REACH_OUT:
        token = signing.dumps([pk, previous, reminder.closed_at.isoformat()], salt=UNDO_SALT)
        undo = Undo(reverse("reminders:undo_done", args=[pk]), {"token": token})
    text = f"Done: {reminder.note or reminder.get_kind_display().lower()}."
    fallback = reverse("dashboard")
    return announce(request, text, fallback=fallback, undo=undo, event="reminderChanged")


@require_POST
@login_required
def reminder_undo_done(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Reopen a follow-up marked done by mistake (while nothing else touched it since)."""
    reminder = get_owned_or_404(Reminder, request.user, pk=pk)
    try:
        token = request.POST.get("token", "")
        signed_pk, state, closed_at = signing.loads(token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE)
        if signed_pk != pk:
            raise ReminderGone
        closed = dt.datetime.fromisoformat(closed_at)
        reminder_reopen(reminder=reminder, state=state, closed_at=closed)
    except (signing.BadSignature, ValueError, TypeError, ReminderGone):
        raise Http404("Nothing to undo.") from None
    text = f"Reopened: {reminder.note or reminder.get_kind_display().lower()}."
    return announce(request, text, fallback=reverse("dashboard"), event="reminderChanged")
