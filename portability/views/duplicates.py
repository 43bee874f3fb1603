"""Likely duplicates, comparing and merging two people, and undoing a merge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contacts.models import Contact
from network_crm.clock import local_today, now
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404
from portability import duplicates, selectors
from portability.forms import merge_picks
from portability.models import Merge


@require_safe
@login_required
def duplicate_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(
        request,
        "portability/duplicate_list.html",
        {
            "pairs": duplicates.duplicate_pairs(owner=request.user),
            "last_merge": Merge.objects.for_owner(request.user).filter(undone_at=None).first(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def contact_merge(request: HtmxHttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Compare two people field by field and merge the second into the first."""
    survivor = get_owned_or_404(Contact, request.user, pk=pk)
    other = get_owned_or_404(Contact, request.user, pk=other_pk)
    if survivor.pk == other.pk:
        raise Http404("Pick two different people.")
    if request.method == "GET":
        rows = selectors.merge_rows(survivor=survivor, other=other)
        context = {"survivor": survivor, "other": other, "rows": rows}
        return render(request, "portability/contact_merge.html", context)
    if request.POST.get("not_duplicates"):
        duplicates.mark_not_duplicate(owner=request.user, first=survivor, second=other)
        messages.success(request, f"Noted: {survivor.name} and {other.name} are different people.")
        return redirect("portability:duplicates")
    merge = duplicates.contacts_merge(
        survivor=survivor,
        other=other,
        picks=merge_picks(request.POST),
        today=local_today(request.user),
    )
    messages.success(request, f"Merged {merge.merged_name} into {survivor.name}.")
    return redirect("portability:duplicates")


@require_POST
@login_required
def merge_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    merge = get_owned_or_404(Merge, request.user, pk=pk)
    if merge.undone_at is not None:
        messages.error(request, "This merge was already undone.")
    else:
        restored = duplicates.merge_undo(merge=merge, now=now())
        messages.success(request, f"Merge undone: {restored.name} is back.")
    return redirect("portability:duplicates")
