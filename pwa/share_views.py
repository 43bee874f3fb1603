"""/share/: the installed app's share target (the manifest's share_target, GET). What was shared
opens the Things to share form (giving), prefilled; /share/note/ keeps the older way, a note on
one person."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from pwa.share import PART_LIMIT, share_save, shared_note
from pwa.share_forms import ShareForm

SHARED_FIELDS = ("title", "text", "url")


@require_GET
@login_required
def share(request: HttpRequest) -> HttpResponse:
    shared = {name: request.GET.get(name, "")[:PART_LIMIT] for name in SHARED_FIELDS}
    return redirect(f"{reverse('things:add')}?{urlencode({**shared, 'shared': '1'})}")


@require_http_methods(["GET", "POST"])
@login_required
def share_note(request: HttpRequest) -> HttpResponse:
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
        shared = {name: request.GET.get(name, "") for name in SHARED_FIELDS}
        form = ShareForm(owner=request.user, initial={"notes": shared_note(**shared)})
    status = 400 if form.is_bound else 200
    return render(request, "pwa/share.html", {"form": form}, status=status)
