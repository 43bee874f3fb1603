"""Settings → "Notifications on this device": the page, the JSON endpoints static/js/push.js
posts to (CSRF-checked like any form: the token travels in X-CSRFToken), and each device's
"Send a test" and "Remove". Logic lives in notify/services/push_subscriptions.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget, trigger_client_event

from network_crm.announce import announce
from network_crm.clock import now
from network_crm.http import HtmxHttpRequest, redirect_back
from network_crm.owned import get_owned_or_404
from notify.models import PushSubscription
from notify.push_forms import PushSubscriptionForm
from notify.push_sections import push_context
from notify.services import push_subscriptions as services

EVENT = "pushDevicesChanged"


@require_safe
@never_cache
@login_required
def push_page(request: HtmxHttpRequest) -> HttpResponse:
    """This device's switch and the list of devices (alone as ``#push-devices`` for htmx)."""
    template = "notify/push/push_settings.html" + ("#push-devices" if request.htmx else "")
    return render(request, template, push_context(request=request))


@require_POST
@login_required
def push_subscribe(request: HtmxHttpRequest) -> JsonResponse:
    form = PushSubscriptionForm.from_body(request.body)
    if not form.is_valid():
        return JsonResponse({"error": form.first_error()}, status=400)
    try:
        result = services.push_subscribe(
            owner=request.user,
            user_agent=request.headers.get("User-Agent", ""),
            **form.cleaned_data,
        )
    except services.SubscriptionRefused as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    label = result.subscription.label
    message = f"Notifications are on for this device ({label})."
    body = {"id": result.subscription.pk, "label": label, "message": message, **_count(request)}
    return JsonResponse(body, status=201 if result.created else 200)


@require_POST
@login_required
def push_unsubscribe(request: HtmxHttpRequest) -> JsonResponse:
    form = PushSubscriptionForm.from_body(request.body)
    form.is_valid()
    endpoint = form.cleaned_data.get("endpoint", "")
    removed = services.push_unsubscribe(owner=request.user, endpoint=endpoint)
    message = "Notifications are off for this device."
    return JsonResponse({"removed": removed, "message": message, **_count(request)})


def _count(request: HtmxHttpRequest) -> dict:
    """The settings section's "N devices get notifications", for push.js to update in place."""
    count = PushSubscription.objects.filter(owner=request.user).count()
    text = render_to_string("notify/push/_device_count.txt", {"count": count}).strip()
    return {"device_count": count, "device_count_text": text}


def _tell_failure(request: HtmxHttpRequest, text: str) -> HttpResponse:
    fallback = reverse("notify_push:page") + "#push-devices"
    if not request.htmx:
        messages.error(request, text)
        return redirect_back(request, fallback=fallback)
    html = render_to_string("notify/push/_failure.html", {"text": text}, request=request)
    response = reswap(retarget(HttpResponse(html), "#announce"), "innerHTML")
    return trigger_client_event(response, EVENT)


@require_POST
@login_required
def push_device_test(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Send a test push now and say how it went."""
    subscription = get_owned_or_404(PushSubscription, request.user, pk=pk)
    url = request.build_absolute_uri(reverse("notify_push:page"))
    outcome = services.push_test(subscription=subscription, url=url, now=now())
    if not outcome.sent:
        return _tell_failure(request, outcome.message)
    fallback = reverse("notify_push:page") + "#push-devices"
    return announce(request, outcome.message, fallback=fallback, event=EVENT)


@require_http_methods(["GET", "POST"])
@login_required
def push_device_remove(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Confirm, then stop sending to that device."""
    subscription = get_owned_or_404(PushSubscription, request.user, pk=pk)
    if request.method == "GET":
        return render(request, "notify/push/device_remove.html", {"device": subscription})
    services.push_subscription_delete(subscription=subscription)
    text = f"“{subscription}” removed: it gets no more notifications from here."
    fallback = reverse("notify_push:page") + "#push-devices"
    return announce(request, text, fallback=fallback, event=EVENT)
