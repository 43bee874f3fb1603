from __future__ import annotations

import datetime as dt
import json
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from contacts import duplicates, exports, imports, selectors, services, tasks
from contacts.forms import (
    BulkEditForm,
    CircleForm,
    ContactForm,
    ContactListFiltersForm,
    ContactMethodFormSet,
    ImportantDateFormSet,
    InterestAddForm,
)
from contacts.importers import MAPPABLE_FIELDS
from contacts.limits import MAX_DATES_PER_CONTACT, MAX_METHODS_PER_CONTACT, MAX_SHOWN_INTERESTS
from contacts.models import (
    BulkChange,
    Circle,
    Contact,
    ContactMethod,
    ImportantDate,
    ImportBatch,
    Interest,
    Merge,
)
from contacts.photos import MAX_UPLOAD_BYTES, PhotoError
from interactions.forms import QuickLogForm
from interactions.models import Interaction
from network_crm.clock import local_today, now
from network_crm.http import redirect_back
from network_crm.owned import get_owned_or_404
from network_crm.text import fold

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
                    "interaction_count": Interaction.objects.filter(
                        owner=request.user, contacts__in=ids
                    )
                    .distinct()
                    .count(),
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


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(
        Contact.objects.select_related("circle", "introduced_by"), request.user, pk=pk
    )
    today = local_today(request.user)
    template = "contacts/contact_detail.html" + ("#activity" if request.htmx else "")
    interests = selectors.first_of(
        contact.interests.order_by("-mine", "folded_name"), limit=MAX_SHOWN_INTERESTS
    )
    methods = selectors.first_of(contact.methods.all(), limit=MAX_METHODS_PER_CONTACT)
    dates = selectors.first_of(contact.dates.all(), limit=MAX_DATES_PER_CONTACT)
    return render(
        request,
        template,
        {
            "contact": contact,
            "today": today,
            "interactions": contact.interactions.order_by("-occurred_at", "-pk")[:10],
            "interaction_count": contact.interactions.count(),
            "methods": methods.items,
            "methods_not_shown": methods.more,
            "dates": [(d, d.next_occurrence(today)) for d in dates.items],
            "dates_not_shown": dates.more,
            "log_form": QuickLogForm(initial={"occurred_on": today}, today=today),
            "interests": interests.items,
            "interests_not_shown": interests.more,
            "shared_interests": [interest for interest in interests.items if interest.mine],
            "interest_form": InterestAddForm(),
            "introduced": contact.introduced.filter(archived=False).order_by("sort_name")[:20],
            "open_reminders": contact.reminders.filter(state__in=["open", "snoozed"]),
        },
    )


@require_POST
@login_required
def contact_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    today = local_today(request.user)
    try:
        until = dt.date.fromisoformat(request.POST["until"]) if request.POST.get("until") else None
        days = min(max(int(request.POST.get("days", 7)), 1), 365)
    except ValueError:
        messages.error(request, "Pick a number of days or a date to snooze until.")
        return redirect_back(request, fallback=contact.get_absolute_url())
    if until is not None:
        if not today < until <= today + dt.timedelta(days=365 * 2):
            messages.error(request, "Pick a date after today and within two years.")
            return redirect_back(request, fallback=contact.get_absolute_url())
        days = (until - today).days
    services.contact_snooze(contact=contact, until=today + dt.timedelta(days=days), today=today)
    if request.htmx:
        return trigger_client_event(HttpResponse(status=204), "contactChanged")
    messages.success(request, f"Snoozed {contact.name} for {days} days.")
    return redirect_back(request, fallback=contact.get_absolute_url())


@require_POST
@login_required
def contact_fine(request: HttpRequest, pk: int) -> HttpResponse:
    """ "We're fine": restart their rhythm from today without logging anything."""
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    services.contact_mark_fine(contact=contact, today=local_today(request.user))
    if request.htmx:
        return trigger_client_event(HttpResponse(status=204), "contactChanged")
    messages.success(
        request, f"Noted: you and {contact.name} are fine. Their rhythm starts again today."
    )
    return redirect_back(request, fallback=contact.get_absolute_url())


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
            "interaction_count": contact.interactions.count(),
        },
    )


# --- Interests -------------------------------------------------------------------------------


def _interests_fragment(request: HttpRequest, contact: Contact, form=None) -> HttpResponse:
    interests = selectors.first_of(
        contact.interests.order_by("-mine", "folded_name"), limit=MAX_SHOWN_INTERESTS
    )
    return render(
        request,
        "contacts/contact_detail.html#interests",
        {
            "contact": contact,
            "interests": interests.items,
            "interests_not_shown": interests.more,
            "interest_form": form or InterestAddForm(),
            # The "You both love…" line under the name updates out of band.
            "oob": True,
            "shared_interests": [interest for interest in interests.items if interest.mine],
        },
    )


