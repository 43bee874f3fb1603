"""The signed links in digest emails: they work without logging in (reminders/links.py).

A GET only shows what the link will do and a POST does it, because mail scanners follow GETs;
HEAD is answered like GET, since scanners and mail clients send it too.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import UserSettings
from network_crm.clock import now
from network_crm.http import HtmxHttpRequest
from reminders import links, selectors
from reminders.models import Reminder
from reminders.services import actions
from reminders.services.schedule import digest_unsubscribe


@require_http_methods(["GET", "HEAD", "POST"])
def reminder_act(request: HtmxHttpRequest, token: str) -> HttpResponse:
    try:
        link = links.read_action_token(token)
    except links.LinkError as error:
        return _refused(request, str(error), status=400)
    reminder = selectors.reminder_of_link(link=link)
    if link.used_up(reminder):
        return _link_used(request, reminder)
    context = {"reminder": reminder, "action": link.action, "label": links.ACTIONS[link.action]}
    if request.method != "POST":
        return render(request, "reminders/link_confirm.html", context)
    try:
        actions.reminder_act(reminder=reminder, action=link.action, version=link.version, now=now())
    except actions.ReminderGone:
        reminder.refresh_from_db()
        return _link_used(request, reminder)
    return render(request, "reminders/link_done.html", context)


@csrf_exempt  # RFC 8058 one-click unsubscribe is a POST from the mail client, without a session.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HtmxHttpRequest, token: str) -> HttpResponse:
    try:
        user_id = links.read_unsubscribe_token(token)
    except links.LinkError as error:
        return _refused(request, str(error), status=400)
    user_settings = UserSettings.objects.filter(user_id=user_id).first()
    if user_settings is None:
        return _refused(request, "This account no longer exists.", status=404)
    if request.method == "POST":
        digest_unsubscribe(user_settings=user_settings)
        return render(request, "reminders/unsubscribed.html")
    return render(request, "reminders/unsubscribe_confirm.html")


def _refused(request: HtmxHttpRequest, reason: str, *, status: int) -> HttpResponse:
    return render(request, "reminders/link_refused.html", {"reason": reason}, status=status)


def _link_used(request: HtmxHttpRequest, reminder: Reminder | None) -> HttpResponse:
    """Says what became of the reminder (logged, done, snoozed, dismissed), not just "used"."""
    outcome = selectors.reminder_outcome(reminder=reminder) if reminder else None
    return render(request, "reminders/link_used.html", {"outcome": outcome}, status=410)
