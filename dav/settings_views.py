"""Settings → "Sync with your phone": the addresses, devices (app passwords) and sync settings.

A new app password is shown once: the view that makes it keeps it in the session only until the
next page shows it (like the recovery codes, accounts/views.py). That page's profile download
posts the password back (it is on the page already), so the server never keeps it in clear."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import services as account_services
from accounts.models import AppPassword
from dav import settings_services as services
from dav.forms import DavSettingsForm, DeviceForm
from network_crm.announce import announce
from network_crm.clock import now
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404

NEW_APP_PASSWORD = "dav_new_app_password"  # session key: (app password id, clear text)


def _page_context(request: HtmxHttpRequest, **context) -> dict:
    owner = request.user
    context.setdefault("device_form", DeviceForm())
    context.setdefault(
        "settings_form",
        DavSettingsForm(instance=services.dav_settings_for(owner=owner), owner=owner),
    )
    return {
        "server": services.dav_server(),
        "devices": account_services.app_passwords_live(owner=owner),
        **context,
    }


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def sync_settings(request: HtmxHttpRequest) -> HttpResponse:
    """The page; its POST saves the sync settings."""
    if request.method == "GET":
        return render(request, "dav/sync_settings.html", _page_context(request))
    dav_settings = services.dav_settings_for(owner=request.user)
    form = DavSettingsForm(request.POST, instance=dav_settings, owner=request.user)
    if not form.is_valid():
        context = _page_context(request, settings_form=form)
        return render(request, "dav/sync_settings.html", context, status=400)
    services.dav_settings_update(
        dav_settings=form.save(commit=False), circles=form.cleaned_data["circles"]
    )
    fallback = reverse("dav_settings:page") + "#sync-settings"
    return announce(
        request, "Sync settings saved; phones pick them up on their next sync.", fallback=fallback
    )


@require_POST
@login_required
def device_add(request: HtmxHttpRequest) -> HttpResponse:
    form = DeviceForm(request.POST)
    if not form.is_valid():
        context = _page_context(request, device_form=form)
        return render(request, "dav/sync_settings.html", context, status=400)
    app_password, secret = account_services.app_password_create(
        owner=request.user, name=form.cleaned_data["name"]
    )
    request.session[NEW_APP_PASSWORD] = [app_password.pk, secret]
    return redirect("dav_settings:device_new", app_password.pk)


@require_safe
@never_cache
@login_required
def device_new(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The new password, its QR code and profile: shown once, then only in the device list."""
    app_password = get_owned_or_404(AppPassword, request.user, pk=pk, revoked_at=None)
    stored = request.session.get(NEW_APP_PASSWORD)
    if not stored or stored[0] != app_password.pk:
        messages.info(request, "An app password is shown only once. Add a device to get a new one.")
        return redirect("dav_settings:page")
    del request.session[NEW_APP_PASSWORD]
    secret = stored[1]
    davx5 = services.davx5_url(owner=request.user, password=secret)
    context = _page_context(
        request,
        app_password=app_password,
        secret=secret,
        qr_code=services.qr_code_svg(davx5),
    )
    return render(request, "dav/device_new.html", context)


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password")
@never_cache
@login_required
def device_profile(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The Apple configuration profile. With the password (posted by the page shown right after
    the device was added, and checked against its hash) it is inside; otherwise iOS asks."""
    app_password = get_owned_or_404(AppPassword, request.user, pk=pk, revoked_at=None)
    password = request.POST.get("password", "")
    if password and not account_services.app_password_matches(
        app_password=app_password, password=password
    ):
        raise Http404
    body = services.mobileconfig(app_password=app_password, password=password)
    response = HttpResponse(body, content_type=services.PROFILE_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="network-crm.mobileconfig"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def device_revoke(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Confirm, then revoke: the device's next sync is refused."""
    app_password = get_owned_or_404(AppPassword, request.user, pk=pk, revoked_at=None)
    if request.method == "GET":
        return render(request, "dav/device_revoke.html", {"app_password": app_password})
    account_services.app_password_revoke(app_password=app_password, now=now())
    text = f"“{app_password.name}” can no longer sync. Its copy of your people stays on it."
    return announce(request, text, fallback=reverse("dav_settings:page") + "#devices")
