"""Adding, editing, archiving and deleting a person, and who introduced them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contacts import selectors, services
from contacts.forms import (
    ContactForm,
    ContactMethodFormSet,
    ImportantDateFormSet,
)
from contacts.limits import MAX_DATES_PER_CONTACT, MAX_METHODS_PER_CONTACT
from contacts.models import (
    Contact,
    ContactMethod,
    ImportantDate,
)
from network_crm.clock import local_today
from network_crm.owned import get_owned_or_404
from network_crm.sections import sections_for
from network_crm.text import fold


def _first_rows(model, contact: Contact | None, limit: int) -> tuple[QuerySet, int]:
    """The contact's first ``limit`` rows of ``model`` for a formset, and how many there are: a
    contact stored before the limits existed may have thousands, and the page stays small (the
    rows not shown are kept as they are)."""
    if contact is None:
        return model.objects.none(), 0
    shown = selectors.first_of(model.objects.filter(contact=contact).values("pk"), limit=limit)
    return model.objects.filter(pk__in=[row["pk"] for row in shown.items]), shown.total


def _contact_form_page(request: HttpRequest, contact: Contact | None) -> HttpResponse:
    form = ContactForm(request.POST or None, instance=contact, owner=request.user)
    methods, method_count = _first_rows(ContactMethod, contact, MAX_METHODS_PER_CONTACT)
    dates, date_count = _first_rows(ImportantDate, contact, MAX_DATES_PER_CONTACT)
    formsets = [
        ContactMethodFormSet(
            request.POST or None, instance=form.instance, prefix="methods", queryset=methods
        ),
        ImportantDateFormSet(
            request.POST or None, instance=form.instance, prefix="dates", queryset=dates
        ),
    ]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets):
        saved = services.contact_save_with_details(
            contact=form.save(commit=False), formsets=formsets, today=local_today(request.user)
        )
        messages.success(request, "Saved." if contact else f"{saved.name} is in your network.")
        return redirect(saved)
    return render(
        request,
        "contacts/contact_form.html",
        {
            "form": form,
            "contact": contact,
            "methods": formsets[0],
            "dates": formsets[1],
            "methods_not_shown": max(method_count - MAX_METHODS_PER_CONTACT, 0),
            "dates_not_shown": max(date_count - MAX_DATES_PER_CONTACT, 0),
        },
    )


@login_required
def contact_create(request: HttpRequest) -> HttpResponse:
    return _contact_form_page(request, None)


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _contact_form_page(request, get_owned_or_404(Contact, request.user, pk=pk))


# --- Archive and delete ----------------------------------------------------------------------


@require_POST
@login_required
def contact_archive(request: HttpRequest, pk: int) -> HttpResponse:
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


@login_required
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
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


# --- Interests -------------------------------------------------------------------------------


# --- Who introduced whom -----------------------------------------------------------------


@login_required
def contact_introducer(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: search the user's people to pick who introduced ``pk``; POST: set (or clear) it."""
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    if request.method == "POST":
        introducer_id = request.POST.get("introduced_by", "").strip()
        if introducer_id and not (introducer_id.isascii() and introducer_id.isdigit()):
            messages.error(request, "Choose who introduced them from the list.")
            return redirect(contact)
        introducer = (
            get_owned_or_404(Contact, request.user, pk=introducer_id) if introducer_id else None
        )
        if introducer is not None and introducer.pk == contact.pk:
            messages.error(request, "Someone can't introduce themselves.")
        else:
            Contact.objects.filter(pk=contact.pk).update(introduced_by=introducer)
        return redirect(contact)
    words = fold(request.GET.get("q", "")[:100]).split()[:5]
    candidates = Contact.objects.for_owner(request.user).filter(archived=False).exclude(pk=pk)
    for word in words:
        candidates = candidates.filter(search_text__contains=word)
    return render(
        request,
        "contacts/introducer_choices.html",
        {"contact": contact, "candidates": candidates[:8] if words else []},
    )


# --- Circles -------------------------------------------------------------------------------
