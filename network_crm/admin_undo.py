"""Undo for admin actions that have no undo record of their own (re-kind, delete and merge on
interactions and interests, renaming a circle).

The action's service returns what it replaced; ``UndoableAdmin.undo_remember`` keeps it in the
user's session under a random token and gives the URL its message's Undo button posts to
(network_crm.admin.ActionDone, templates/admin/base_site.html). The undo view hands it back to
the model admin's ``undo_<kind>`` method, which calls the service that puts it back. A session
holds the last few undos of that sign-in only: an Undo is for right after the action.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import path, reverse

from network_crm.http import redirect_back

SESSION_KEY = "admin_undo"
KEPT = 5


class UndoableAdmin:
    """Mixed into a ModelAdmin: ``undo_remember`` and the ``…/undo/<token>/`` URL."""

    def undo_remember(self, request: HttpRequest, *, kind: str, payload: Any) -> str:
        """Keep ``payload`` for ``undo_<kind>(request, payload) -> str`` (the message) and
        return the URL that runs it."""
        token = secrets.token_urlsafe(16)
        kept = dict(request.session.get(SESSION_KEY, {}))
        kept[token] = {"user": request.user.pk, "model": self._undo_label(), "kind": kind}
        kept[token]["payload"] = payload
        # The oldest go first (dicts keep their order through JSON).
        request.session[SESSION_KEY] = dict(list(kept.items())[-KEPT:])
        return reverse(f"admin:{self._undo_label()}_undo", args=[token])

    def _undo_label(self) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}"

    def get_urls(self):
        undo = path(
            "undo/<str:token>/",
            self.admin_site.admin_view(self.undo_view),
            name=f"{self._undo_label()}_undo",
        )
        return [undo, *super().get_urls()]

    def undo_view(self, request: HttpRequest, token: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        kept = dict(request.session.get(SESSION_KEY, {}))
        entry = kept.pop(token, None)
        request.session[SESSION_KEY] = kept
        changelist = reverse(f"admin:{self._undo_label()}_changelist")
        if (
            entry is None
            or entry["user"] != request.user.pk
            or entry["model"] != self._undo_label()
        ):
            messages.warning(request, "There is nothing to undo: it was undone already.")
        else:
            text = getattr(self, f"undo_{entry['kind']}")(request, entry["payload"])
            messages.success(request, text)
        return redirect_back(request, fallback=changelist)
