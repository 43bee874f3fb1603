"""The contact list: filters, search, paging, bulk edits and their undo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from contacts import selectors, services
from contacts.forms import BulkEditForm, ContactListFiltersForm, share_circle_choices
from contacts.list_rows import contact_list_links, contact_list_rows
from contacts.models import BulkChange, Contact
from network_crm.clock import local_today, now
from network_crm.http import HtmxHttpRequest, messages_from_errors, redirect_back
from network_crm.owned import get_owned_or_404
from network_crm.owner_cache import owner_cached
from network_crm.sections import sections_for
from network_crm.text import people

PAGE_SIZE = 50


def _undoable_change(user) -> BulkChange | None:
    """Only the most recent bulk change can be undone, and only once."""
    latest = BulkChange.objects.filter(owner=user).first()
    return latest if latest is not None and latest.undone_at is None else None


@require_safe
@login_required
@owner_cached
def contact_list(request: HtmxHttpRequest) -> HttpResponse:
    filters_form = ContactListFiltersForm(request.GET or None, owner=request.user)
    filters = filters_form.filters()
    today = local_today(request.user)
    template = "contacts/contact_list.html" + ("#results" if request.htmx else "")
    paginator = selectors.SearchPaginator.for_search(
        owner=request.user, filters=filters, today=today, per_page=PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    bulk_form = BulkEditForm(owner=request.user)
    share_circle_choices(filters_form.fields["circle"], bulk_form.fields["target_circle"])
    return render(
        request,
        template,
        {
            "page": page,
            "rows": contact_list_rows(page.object_list, today=today),
            "links": contact_list_links(),
            "filters_form": filters_form,
            "filters": filters,
            "query": filters.query,
            "today": today,
            "bulk_form": bulk_form,
            "last_change": selectors.bulk_change_undoable(owner=request.user),
        },
    )


@require_POST
@login_required
def contact_bulk(request: HtmxHttpRequest) -> HttpResponse:
    form = BulkEditForm(request.POST, owner=request.user)
    back = reverse("contacts:list") + "?" + request.POST.get("querystring", "")
    if not form.is_valid():
        messages_from_errors(request, form)
        return HttpResponseRedirect(back)
    ids = form.contact_ids(today=local_today(request.user))
    action = form.cleaned_data["action"]
    if action == "delete" and request.POST.get("confirmed") != "yes":
        return _bulk_delete_confirmation(request, form, ids)
    if action == "delete":
        deleted = services.contacts_bulk_delete(owner=request.user, contact_ids=ids)
        messages.success(request, f"Deleted {deleted} {people(deleted)}.")
        return HttpResponseRedirect(back)
    try:
        change = services.contacts_bulk_edit(
            owner=request.user, contact_ids=ids, action=action, value=form.value()
        )
    except services.InterestLimitReached as error:
        messages.error(request, str(error))
    else:
        messages.success(request, change.description + ".")
    return HttpResponseRedirect(back)


def _bulk_delete_confirmation(
    request: HtmxHttpRequest, form: BulkEditForm, ids: list[int]
) -> HttpResponse:
    selected = Contact.objects.filter(owner=request.user, pk__in=ids)
    all_matching = form.cleaned_data.get("all_matching")
    context = {
        # "All matching" is confirmed by its filters, not thousands of ids (Django refuses a
        # form with more than 1000 fields).
        "ids": [] if all_matching else ids,
        "all_matching": all_matching,
        "filter_fields": form.filter_fields(),
        "contacts": selected[:10],
        "count": len(ids),
        "querystring": request.POST.get("querystring", ""),
        # What else goes with them (their interactions) comes from the apps above.
        "sections": sections_for("contact.delete", owner=request.user, contact_ids=ids),
    }
    return render(request, "contacts/contact_bulk_delete.html", context)


@require_POST
@login_required
def contact_bulk_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    change = get_owned_or_404(BulkChange, request.user, pk=pk)
    if change != _undoable_change(request.user):
        messages.error(request, "Only the most recent bulk change can be undone.")
    else:
        services.contacts_bulk_undo(change=change, now=now())
        messages.success(request, f"Undone: {change.description}.")
    return redirect_back(request, fallback=reverse("contacts:list"))
