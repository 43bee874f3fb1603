"""The contact list: filters, search, paging, bulk edits and their undo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from contacts import selectors, services
from contacts.forms import (
    BulkEditForm,
    ContactListFiltersForm,
)
from contacts.models import (
    BulkChange,
    Contact,
)
from contacts.views.portability import _export_response
from network_crm.clock import local_today, now
from network_crm.http import redirect_back
from network_crm.owned import get_owned_or_404
from network_crm.sections import sections_for

PAGE_SIZE = 50


def _undoable_change(user) -> BulkChange | None:
    """Only the most recent bulk change can be undone, and only once."""
    latest = BulkChange.objects.filter(owner=user).first()
    return latest if latest is not None and latest.undone_at is None else None


def _list_context(request: HttpRequest) -> dict:
    filters_form = ContactListFiltersForm(request.GET or None, owner=request.user)
    filters = filters_form.filters()
    today = local_today(request.user)
    contacts = selectors.contacts_search(owner=request.user, filters=filters, today=today)
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "page": page,
        "filters_form": filters_form,
        "filters": filters,
        "query": filters.query,
        "querystring": params.urlencode(),
        "today": today,
        "bulk_form": BulkEditForm(owner=request.user),
        "last_change": _undoable_change(request.user),
    }


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    template = "contacts/contact_list.html" + ("#results" if request.htmx else "")
    return render(request, template, _list_context(request))


def _bulk_targets(request: HttpRequest, form: BulkEditForm) -> list[int]:
    """The ticked rows, or every contact matching the filters the list was showing."""
    if form.cleaned_data.get("all_matching"):
        filters = ContactListFiltersForm(request.POST, owner=request.user).filters()
        matching = selectors.contacts_search(
            owner=request.user, filters=filters, today=local_today(request.user)
        )
        return list(matching.values_list("pk", flat=True))
    return [contact.pk for contact in form.cleaned_data["ids"]]


@require_POST
@login_required
def contact_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkEditForm(request.POST, owner=request.user)
    back = reverse("contacts:list") + "?" + request.POST.get("querystring", "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(back)
    ids = _bulk_targets(request, form)
    action = form.cleaned_data["action"]
    if action.startswith("export_"):
        selected = Contact.objects.filter(owner=request.user, pk__in=ids)
        export_format = action.removeprefix("export_")
        return _export_response(selected, export_format, "network-crm-selection")
    if action == "delete":
        if request.POST.get("confirmed") != "yes":
            return render(
                request,
                "contacts/contact_bulk_delete.html",
                {
                    # "All matching" is confirmed by its filters, not thousands of ids (Django
                    # refuses a form with more than 1000 fields).
                    "ids": [] if form.cleaned_data.get("all_matching") else ids,
                    "all_matching": form.cleaned_data.get("all_matching"),
                    "filter_fields": [
                        (key, request.POST[key])
                        for key in ("q", "circle", "interest", "status", "sort")
                        if request.POST.get(key)
                    ],
                    "contacts": Contact.objects.filter(owner=request.user, pk__in=ids)[:10],
                    "count": len(ids),
                    "querystring": request.POST.get("querystring", ""),
                    "sections": sections_for("contact.delete", owner=request.user, contact_ids=ids),
                },
            )
        deleted = services.contacts_bulk_delete(owner=request.user, contact_ids=ids)
        messages.success(request, f"Deleted {deleted} {'person' if deleted == 1 else 'people'}.")
        return HttpResponseRedirect(back)
    try:
        change = services.contacts_bulk_edit(
            owner=request.user, contact_ids=ids, action=action, value=form.value()
        )
    except services.InterestLimitReached as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(back)
    messages.success(request, change.description + ".")
    return HttpResponseRedirect(back)


@require_POST
@login_required
def contact_bulk_undo(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_owned_or_404(BulkChange, request.user, pk=pk)
    if change != _undoable_change(request.user):
        messages.error(request, "Only the most recent bulk change can be undone.")
    else:
        services.contacts_bulk_undo(change=change, now=now())
        messages.success(request, f"Undone: {change.description}.")
    return redirect_back(request, fallback=reverse("contacts:list"))
