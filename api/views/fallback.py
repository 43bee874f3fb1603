"""What /api/ answers for a URL that matches no route: a JSON 404 like every other API error,
not the HTML page (e.g. ``/api/v1/contacts/0.5/``, which no router lookup matches).

It also takes the place of CommonMiddleware's APPEND_SLASH redirect for the API (a redirected
POST would lose its body): the answer names the URL with the slash instead.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt


# Nothing here reads or changes anything, so a write to a wrong URL needs no CSRF token to be told.
@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    detail = "No such URL in the API (see /api/docs/)."
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            detail = f"No such URL in the API: did you mean {request.path}/ (with the slash)?"
    return JsonResponse({"detail": detail}, status=404)
