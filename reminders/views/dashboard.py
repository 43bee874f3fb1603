from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from interactions.forms import QUICK_KINDS
from network_crm.clock import local_today, now
from network_crm.http import HtmxHttpRequest
from network_crm.owner_cache import owner_cached
from network_crm.reversing import url_to
from reminders import rhythm_selectors, selectors

# The quick-log buttons of a due person: (kind, label, label in lower case), the first one shown.
QUICK_LOG_KINDS = [(kind, label, label.lower()) for kind, label in QUICK_KINDS]

# The fragments htmx refreshes one by one (?section=...), each a {% partialdef %} of the page.
SECTIONS = {
    "soon-section": selectors.dashboard_soon,
    "recent-section": selectors.dashboard_recent,
    "health-section": selectors.dashboard_health,
    "rhythm-section": rhythm_selectors.dashboard_rhythm,
}


@require_safe
@login_required
@owner_cached
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = local_today(user)
    context = {
        "today": today,
        "now": now(),
        "quick_kinds": QUICK_LOG_KINDS,
        "dashboard_url": url_to("dashboard"),
    }
    section = request.GET.get("section", "")
    if request.htmx and section in SECTIONS:
        # One fragment refreshes itself after an action (htmx event), the rest stay. Only the
        # due section shows the due list, so the other fragments don't load it.
        context.update(SECTIONS[section](owner=user, today=today))
        return render(request, f"reminders/dashboard.html#{section}", context)
    if request.htmx:  # the due section
        context.update(selectors.dashboard_due(owner=user, today=today))  # meetups replace nudges
        return render(request, "reminders/dashboard.html#due-section", context)
    context.update(selectors.dashboard_page(owner=user, today=today, now=context["now"]))
    return render(request, "reminders/dashboard.html", context)
