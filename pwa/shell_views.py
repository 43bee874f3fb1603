"""The installable app's shell: the manifest, the service worker and the offline page
(docs/architecture.md, "The installable app"). All three are public: the browser fetches the
manifest without cookies, and the worker precaches the offline page for whoever signs in next."""

from __future__ import annotations

import json

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from network_crm.http import HtmxHttpRequest
from pwa import shell


@require_safe
def manifest(request: HtmxHttpRequest) -> HttpResponse:
    response = JsonResponse(shell.manifest(), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def service_worker(request: HtmxHttpRequest) -> HttpResponse:
    # The config is ours (URLs and a hash), written as a JSON literal into the script.
    config = json.dumps(shell.worker_context())
    response = render(
        request,
        shell.SW_TEMPLATE,
        {"config": config},
        content_type="text/javascript; charset=utf-8",
    )
    # The browser compares sw.js byte for byte on each navigation to find an update: never a
    # stale copy from the HTTP cache. Served from /, its scope may be the whole site.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline(request: HtmxHttpRequest) -> HttpResponse:
    # Precached once and shown to whoever uses the device next: nobody's name, menu or messages
    # (an empty list, so the install's fetch never eats a message meant for the next page).
    # No CSRF token either: rendering one re-sends the cookie the request carried, and a
    # precache that set out before a sign-in and lands after it would put back the pre-sign-in
    # cookie, so the next form's token no longer matches ("Please send that again").
    context = {"user": AnonymousUser(), "messages": [], "csrf_token": ""}
    return render(request, shell.OFFLINE_TEMPLATE, context)
