"""Import, export, backup/restore and merging (moving to the portability app)."""

from __future__ import annotations

import json
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contacts import duplicates, exports, imports, selectors, tasks
from contacts.forms import (
    ContactListFiltersForm,
)
from contacts.importers import MAPPABLE_FIELDS
from contacts.models import (
    Contact,
    ImportBatch,
    Merge,
)
from network_crm.clock import local_today, now
from network_crm.owned import get_owned_or_404


def _export_response(contacts, export_format: str, stem: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.export_chunks(contacts, export_format),
        content_type=exports.EXPORT_FORMATS[export_format].content_type,
    )
    filename = exports.export_filename(stem, export_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def contact_export(request: HttpRequest) -> HttpResponse:
    """All (or the filtered) contacts as vCard 4.0, vCard 3.0 (?format=vcard3), CSV for
    spreadsheets (csv) or Google Contacts CSV (google)."""
    export_format = request.GET.get("format", "vcard")
    if export_format not in exports.EXPORT_FORMATS:
        raise Http404("Unknown export format.")
    filters = ContactListFiltersForm(request.GET, owner=request.user).filters()
    if not request.GET.get("status"):
        # "Everyone" in an export means everyone, archived people included.
        contacts = Contact.objects.for_owner(request.user)
        if filters.query or filters.circle_id or filters.interest_id:
            contacts = selectors.contacts_search(
                owner=request.user, filters=filters, today=local_today(request.user)
            )
    else:
        contacts = selectors.contacts_search(
            owner=request.user, filters=filters, today=local_today(request.user)
        )
    return _export_response(contacts, export_format, "network-crm-contacts")


@login_required
def account_backup(request: HttpRequest) -> HttpResponse:
    """Everything the user owns as one JSON file."""
    response = StreamingHttpResponse(
        exports.backup_json(owner=request.user), content_type="application/json; charset=utf-8"
    )
    stamp = local_today(request.user).isoformat()
    response["Content-Disposition"] = f'attachment; filename="network-crm-backup-{stamp}.json"'
    return response


# --- Import -------------------------------------------------------------------------------


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    """Upload a file; it is kept and previewed before anything is imported."""
    if request.method == "POST":
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.IMPORT_MAX_BYTES + 64 * 1024:
            messages.error(
                request,
                f"That file is too large; the limit is {settings.IMPORT_MAX_BYTES // 2**20} MB.",
            )
            return redirect("contacts:import")
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "Choose a file to import first.")
            return redirect("contacts:import")
        try:
            batch = imports.import_upload(owner=request.user, upload=upload)
        except imports.ImportRefused as error:
            messages.error(request, str(error))
            return redirect("contacts:import")
        if batch.kind != "csv":  # any other CSV first asks which column is what
            imports.import_preview(batch=batch)
        return redirect("contacts:import_detail", pk=batch.pk)
    recent = ImportBatch.objects.for_owner(request.user).defer("text")[:5]
    return render(request, "contacts/import_start.html", {"recent": recent})


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview (before), progress (during, polled by htmx) and result (after) of one import."""
    batch = get_owned_or_404(ImportBatch.objects.defer("text"), request.user, pk=pk)
    template = "contacts/import_detail.html" + ("#import-status" if request.htmx else "")
    columns = []
    if batch.kind == "csv" and batch.state == ImportBatch.State.UPLOADED:
        columns = list(
            zip(batch.summary.get("headers", []), batch.summary.get("mapping", []), strict=False)
        )
    return render(
        request,
        template,
        {
            "batch": batch,
            "summary": batch.summary,
            "columns": columns,
            "fields": MAPPABLE_FIELDS,
        },
    )


@require_POST
@login_required
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Which CSV column is what; then the preview."""
    batch = get_owned_or_404(ImportBatch, request.user, pk=pk)
    allowed = {key for key, _ in MAPPABLE_FIELDS}
    headers = batch.summary.get("headers", [])
    mapping = [request.POST.get(f"column_{index}", "") for index in range(len(headers))]
    mapping = [value if value in allowed else "" for value in mapping]
    if batch.kind != "csv" or batch.state != ImportBatch.State.UPLOADED:
        messages.error(request, "This import can't be changed any more.")
    elif not {"name", "first_name", "last_name"} & set(mapping):
        messages.error(request, "Say which column holds the name (or first and last name).")
    else:
        imports.import_set_mapping(batch=batch, mapping=mapping)
    return redirect("contacts:import_detail", pk=batch.pk)


