from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from contacts.models import Contact
from contacts.selectors import contacts_due_capped
from interactions.forms import QUICK_KINDS
from network_crm.clock import local_today, now
from reminders.models import SchedulerHeartbeat

# Beat runs the sweep every minute or few; silence for longer than this means it is not running.
SCHEDULER_STALE_AFTER = dt.timedelta(minutes=10)


def _scheduler_status() -> dict:
    heartbeat = SchedulerHeartbeat.objects.filter(name="sweep").first()
    last_run = heartbeat.last_run_at if heartbeat else None
    age = now() - last_run if last_run else None
    return {
        "last_run": last_run,
        "recent": age is not None and age < dt.timedelta(minutes=1),
        "stale": age is None or age > SCHEDULER_STALE_AFTER,
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = local_today(user)
    due = contacts_due_capped(owner=user, today=today, limit=user.settings.daily_limit)
    context = {"due": due, "today": today, "quick_kinds": QUICK_KINDS}
    if request.htmx:
        return render(request, "reminders/dashboard.html#due-section", context)
    context.update(
        has_contacts=Contact.objects.for_owner(user).exists(),
        coming_up=Contact.objects.for_owner(user)
        .filter(archived=False, paused=False, next_reach_out_on__gt=today)
        .order_by("next_reach_out_on", "sort_name")[:5],
        scheduler=_scheduler_status() if user.is_superuser else None,
    )
    return render(request, "reminders/dashboard.html", context)
