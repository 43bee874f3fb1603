"""The kit's own page: /health/ for monitoring."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from network_crm.clock import now
from network_crm.health import health_report
from network_crm.http import HtmxHttpRequest


@require_safe
def health(request: HtmxHttpRequest) -> HttpResponse:
    """Database, broker and periodic jobs (the sweep); 503 when something is wrong."""
    report = health_report(now=now())
    return JsonResponse(report, status=200 if report["ok"] else 503)
