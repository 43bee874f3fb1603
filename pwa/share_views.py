"""/share/: the installed app's share target (the manifest's share_target, GET)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pwa.share import share_save, shared_note
from pwa.share_forms import ShareForm


@require_http_methods(["GET", "POST"])
@login_required
def share(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ShareForm(request.POST, owner=request.user)
        if form.is_valid():
            contact = form.cleaned_data["contact"]
            share_save(
                owner=request.user,
                contact=contact,
                kind=form.cleaned_data["kind"],
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, f"Saved on {contact.name}'s page.")
            return redirect(contact.get_absolute_url())
    else:
        shared = {name: request.GET.get(name, "") for name in ("title", "text", "url")}
        form = ShareForm(owner=request.user, initial={"notes": shared_note(**shared)})
    status = 400 if form.is_bound else 200
    return render(request, "pwa/share.html", {"form": form}, status=status)
