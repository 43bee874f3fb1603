"""The answer to an action: what happened, with an Undo when it can be taken back.

Every page has one live region, ``#announce`` in templates/base.html (role="status"). An htmx
action answers with ``templates/_announce.html`` retargeted into it (whatever the form's own
hx-target says), and static/js/app.js moves focus there, so the Undo is one Tab away. Without
htmx the same fragment travels as a message to the page the form came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django_htmx.http import reswap, retarget, trigger_client_event

from network_crm.http import HtmxHttpRequest, redirect_back

TEMPLATE = "_announce.html"


@dataclass(frozen=True)
class Undo:
    """The form that takes an action back: where it posts and its hidden fields."""

    url: str
    fields: dict[str, str] = field(default_factory=dict)


def announce(
    request: HtmxHttpRequest,
    text: str,
    *,
    fallback: str,
    undo: Undo | None = None,
    event: str | None = None,
) -> HttpResponse:
    """Answer an action: the fragment into ``#announce`` for htmx (with ``event`` triggered, so
    the lists listening refresh themselves), else a message and a redirect back."""
    context = {"text": text, "undo": undo, "next": request.POST.get("next", "")}
    if request.htmx:
        response = reswap(retarget(render(request, TEMPLATE, context), "#announce"), "innerHTML")
        return trigger_client_event(response, event) if event else response
    # The message is our own rendered template (its text escaped there), hence safe to keep.
    messages.success(
        request, render_to_string(TEMPLATE, context, request=request), extra_tags="announce"
    )
    return redirect_back(request, fallback=fallback)


def announce_oob(request: HtmxHttpRequest, text: str, *, undo: Undo | None = None) -> str:
    """The same fragment, to send out of band beside a response that swaps something else."""
    context = {"text": text, "undo": undo, "oob": True}
    return render_to_string(TEMPLATE, context, request=request)
