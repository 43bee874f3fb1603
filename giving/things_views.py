"""Things to share: the list, saving a thing, its page (who would enjoy it), sharing it, and what
a person sent you (docs/architecture.md, "Give first")."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contacts.models import Contact
from contacts.services import InterestLimitReached
from giving import things, things_selectors
from giving.models import Share, ShareItem
from giving.things_forms import ReceivedForm, ThingForm
from network_crm.announce import Undo, announce
from network_crm.clock import local_today, now
from network_crm.http import HtmxHttpRequest, messages_from_errors, redirect_back
from network_crm.owned import get_owned_or_404

PAGE_SIZE = 30


@require_safe
@login_required
def thing_list(request: HtmxHttpRequest) -> HttpResponse:
    items = Paginator(things_selectors.items_for_list(owner=request.user), PAGE_SIZE)
    context = {
        "page": items.get_page(request.GET.get("page")),
        "bookmarklet_target": request.build_absolute_uri(reverse("things:add")),
    }
    return render(request, "giving/things/list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def thing_add(request: HtmxHttpRequest) -> HttpResponse:
    form = ThingForm(request.POST) if request.method == "POST" else ThingForm.prefilled(request.GET)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            item = things.share_item_create(
                owner=request.user,
                kind=data["kind"],
                url=data["url"],
                title=data["title"],
                note=data["note"],
                topic_names=data["topics"],
            )
        except InterestLimitReached as error:
            form.add_error("topics", str(error))
        else:
            messages.success(request, "Saved. Here is who might enjoy it.")
            return redirect("things:detail", pk=item.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "note_instead": _note_instead(request)}
    return render(request, "giving/things/add.html", context, status=status)


def _note_instead(request: HtmxHttpRequest) -> str:
    """From the installed app's share target: the older "note on a person" form, same content."""
    if request.method != "GET" or not request.GET.get("shared"):
        return ""
    shared = {name: request.GET.get(name, "")[:4000] for name in ("title", "text", "url")}
    return f"{reverse('share:note')}?{urlencode(shared)}"


@require_safe
@login_required
def thing_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    item = get_owned_or_404(ShareItem.objects.prefetch_related("topics"), request.user, pk=pk)
    part = request.GET.get("part") if request.htmx else None
    today = local_today(request.user)
    context = {"item": item, "today": today}
    template = "giving/things/detail.html"
    if part == "head" and item.fetch_state == ShareItem.Fetch.PENDING:
        return render(request, template + "#head", context)
    context |= {
        "suggestions": things_selectors.suggestions_for_item(item=item, today=today),
        "shares": things_selectors.shares_of_item(item=item),
    }
    if part == "head":
        # The last poll: the suggestions' ready messages now name the title read. They come in
        # the same response, swapped out of band, so the title and the messages naming it appear
        # together and no later request can close a share panel the user has just opened.
        head = render_to_string(template + "#head", context, request)
        people = render_to_string(template + "#people", context | {"out_of_band": True}, request)
        return HttpResponse(head + people)
    if part == "people":
        template += "#people"
    return render(request, template, context)


@require_POST
@login_required
def thing_share(request: HtmxHttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    item = get_owned_or_404(ShareItem, request.user, pk=pk)
    contact = get_owned_or_404(Contact, request.user, pk=contact_pk)
    share = things.share_give(
        item=item, contact=contact, now=now(), today=local_today(request.user)
    )
    text = f"Logged: you shared “{share.title}” with {contact.name}."
    undo = Undo(reverse("things:share_undo", args=[share.pk]))
    fallback = reverse("things:detail", args=[item.pk])
    return announce(request, text, fallback=fallback, undo=undo, event="shareChanged")


@require_POST
@login_required
def share_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    share = get_owned_or_404(Share.objects.select_related("interaction"), request.user, pk=pk)
    fallback = (
        reverse("things:detail", args=[share.item_id])
        if share.item_id
        else share.contact.get_absolute_url()
    )
    things.share_undo(share=share, today=local_today(request.user))
    text = "Undone: the share and its interaction are gone."
    return announce(request, text, fallback=fallback, event="shareChanged")


@require_POST
@login_required
def thing_received(request: HtmxHttpRequest, contact_pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_pk)
    form = ReceivedForm(request.POST)
    if not form.is_valid():
        messages_from_errors(request, form)
        return redirect_back(request, fallback=contact.get_absolute_url())
    share = things.share_receive(
        owner=request.user,
        contact=contact,
        now=now(),
        today=local_today(request.user),
        **form.cleaned_data,
    )
    text = f"Noted: {contact.name} sent you “{share.title}”."
    undo = Undo(reverse("things:share_undo", args=[share.pk]))
    fallback = contact.get_absolute_url()
    return announce(request, text, fallback=fallback, undo=undo, event="contactChanged")


@require_POST
@login_required
def thing_archive(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    item = get_owned_or_404(ShareItem, request.user, pk=pk)
    archived = request.POST.get("archived") != "false"
    things.share_item_archive(item=item, archived=archived)
    if archived:
        messages.success(request, f"Archived “{item}”: it no longer shows or gets suggested.")
        return redirect("things:list")
    return redirect("things:detail", pk=item.pk)
