"""Exports: everyone (or the list's filters) from the export menu, and the list's selection."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from contacts.forms import ContactListFiltersForm
from contacts.models import Contact
from network_crm.clock import local_today
from network_crm.http import HtmxHttpRequest, messages_from_errors
from portability import selectors
from portability.exports import export_chunks
from portability.formats import EXPORT_FORMATS, export_filename
from portability.forms import SelectionExportForm


def _export_response(
    contacts: QuerySet[Contact], export_format: str, stem: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        export_chunks(contacts, export_format),
        content_type=EXPORT_FORMATS[export_format].content_type,
    )
    filename = export_filename(stem, export_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
def contact_export(request: HtmxHttpRequest) -> HttpResponse:
    """All (or the filtered) contacts as vCard 4.0, vCard 3.0 (?format=vcard3), CSV for
    spreadsheets (csv) or Google Contacts CSV (google)."""
    export_format = request.GET.get("format", "vcard")
    if export_format not in EXPORT_FORMATS:
        raise Http404("Unknown export format.")
    contacts = selectors.contacts_to_export(
        owner=request.user,
        filters=ContactListFiltersForm(request.GET, owner=request.user).filters(),
        today=local_today(request.user),
        everyone=not request.GET.get("status"),
    )
    return _export_response(contacts, export_format, "network-crm-contacts")


@require_POST
@login_required
def selection_export(request: HtmxHttpRequest) -> HttpResponse:
    """The contact list's selection (its bulk form's export buttons post here)."""
    form = SelectionExportForm(request.POST, owner=request.user)
    if not form.is_valid():
        messages_from_errors(request, form)
        back = reverse("contacts:list") + "?" + request.POST.get("querystring", "")
        return HttpResponseRedirect(back)
    ids = form.contact_ids(today=local_today(request.user))
    contacts = Contact.objects.filter(owner=request.user, pk__in=ids)
    return _export_response(contacts, form.cleaned_data["format"], "network-crm-selection")