@require_POST
@login_required
def contact_interest_add(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    form = InterestAddForm(request.POST)
    problem = "Type an interest to add."
    if form.is_valid():
        try:
            services.contact_interest_add(contact=contact, name=form.cleaned_data["name"])
            form = None
        except services.InterestLimitReached as error:
            problem = str(error)
            form.add_error("name", problem)
    if request.htmx:
        return _interests_fragment(request, contact, form)
    if form is not None:
        messages.error(request, problem)
    return redirect(contact)


@require_POST
@login_required
def contact_interest_remove(request: HttpRequest, pk: int, interest_pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    interest = get_owned_or_404(Interest, request.user, pk=interest_pk)
    services.contact_interest_remove(contact=contact, interest=interest)
    if request.htmx:
        return _interests_fragment(request, contact)
    return redirect(contact)


@login_required
def interest_suggestions(request: HttpRequest) -> HttpResponse:
    """Options for the interest input's datalist: the user's interests starting with the text."""
    # Each interest box sends its own field ("name", "interest", "target_interest", ...): the
    # text typed is the one value of the request.
    query = fold(request.GET.get("name") or next(iter(request.GET.values()), ""))[:80]
    interests = Interest.objects.for_owner(request.user)
    if query:
        interests = interests.filter(folded_name__startswith=query)
    return render(
        request,
        "contacts/interest_suggestions.html",
        {"interests": interests.order_by("-mine", "folded_name")[:10]},
    )


@login_required
def interest_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:80]
    # A list (one user's interests are few enough to hold), counted once for the whole page.
    interests = selectors.interests_for_overview(owner=request.user, query=query)
    page = Paginator(interests, 30).get_page(request.GET.get("page"))
    template = "contacts/interest_list.html" + ("#interest-results" if request.htmx else "")
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "rows": selectors.interests_with_people(
                owner=request.user, interests=list(page.object_list)
            ),
            "today": local_today(request.user),
        },
    )


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


@login_required
def circle_list(request: HttpRequest) -> HttpResponse:
    form = CircleForm(request.POST or None, owner=request.user, prefix="new")
    if request.method == "POST" and form.is_valid():
        circle = services.circle_save(circle=form.save(commit=False))
        messages.success(request, f"Circle “{circle.name}” added.")
        return redirect("contacts:circles")
    circles = (
        Circle.objects.for_owner(request.user)
        .annotate(people=Count("contacts", filter=Q(contacts__archived=False)))
        .order_by(F("cadence_days").asc(nulls_last=True), "name")
    )
    return render(
        request,
        "contacts/circle_list.html",
        {
            "form": form,
            "rows": [
                (circle, CircleForm(instance=circle, owner=request.user, prefix=f"c{circle.pk}"))
                for circle in circles
            ],
        },
    )


@require_POST
@login_required
def circle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    circle = get_owned_or_404(Circle, request.user, pk=pk)
    old_cadence = circle.cadence_days
    form = CircleForm(request.POST, instance=circle, owner=request.user, prefix=f"c{circle.pk}")
    if form.is_valid():
        services.circle_save(circle=form.save(commit=False))
        note = ""
        if circle.cadence_days != old_cadence:
            note = " Everyone in it has been re-timed."
        messages.success(request, f"Circle “{circle.name}” saved.{note}")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("contacts:circles")


@require_POST
@login_required
def circle_delete(request: HttpRequest, pk: int) -> HttpResponse:
    circle = get_owned_or_404(Circle, request.user, pk=pk)
    moved = services.circle_delete(circle=circle)
    messages.success(
        request,
        f"Circle “{circle.name}” deleted; "
        + (
            "1 person in it now has no circle."
            if moved == 1
            else f"{moved} people in it now have no circle."
        ),
    )
    return redirect("contacts:circles")


# --- Photos ----------------------------------------------------------------------------------


@login_required
def contact_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The photo file, only for its owner (never served as a public media URL)."""
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    if not contact.photo:
        raise Http404("No photo.")
    response = FileResponse(contact.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@login_required
def contact_photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    # Refuse an oversized upload before Django spools it to disk.
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES + 64 * 1024:
        messages.error(
            request, f"That picture is too large; the limit is {MAX_UPLOAD_BYTES // 2**20} MB."
        )
        return redirect(contact)
    if request.POST.get("remove"):
        services.contact_photo_remove(contact=contact)
        messages.success(request, "Photo removed.")
        return redirect(contact)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, "Choose a picture to upload first.")
        return redirect(contact)
    try:
        services.contact_photo_set(contact=contact, upload=upload)
    except PhotoError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Photo saved.")
    return redirect(contact)


# --- Export ----------------------------------------------------------------------------------


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