@require_POST
@login_required
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_owned_or_404(ImportBatch, request.user, pk=pk)
    if batch.state != ImportBatch.State.UPLOADED:
        messages.error(request, "This import has already run.")
    elif not imports.import_runs_in_request(batch=batch):
        # Big files (many cards, or many lines) run in a worker; the page polls for progress.
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.QUEUED)
        transaction.on_commit(partial(tasks.run_import.delay, batch.pk), robust=True)
    else:
        batch = imports.import_run(batch=batch, now=now())
        result = batch.summary.get("result", {})
        updated = len(batch.summary.get("merged", []))
        details = f"; new details added to {updated} already there" if updated else ""
        messages.success(request, f"Imported {result.get('created', 0)} people{details}.")
    return redirect("contacts:import_detail", pk=batch.pk)


@require_POST
@login_required
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_owned_or_404(ImportBatch, request.user, pk=pk)
    if batch.state not in (ImportBatch.State.DONE, ImportBatch.State.FAILED):
        messages.error(request, "Only a finished (or failed) import can be undone.")
    else:
        removed, taken_back = imports.import_undo(batch=batch)
        message = f"Import undone: {removed} people removed"
        if taken_back:
            message += f", new details taken back from {taken_back}"
        messages.success(request, message + ".")
    return redirect("contacts:import_detail", pk=batch.pk)


# --- Duplicates ---------------------------------------------------------------------------


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "contacts/duplicate_list.html",
        {
            "pairs": duplicates.duplicate_pairs(owner=request.user),
            "last_merge": Merge.objects.for_owner(request.user).filter(undone_at=None).first(),
        },
    )


@login_required
def contact_merge(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Compare two people field by field and merge the second into the first."""
    survivor = get_owned_or_404(Contact, request.user, pk=pk)
    other = get_owned_or_404(Contact, request.user, pk=other_pk)
    if survivor.pk == other.pk:
        raise Http404("Pick two different people.")
    if request.method == "POST":
        if request.POST.get("not_duplicates"):
            duplicates.mark_not_duplicate(owner=request.user, first=survivor, second=other)
            messages.success(
                request, f"Noted: {survivor.name} and {other.name} are different people."
            )
            return redirect("contacts:duplicates")
        picks = {
            name: request.POST.get(f"pick_{name}", "survivor")
            for name in duplicates.MERGEABLE_FIELDS
        }
        merge = duplicates.contacts_merge(
            survivor=survivor, other=other, picks=picks, today=local_today(request.user)
        )
        messages.success(request, f"Merged {merge.merged_name} into {survivor.name}.")
        return redirect("contacts:duplicates")
    rows = []
    for name in duplicates.MERGEABLE_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(other, name)
        if mine or theirs:
            rows.append(
                {
                    "name": name,
                    "label": Contact._meta.get_field(name).verbose_name.capitalize(),
                    "mine": mine,
                    "theirs": theirs,
                    "default": "other" if (not mine and theirs) else "survivor",
                }
            )
    return render(
        request,
        "contacts/contact_merge.html",
        {"survivor": survivor, "other": other, "rows": rows},
    )


@require_POST
@login_required
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_owned_or_404(Merge, request.user, pk=pk)
    if merge.undone_at is not None:
        messages.error(request, "This merge was already undone.")
    else:
        restored = duplicates.merge_undo(merge=merge, now=now())
        messages.success(request, f"Merge undone: {restored.name} is back.")
    return redirect("contacts:duplicates")


@require_POST
@login_required
def backup_restore(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("backup")
    if upload is None or (upload.size or 0) > settings.IMPORT_MAX_BYTES * 5:
        messages.error(request, "Choose a network-crm backup file (.json) to restore.")
        return redirect("contacts:import")
    try:
        data = json.loads(upload.read().decode("utf-8-sig"))
        restored = exports.backup_restore(owner=request.user, data=data)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        message = (
            str(error)
            if isinstance(error, exports.RestoreRefused)
            else "That file isn't a network-crm backup."
        )
        messages.error(request, message)
        return redirect("contacts:import")
    messages.success(request, f"Backup restored: {restored} people, with their history.")
    return redirect("contacts:list")
