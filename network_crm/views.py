"""The kit's own pages: /health/ for monitoring, and the page a refused form (CSRF) shows."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from network_crm.clock import now
from network_crm.health import health_report
from network_crm.http import HtmxHttpRequest


@require_safe
def health(request: HtmxHttpRequest) -> HttpResponse:
    """Database, broker and periodic jobs (the sweep); 503 when something is wrong."""
    report = health_report(now=now())
    return JsonResponse(report, status=200 if report["ok"] else 503)


def csrf_failure(request: HtmxHttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form refused by the CSRF check, explained in the app's look (most
    often a page left open too long, or a sign-in or sign-out in another tab), with a way back to
    the page it came from when that page is one of ours."""
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    context = {"reason": reason if settings.DEBUG else "", "back": referer if safe else ""}
    return render(request, "403_csrf.html", context, status=403)
