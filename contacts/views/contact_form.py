"""Adding, editing, archiving and deleting a person, and who introduced them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from contacts import services
from contacts.forms import ContactDetailFormsets, ContactForm, IntroducerForm
from contacts.models import Contact
from network_crm.clock import local_today
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404
from network_crm.sections import sections_for
from network_crm.text import fold


def _contact_form_page(request: HtmxHttpRequest, contact: Contact | None) -> HttpResponse:
    form = ContactForm(request.POST or None, instance=contact, owner=request.user)
    formsets = ContactDetailFormsets(request.POST or None, contact=contact, instance=form.instance)
    if request.method == "POST" and form.is_valid() and formsets.is_valid():
        saved = services.contact_save_with_details(
            contact=form.save(commit=False), formsets=formsets, today=local_today(request.user)
        )
        messages.success(request, "Saved." if contact else f"{saved.name} is in your network.")
        return redirect(saved)
    context = {"form": form, "contact": contact, **formsets.context()}
    return render(request, "contacts/contact_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def contact_create(request: HtmxHttpRequest) -> HttpResponse:
    return _contact_form_page(request, None)


@require_http_methods(["GET", "POST"])
@login_required
def contact_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _contact_form_page(request, get_owned_or_404(Contact, request.user, pk=pk))


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
