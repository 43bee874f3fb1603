"""A person's photo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST, require_safe

from contacts import services
from contacts.models import Contact
from contacts.photos import MAX_UPLOAD_BYTES, PhotoError
from network_crm.http import HtmxHttpRequest
from network_crm.owned import get_owned_or_404


@require_safe
@login_required
def contact_photo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The photo file, only for its owner (never served as a public media URL)."""
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    if not contact.photo:
        raise Http404("No photo.")
    response = FileResponse(contact.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@login_required
def contact_photo_upload(request: HtmxHttpRequest, pk: int) -> HttpResponse:
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
