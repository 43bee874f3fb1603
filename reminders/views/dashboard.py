from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.context_processors import csrf
from django.views.decorators.http import require_safe

from network_crm.clock import local_today, now
from network_crm.http import HtmxHttpRequest
from network_crm.owner_cache import owner_cached
from network_crm.reversing import url_to
from reminders import rhythm_selectors, selectors
from reminders.dashboard_cards import due_cards, meetup_cards

# The page's own links, reversed once per process (network_crm/reversing.py) rather than a
# {% url %} each per request.
LINKS = {
    "create": "contacts:create",
    "people": "contacts:list",
    "activity": "interactions:list",
    "plan": "plans:add",
}

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
        "dashboard_url": url_to("dashboard"),
        "links": {key: url_to(name) for key, name in LINKS.items()},
        # The page's CSRF token (lazy, as the context processor's): the cards' forms and
        # base.html's write the same one.
        **csrf(request),
    }
    section = request.GET.get("section", "")
    if request.htmx and section in SECTIONS:
        # One fragment refreshes itself after an action (htmx event), the rest stay. Only the
        # due section shows the due list, so the other fragments don't load it.
        context.update(SECTIONS[section](owner=user, today=today))
        return render(request, f"reminders/dashboard.html#{section}", context)
    if request.htmx:  # the due section
        context.update(selectors.dashboard_due(owner=user, today=today))  # meetups replace nudges
        _write_cards(context)
        return render(request, "reminders/dashboard.html#due-section", context)
    context.update(selectors.dashboard_page(owner=user, today=today, now=context["now"]))
    _write_cards(context)
    return render(request, "reminders/dashboard.html", context)


def _write_cards(context: dict) -> None:
    """The due section's cards, written in Python (reminders/dashboard_cards.py)."""
    token, next_url = context["csrf_token"], context["dashboard_url"]
    context["due_cards"] = due_cards(context["due"].items, csrf_token=token, next_url=next_url)
    context["meetup_cards"] = meetup_cards(
        context["meetups"],
        paths=context.get("meetup_paths", {}),
        csrf_token=token,
        next_url=next_url,
    )
