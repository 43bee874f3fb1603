"""Adding, editing, archiving and deleting a person, and who introduced them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contacts import services
from contacts.forms import ROW_KINDS, ContactDetailFormsets, ContactForm, IntroducerForm
from contacts.models import Contact
from network_crm.clock import local_today
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404
from network_crm.sections import sections_for
from network_crm.text import fold


def _contact_form_page(request: HtmxHttpRequest, contact: Contact | None) -> HttpResponse:
    form = ContactForm(request.POST or None, instance=contact, owner=request.user)
    formsets = ContactDetailFormsets(
        request.POST or None,
        contact=contact,
        instance=form.instance,
        more=request.GET.get("more", ""),
    )
    if request.method == "POST" and form.is_valid() and formsets.is_valid():
        saved = services.contact_save_with_details(
            contact=form.save(commit=False), formsets=formsets, today=local_today(request.user)
        )
        messages.success(request, "Saved." if contact else f"{saved.name} is in your network.")
        # Without JavaScript, "Add another…" submits the form: saved, back with empty rows.
        if (more := request.POST.get("add_row")) in ROW_KINDS:
            return redirect(f"{reverse('contacts:edit', args=[saved.pk])}?more={more}#{more}")
        return redirect(saved)
    row_url = (
        reverse("contacts:edit_row", args=[contact.pk]) if contact else reverse("contacts:new_row")
    )
    context = {"form": form, "contact": contact, "row_url": row_url, **formsets.context()}
    return render(request, "contacts/contact_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def contact_create(request: HtmxHttpRequest) -> HttpResponse:
    return _contact_form_page(request, None)


@require_http_methods(["GET", "POST"])
@login_required
def contact_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _contact_form_page(request, get_owned_or_404(Contact, request.user, pk=pk))


@require_safe
@login_required
def contact_form_row(request: HtmxHttpRequest, pk: int | None = None) -> HttpResponse:
    """One more empty row of the contact form (htmx "Add another…"), numbered after the rows the
    form has (its ``<kind>-TOTAL_FORMS``); at the limit, the limit's message instead."""
    if pk is not None:
        get_owned_or_404(Contact, request.user, pk=pk)
    kind = ROW_KINDS.get(request.GET.get("kind", ""))
    total = request.GET.get(f"{kind.prefix}-TOTAL_FORMS", "") if kind else ""
    if kind is None or not (total.isascii() and total.isdigit() and len(total) <= 6):
        return HttpResponseBadRequest("Unknown kind of row, or no row count.")
    index = min(int(total), kind.limit)
    row = kind.blank_row(index) if index < kind.limit else None
    context = {"row": row, "more": kind.adder(index + 1 if row else index), "row_url": request.path}
    return render(request, "contacts/contact_form.html#new-row", context)


# --- Archive and delete ----------------------------------------------------------------------


@require_POST
@login_required
def contact_archive(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    archive = request.POST.get("archived", "true") == "true"
    services.contacts_set_flags(owner=request.user, contact_ids=[contact.pk], archived=archive)
    if archive:
        messages.success(
            request, f"{contact.name} is archived: out of lists and reminders, not deleted."
        )
    else:
        messages.success(request, f"{contact.name} is back in your network.")
    return redirect(contact)


@require_http_methods(["GET", "POST"])
@login_required
def contact_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    if request.method == "POST":
        services.contacts_bulk_delete(owner=request.user, contact_ids=[contact.pk])
        messages.success(request, f"{contact.name} was deleted.")
        return redirect("contacts:list")
    return render(
        request,
        "contacts/contact_bulk_delete.html",
        {
            "contacts": [contact],
            "count": 1,
            "single": contact,
            "sections": sections_for(
                "contact.delete", owner=request.user, contact_ids=[contact.pk]
            ),
        },
    )


# --- Who introduced whom -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def contact_introducer(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: search the user's people to pick who introduced ``pk``; POST: set (or clear) it."""
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    if request.method == "POST":
        return _introducer_set(request, contact)
    words = fold(request.GET.get("q", "")[:100]).split()[:5]
    candidates = Contact.objects.for_owner(request.user).filter(archived=False).exclude(pk=pk)
    for word in words:
        candidates = candidates.filter(search_text__contains=word)
    return render(
        request,
        "contacts/introducer_choices.html",
        {"contact": contact, "candidates": candidates[:8] if words else []},
    )


def _introducer_set(request: HtmxHttpRequest, contact: Contact) -> HttpResponse:
    form = IntroducerForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["introduced_by"][0])
        return redirect(contact)
    introducer_id = form.cleaned_data["introduced_by"]
    introducer = (
        get_owned_or_404(Contact, request.user, pk=introducer_id) if introducer_id else None
    )
    if introducer is not None and introducer.pk == contact.pk:
        messages.error(request, "Someone can't introduce themselves.")
    else:
        # One column of one row, no side effects: no service needed.
        Contact.objects.filter(pk=contact.pk).update(introduced_by=introducer)
    return redirect(contact)
