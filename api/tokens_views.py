"""Settings → API tokens: make a token (shown once), list them, revoke one.

Like the phones' app passwords (dav/settings_views.py), a new token's text is kept in the session
only until the next page shows it: the database has its hash alone (api/services/tokens.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from api.models import ApiToken
from api.services import tokens as services
from api.tokens_forms import TokenForm
from network_crm.announce import announce
from network_crm.clock import now
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404

NEW_TOKEN = "api_new_token"  # session key: (token id, clear text)


def _page(request: HtmxHttpRequest, form: TokenForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "tokens": services.api_tokens_listed(owner=request.user),
        "now": now(),
    }
    return render(request, "api/tokens.html", context, status=status)


@require_safe
@never_cache
@login_required
def tokens_page(request: HtmxHttpRequest) -> HttpResponse:
    return _page(request, TokenForm())


@require_POST
@login_required
def token_add(request: HtmxHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    token, text = services.api_token_create(
        owner=request.user,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        expires_at=services.api_token_expiry(days=form.cleaned_data["expires_days"], now=now()),
    )
    request.session[NEW_TOKEN] = [token.pk, text]
    return redirect("api_tokens:token_new", token.pk)


@require_safe
@never_cache
@login_required
def token_new(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The new token's text: shown once, then only its prefix in the list."""
    token = get_owned_or_404(ApiToken, request.user, pk=pk, revoked_at=None)
    stored = request.session.get(NEW_TOKEN)
    if not stored or stored[0] != token.pk:
        messages.info(request, "A token is shown only once. Make a new one if you lost it.")
        return redirect("api_tokens:page")
    del request.session[NEW_TOKEN]
    context = {"token": token, "text": stored[1], "api_url": request.build_absolute_uri("/api/v1/")}
    return render(request, "api/token_new.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def token_revoke(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Confirm, then revoke: the token's next request is refused (401)."""
    token = get_owned_or_404(ApiToken, request.user, pk=pk, revoked_at=None)
    if request.method == "GET":
        return render(request, "api/token_revoke.html", {"token": token})
    services.api_token_revoke(token=token, now=now())
    text = f"“{token.name}” is revoked: whatever used it can no longer reach your data."
    return announce(request, text, fallback=reverse("api_tokens:page") + "#tokens")
