from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from accounts.models import UserSettings
from accounts.services import calendar_token_regenerate
from contacts.models import Contact
from contacts.selectors import contacts_due_capped
from interactions.forms import QUICK_KINDS
from interactions.selectors import contacts_with_talking_points
from network_crm.clock import local_today, now
from network_crm.http import redirect_back
from network_crm.owned import get_owned_or_404
from reminders import calendar, links, selectors, services
from reminders.models import Reminder, SchedulerHeartbeat

# Beat runs the sweep every minute or few; silence for longer than this means it is not running.
SCHEDULER_STALE_AFTER = dt.timedelta(minutes=10)
# Beat sweeps as soon as it starts, then every SWEEP_INTERVAL_SECONDS; this much on top of one
# interval covers the processes starting and the worker picking the sweep up.
FIRST_SWEEP_MARGIN = dt.timedelta(minutes=1)


def _scheduler_status(owner) -> dict:
    heartbeat = SchedulerHeartbeat.objects.filter(name="sweep").first()
    last_run = heartbeat.last_run_at if heartbeat else None
    current = now()
    if last_run is None:
        # No sweep yet. That is trouble only once beat, running since at least the moment the
        # owner signed up on this server, has had one interval plus a margin to sweep.
        first_sweep_due = (
            owner.date_joined
            + dt.timedelta(seconds=settings.SWEEP_INTERVAL_SECONDS)
            + FIRST_SWEEP_MARGIN
        )
        return {"last_run": None, "recent": False, "stale": current > first_sweep_due}
    age = current - last_run
    return {
        "last_run": last_run,
        "recent": age < dt.timedelta(minutes=1),
        "stale": age > SCHEDULER_STALE_AFTER,
    }


def _sweep_is_late() -> bool:
    last = (
        SchedulerHeartbeat.objects.filter(name="sweep")
        .values_list("last_run_at", flat=True)
        .first()
    )
    return last is not None and now() - last > SWEEP_HEALTHY_WITHIN


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = local_today(user)
    context = {"today": today, "quick_kinds": QUICK_KINDS}
    section = request.GET.get("section", "")
    if request.htmx and section in SECTIONS:
        # One fragment refreshes itself after an action (htmx event), the rest stay. Only the
        # due section shows the due list, so the other fragments don't load it.
        context.update(SECTIONS[section](user, today))
        return render(request, f"reminders/dashboard.html#{section}", context)
    due = contacts_due_capped(owner=user, today=today, limit=user.settings.daily_limit)
    contacts_with_talking_points(due.items)
    context["due"] = due
    if request.htmx:
        return render(request, "reminders/dashboard.html#due-section", context)
    for load in SECTIONS.values():
        context.update(load(user, today))
    context.update(
        has_contacts=Contact.objects.for_owner(user).exists(),
        scheduler=_scheduler_status(user) if user.is_superuser else None,
        scheduler_stale_warning=_sweep_is_late(),
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


# --- Signed links from digest emails (no login needed) ----------------------------------------


def reminder_act(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link will do; POST does it (mail scanners follow GETs, not POSTs)."""
    try:
        link = links.read_action_token(token)
    except links.LinkError as error:
        return render(request, "reminders/link_refused.html", {"reason": str(error)}, status=400)
    reminder = (
        Reminder.objects.select_related("contact", "owner")
        .filter(pk=link.reminder_id, owner_id=link.user_id)
        .first()
    )
    used = (
        reminder is None
        or reminder.version != link.version
        or reminder.state in ("done", "dismissed")
    )
    if used:
        return _link_used(request, reminder)
    context = {"reminder": reminder, "action": link.action, "label": links.ACTIONS[link.action]}
    if request.method != "POST":
        return render(request, "reminders/link_confirm.html", context)
    try:
        services.reminder_act(
            reminder=reminder, action=link.action, version=link.version, now=now()
        )
    except services.ReminderGone:
        reminder.refresh_from_db()
        return _link_used(request, reminder)
    return render(request, "reminders/link_done.html", context)


def _link_used(request: HttpRequest, reminder: Reminder | None) -> HttpResponse:
    """Says what became of the reminder (logged, done, snoozed, dismissed), not just "used"."""
    outcome = selectors.reminder_outcome(reminder=reminder) if reminder else None
    return render(request, "reminders/link_used.html", {"outcome": outcome}, status=410)


@csrf_exempt  # RFC 8058 one-click unsubscribe is a POST from the mail client, without a session.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_id = links.read_unsubscribe_token(token)
    except links.LinkError as error:
        return render(request, "reminders/link_refused.html", {"reason": str(error)}, status=400)
    user_settings = UserSettings.objects.filter(user_id=user_id).first()
    if user_settings is None:
        return render(
            request,
            "reminders/link_refused.html",
            {"reason": "This account no longer exists."},
            status=404,
        )
    if request.method == "POST":
        services.digest_unsubscribe(user_settings=user_settings)
        return render(request, "reminders/unsubscribed.html")
    return render(request, "reminders/unsubscribe_confirm.html")


# --- Calendar feed and health ---------------------------------------------------------------


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private iCal feed; the token in the URL is the only key (a wrong one is a 404)."""
    user_settings = get_object_or_404(
        UserSettings.objects.select_related("user"), calendar_token=token, user__is_active=True
    )
    body = calendar.calendar_feed(owner=user_settings.user, now=now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
@login_required
def calendar_regenerate(request: HttpRequest) -> HttpResponse:
    calendar_token_regenerate(user_settings=request.user.settings)
    messages.success(request, "New calendar address made; the old one no longer works.")
    return redirect(reverse("settings") + "#calendar")


# The sweep runs every minute or few; an hour of silence means the scheduler is not running.
SWEEP_HEALTHY_WITHIN = dt.timedelta(hours=1)


def health(request: HttpRequest) -> HttpResponse:
    """For monitoring: database, broker and sweep freshness; 503 when something is wrong."""
    report = services.health_report(now=now(), sweep_within=SWEEP_HEALTHY_WITHIN)
    return JsonResponse(report, status=200 if report["ok"] else 503)
