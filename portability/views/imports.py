"""Import: upload, preview (with a CSV's column mapping), confirm, progress, undo."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from network_crm.clock import now
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404
from network_crm.text import people
from portability import imports, selectors, services
from portability.formats.csv import MAPPABLE_FIELDS
from portability.forms import ImportMappingForm
from portability.models import ImportBatch


@require_http_methods(["GET", "POST"])
@login_required
def import_start(request: HtmxHttpRequest) -> HttpResponse:
    """Upload a file; it is kept and previewed before anything is imported."""
    if request.method == "GET":
        recent = ImportBatch.objects.for_owner(request.user).defer("text")[:5]
        return render(request, "portability/import_start.html", {"recent": recent})
    limit = settings.IMPORT_MAX_BYTES
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:
        messages.error(request, f"That file is too large; the limit is {limit // 2**20} MB.")
        return redirect("portability:import")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a file to import first.")
        return redirect("portability:import")
    try:
        batch = services.import_begin(owner=request.user, upload=upload)
    except imports.ImportRefused as error:
        messages.error(request, str(error))
        return redirect("portability:import")
    return redirect("portability:import_detail", pk=batch.pk)


@require_safe
@login_required
def import_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Preview (before), progress (during, polled by htmx) and result (after) of one import."""
    batch = get_owned_or_404(ImportBatch.objects.defer("text"), request.user, pk=pk)
    template = "portability/import_detail.html" + ("#import-status" if request.htmx else "")
    context = {
        "batch": batch,
        "summary": batch.summary,
        "columns": selectors.import_columns(batch=batch),
        "fields": MAPPABLE_FIELDS,
    }
    return render(request, template, context)


@require_POST
@login_required
def import_mapping(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Which CSV column is what; then the preview."""
    batch = get_owned_or_404(ImportBatch, request.user, pk=pk)
    form = ImportMappingForm(request.POST, batch=batch)
    if form.is_valid():
        imports.import_set_mapping(batch=batch, mapping=form.cleaned_data["mapping"])
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect("portability:import_detail", pk=batch.pk)


@require_POST
@login_required
def import_confirm(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    batch = get_owned_or_404(ImportBatch, request.user, pk=pk)
    try:
        done = services.import_confirm(batch=batch, now=now())
    except imports.ImportRefused as error:
        messages.error(request, str(error))
        done = None
    if done:
        result = done.summary.get("result", {})
        updated = len(done.summary.get("merged", []))
        details = f"; new details added to {updated} already there" if updated else ""
        created = result.get("created", 0)
        messages.success(request, f"Imported {created} {people(created)}{details}.")
    return redirect("portability:import_detail", pk=batch.pk)


@require_POST
@login_required
def import_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    batch = get_owned_or_404(ImportBatch, request.user, pk=pk)
    try:
        removed, taken_back = services.import_undo(batch=batch)
    except imports.ImportRefused as error:
        messages.error(request, str(error))
    else:
        message = f"Import undone: {removed} people removed"
        if taken_back:
            message += f", new details taken back from {taken_back}"
        messages.success(request, message + ".")
    return redirect("portability:import_detail", pk=batch.pk)
