"""What /api/ answers for a URL that matches no route: a JSON 404 like every other API error,
not the HTML page (e.g. ``/api/v1/contacts/0.5/``, which no router lookup matches)."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


# Nothing here reads or changes anything, so a write to a wrong URL needs no CSRF token to be told.
@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    return JsonResponse({"detail": "No such URL in the API (see /api/docs/)."}, status=404)
