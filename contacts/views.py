from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from contacts import services
from contacts.forms import ContactForm, ContactSearchForm
from contacts.models import Contact
from interactions.forms import QuickLogForm
from network_crm.clock import local_today
from network_crm.http import redirect_back
from network_crm.owned import get_owned_or_404
from network_crm.text import fold

PAGE_SIZE = 50


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    search = ContactSearchForm(request.GET)
    contacts = (
        Contact.objects.for_owner(request.user).filter(archived=False).select_related("circle")
    )
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    if query:
        for word in fold(query).split():
            contacts = contacts.filter(search_text__contains=word)
    contacts = contacts.order_by("sort_name", "pk")
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "contacts/contact_list.html" + ("#results" if request.htmx else "")
    return render(
        request,
        template,
        {"page": page, "search": search, "query": query, "today": local_today(request.user)},
    )


@login_required
def contact_create(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        contact = services.contact_save(
            contact=form.save(commit=False), today=local_today(request.user)
        )
        messages.success(request, f"{contact.name} is in your network.")
        return redirect(contact)
    return render(request, "contacts/contact_form.html", {"form": form})


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    form = ContactForm(request.POST or None, instance=contact, owner=request.user)
    if request.method == "POST" and form.is_valid():
        services.contact_save(contact=form.save(commit=False), today=local_today(request.user))
        messages.success(request, "Saved.")
        return redirect(contact)
    return render(request, "contacts/contact_form.html", {"form": form, "contact": contact})


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact.objects.select_related("circle"), request.user, pk=pk)
    today = local_today(request.user)
    template = "contacts/contact_detail.html" + ("#activity" if request.htmx else "")
    return render(
        request,
        template,
        {
            "contact": contact,
            "today": today,
            "interactions": contact.interactions.order_by("-occurred_at", "-pk")[:20],
            "log_form": QuickLogForm(initial={"occurred_on": today}, today=today),
        },
    )


@require_POST
@login_required
def contact_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    today = local_today(request.user)
    try:
        days = min(max(int(request.POST.get("days", 7)), 1), 365)
    except ValueError:
        days = 7
    services.contact_snooze(contact=contact, until=today + dt.timedelta(days=days), today=today)
    if request.htmx:
        return trigger_client_event(HttpResponse(status=204), "contactChanged")
    messages.success(request, f"Snoozed {contact.name} for {days} days.")
    return redirect_back(request, fallback=contact.get_absolute_url())
