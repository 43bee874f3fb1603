"""Settings → Webhooks: register, change, delete, see the secret and the last deliveries.

Every write goes through api/services/webhooks.py, the same services the API's views call."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api.models import Webhook
from api.services import webhooks as services
from api.webhooks_forms import WebhookForm
from network_crm.announce import announce
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404

RECENT_DELIVERIES = 50


def _list_context(request: HtmxHttpRequest, **context) -> dict:
    context.setdefault("form", WebhookForm())
    return {"webhooks": Webhook.objects.filter(owner=request.user), **context}


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def webhook_list(request: HtmxHttpRequest) -> HttpResponse:
    """The webhooks; its POST registers one and opens its page (with the secret)."""
    if request.method == "GET":
        return render(request, "api/webhooks.html", _list_context(request))
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            webhook = services.webhook_create(owner=request.user, **form.cleaned_data)
        except services.WebhookUrlError as exc:
            form.add_error("url", str(exc))
        else:
            return redirect("api_webhooks:detail", webhook.pk)
    return render(request, "api/webhooks.html", _list_context(request, form=form), status=400)


def _detail_context(webhook: Webhook, **context) -> dict:
    context.setdefault("form", WebhookForm.for_webhook(webhook))
    deliveries = services.webhook_deliveries(webhook=webhook)[:RECENT_DELIVERIES]
    return {"webhook": webhook, "deliveries": deliveries, **context}


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def webhook_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A webhook's settings, secret and last deliveries; its POST saves the settings."""
    webhook = get_owned_or_404(Webhook, request.user, pk=pk)
    if request.method == "GET":
        return render(request, "api/webhook_detail.html", _detail_context(webhook))
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            services.webhook_update(webhook=webhook, **form.cleaned_data)
        except services.WebhookUrlError as exc:
            form.add_error("url", str(exc))
        else:
            fallback = reverse("api_webhooks:detail", args=[webhook.pk])
            return announce(request, "Webhook saved.", fallback=fallback)
    webhook.refresh_from_db()
    context = _detail_context(webhook, form=form)
    return render(request, "api/webhook_detail.html", context, status=400)


@require_POST
@login_required
def webhook_rotate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    webhook = get_owned_or_404(Webhook, request.user, pk=pk)
    services.webhook_secret_rotate(webhook=webhook)
    fallback = reverse("api_webhooks:detail", args=[webhook.pk]) + "#secret"
    return announce(
        request,
        "New secret made: the old one no longer signs. Update your receiver.",
        fallback=fallback,
    )


@require_http_methods(["GET", "POST"])
@login_required
def webhook_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete the webhook and its deliveries."""
    webhook = get_owned_or_404(Webhook, request.user, pk=pk)
    if request.method == "GET":
        return render(request, "api/webhook_delete.html", {"webhook": webhook})
    services.webhook_delete(webhook=webhook)
    return announce(
        request,
        f"“{webhook}” deleted: no more events go there.",
        fallback=reverse("api_webhooks:list"),
    )
