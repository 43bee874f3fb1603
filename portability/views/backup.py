"""The full JSON backup, and restoring one into an empty account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST, require_safe

from network_crm.clock import local_today
from network_crm.http import HtmxHttpRequest
from portability import backup


@require_safe
@login_required
def account_backup(request: HtmxHttpRequest) -> HttpResponse:
    """Everything the user owns as one JSON file."""
    response = StreamingHttpResponse(
        backup.backup_json(owner=request.user), content_type="application/json; charset=utf-8"
    )
    stamp = local_today(request.user).isoformat()
    response["Content-Disposition"] = f'attachment; filename="network-crm-backup-{stamp}.json"'
    return response


@require_POST
@login_required
def backup_restore(request: HtmxHttpRequest) -> HttpResponse:
    upload = request.FILES.get("backup")
    if upload is None or (upload.size or 0) > settings.IMPORT_MAX_BYTES * 5:
        messages.error(request, "Choose a network-crm backup file (.json) to restore.")
        return redirect("portability:import")
    try:
        data = backup.backup_read(upload.read())
        restored = backup.backup_restore(owner=request.user, data=data)
    except backup.RestoreRefused as error:
        messages.error(request, str(error))
        return redirect("portability:import")
    messages.success(request, f"Backup restored: {restored} people, with their history.")
    return redirect("contacts:list")
