from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from contacts.models import Contact
from contacts.selectors import contacts_due_capped, contacts_with_talking_points
from interactions.forms import QUICK_KINDS
from network_crm.clock import local_today, now
from network_crm.http import redirect_back
from network_crm.owned import get_owned_or_404
from reminders import selectors, services
from reminders.models import Reminder, SchedulerHeartbeat

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
    contacts_with_talking_points(due.items)
    context = {"due": due, "today": today, "quick_kinds": QUICK_KINDS}
    section = request.GET.get("section", "")
    if request.htmx and section in SECTIONS:
        # One fragment refreshes itself after an action (htmx event), the rest stay.
        context.update(SECTIONS[section](user, today))
        return render(request, f"reminders/dashboard.html#{section}", context)
    if request.htmx:
        return render(request, "reminders/dashboard.html#due-section", context)
    for load in SECTIONS.values():
        context.update(load(user, today))
    context.update(
        has_contacts=Contact.objects.for_owner(user).exists(),
        scheduler=_scheduler_status() if user.is_superuser else None,
    )
    return render(request, "reminders/dashboard.html", context)


def _soon(user, today: dt.date) -> dict:
    return {
        "follow_ups": selectors.follow_ups_due(owner=user, today=today),
        "upcoming": selectors.upcoming_dates(
            owner=user, today=today, days=user.settings.upcoming_days
        ),
        "upcoming_days": user.settings.upcoming_days,
    }


def _recent(user, today: dt.date) -> dict:
    return {"recent": selectors.recently_seen(owner=user)}


def _health(user, today: dt.date) -> dict:
    weeks = selectors.weekly_activity(owner=user, today=today)
    total = sum(week.count for week in weeks)
    busiest = max(weeks, key=lambda week: week.count) if total else None
    peak = busiest.count if busiest else 0
    return {
        "health": selectors.circle_health(owner=user, today=today),
        "initiative": selectors.initiative_split(owner=user, today=today),
        "weeks": weeks,
        "bars": [
            (index * 6, 60 - height, height, week)
            for index, week in enumerate(weeks)
            for height in [max(1, round(56 * week.count / peak)) if week.count else 0]
        ],
        "weeks_total": total,
        "weeks_average": round(total / len(weeks), 1) if weeks else 0,
        "busiest": busiest,
    }


SECTIONS = {"soon-section": _soon, "recent-section": _recent, "health-section": _health}


@require_POST
@login_required
def reminder_done(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_owned_or_404(Reminder, request.user, pk=pk)
    services.reminder_close(reminder=reminder, state=Reminder.State.DONE, now=now())
    if request.htmx:
        return trigger_client_event(HttpResponse(status=204), "reminderChanged")
    messages.success(request, f"Done: {reminder.note or reminder.get_kind_display().lower()}.")
    return redirect_back(request, fallback=reverse("dashboard"))
