"""A person's page and the actions on it (snooze, "we're fine")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from contacts import selectors, services
from contacts.forms import SnoozeForm
from contacts.models import (
    Contact,
)
from network_crm.announce import Undo, announce
from network_crm.clock import local_today
from network_crm.http import HtmxHttpRequest, messages_from_errors, redirect_back
from network_crm.owned import get_owned_or_404
from network_crm.owner_cache import owner_cached
from network_crm.sections import sections_for


@require_safe
@login_required
@owner_cached
def contact_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact.objects.select_related("circle"), request.user, pk=pk)
    today = local_today(request.user)
    # The log, the quick-log form and open reminders are the apps above's sections.
    sections = {"request": request, "contact": contact, "today": today}
    context = {
        "contact": contact,
        "today": today,
        "links": selectors.contact_links(contact),
        "activity_sections": sections_for("contact.activity", **sections),
    }
    if request.htmx:  # the "Staying in touch" card alone
        return render(request, "contacts/contact_detail.html#activity", context)
    context.update(
        aside_sections=sections_for("contact.aside", **sections),
        main_sections=sections_for("contact.main", **sections),
        **selectors.contact_page_details(contact=contact, today=today),
    )
    return render(request, "contacts/contact_detail.html", context)


@require_POST
@login_required
def contact_snooze(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    form = SnoozeForm(request.POST, today=local_today(request.user))
    if not form.is_valid():
        messages_from_errors(request, form)
        return redirect_back(request, fallback=contact.get_absolute_url())
    undo = services.contact_snooze_undoable(contact=contact, until=form.until, today=form.today)
    return _announce_undoable(
        request, contact, f"Snoozed {contact.name} for {form.days} days.", undo
    )


@require_POST
@login_required
def contact_fine(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """ "We're fine": restart their rhythm from today without logging anything."""
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    undo = services.contact_mark_fine_undoable(contact=contact, today=local_today(request.user))
    text = f"Noted: you and {contact.name} are fine. Their rhythm starts again today."
    return _announce_undoable(request, contact, text, undo)


def _announce_undoable(
    request: HtmxHttpRequest, contact: Contact, text: str, undo: services.ContactUndo
) -> HttpResponse:
    undo_form = Undo(reverse("contacts:undo", args=[contact.pk]), {"token": undo.token()})
    fallback = contact.get_absolute_url()
    return announce(request, text, fallback=fallback, undo=undo_form, event="contactChanged")


@require_POST
@login_required
def contact_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Undo a snooze or a "we're fine" (the signed token says which, and what to put back)."""
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    try:
        undo = services.ContactUndo.from_token(request.POST.get("token", ""), contact_id=pk)
        services.contact_undo(contact=contact, undo=undo, today=local_today(request.user))
    except services.UndoStale:
        raise Http404("Nothing to undo.") from None
    what = "snooze" if undo.action == "snooze" else "“we're fine”"
    text = f"Undone: {contact.name}'s {what}. Their due date is as it was."
    return announce(request, text, fallback=contact.get_absolute_url(), event="contactChanged")
