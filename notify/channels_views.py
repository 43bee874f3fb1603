"""Settings → Channels: add, change, switch on/off, test and remove Apprise targets.

Every write goes through notify/services/channels.py; the URL is never shown back (only its
hint), so editing leaves it blank to keep it (docs/architecture.md "Notifications")."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from network_crm.announce import announce
from network_crm.clock import user_zone
from network_crm.http import HtmxHttpRequest, redirect_back
from network_crm.owned import get_owned_or_404
from notify.channels_forms import ChannelEditForm, ChannelForm
from notify.models import Channel
from notify.services import channels as services

LIST = "notify_channels:list"


def _list_context(request: HtmxHttpRequest, **context) -> dict:
    context.setdefault("form", ChannelForm())
    channels = Channel.objects.filter(owner=request.user)
    # Times in the owner's zone: requests run in UTC (network_crm/clock.py).
    zone = user_zone(request.user)
    return {"channels": channels, "schemes": settings.NOTIFY_SCHEMES, "zone": zone, **context}


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def channel_list(request: HtmxHttpRequest) -> HttpResponse:
    """The channels; its POST adds one."""
    if request.method == "GET":
        return render(request, "notify/channels/channels.html", _list_context(request))
    form = ChannelForm(request.POST)
    if form.is_valid():
        try:
            channel = services.channel_create(owner=request.user, **form.cleaned_data)
        except services.ChannelUrlError as exc:
            form.add_error("url", str(exc))
        else:
            text = f"“{channel}” added. Send a test to check that it arrives."
            return announce(request, text, fallback=reverse(LIST) + f"#channel-{channel.pk}")
    context = _list_context(request, form=form)
    return render(request, "notify/channels/channels.html", context, status=400)


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def channel_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A channel's name, switch and (optionally) a new URL."""
    channel = get_owned_or_404(Channel, request.user, pk=pk)
    if request.method == "GET":
        context = {"channel": channel, "form": ChannelEditForm.for_channel(channel)}
        return render(request, "notify/channels/channel_edit.html", context)
    form = ChannelEditForm(request.POST)
    if form.is_valid():
        try:
            services.channel_update(channel=channel, **form.cleaned_data)
        except services.ChannelUrlError as exc:
            form.add_error("url", str(exc))
        else:
            return announce(request, f"“{channel}” saved.", fallback=reverse(LIST))
    context = {"channel": channel, "form": form}
    return render(request, "notify/channels/channel_edit.html", context, status=400)


@require_POST
@login_required
def channel_test(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Send a test message now, in the request, and say how it went."""
    channel = get_owned_or_404(Channel, request.user, pk=pk)
    error = services.channel_test(channel=channel, now=timezone.now())
    fallback = reverse(LIST) + f"#channel-{channel.pk}"
    if error is None:
        return announce(
            request, f"Test sent to “{channel}”. Check that it arrived.", fallback=fallback
        )
    text = f"The test to “{channel}” failed: {error}"
    if request.htmx:
        return announce(request, text, fallback=fallback)
    messages.error(request, text)
    return redirect_back(request, fallback=fallback)


@require_POST
@login_required
def channel_switch(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Switch the daily digest to this channel on or off (``enabled`` = "1" or "0")."""
    channel = get_owned_or_404(Channel, request.user, pk=pk)
    enabled = request.POST.get("enabled") == "1"
    services.channel_enable(channel=channel, enabled=enabled)
    state = "now gets the daily digest" if enabled else "is paused: no digest goes there"
    return announce(request, f"“{channel}” {state}.", fallback=reverse(LIST) + f"#channel-{pk}")


@require_http_methods(["GET", "POST"])
@login_required
def channel_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Confirm, then remove the channel (and its waiting deliveries)."""
    channel = get_owned_or_404(Channel, request.user, pk=pk)
    if request.method == "GET":
        return render(request, "notify/channels/channel_delete.html", {"channel": channel})
    services.channel_delete(channel=channel)
    return announce(
        request, f"“{channel}” removed: nothing more goes there.", fallback=reverse(LIST)
    )
