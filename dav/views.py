"""The DAV endpoint: every request under /dav/ goes to Radicale (dav.radicale_app), after the
checks that are the app's and not Radicale's: body size, app-password authentication, the
owner's own paths only (404 for anyone else's), XML without DTDs or entities
(docs/architecture.md, "Sync with phones")."""

from __future__ import annotations

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
)
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.services import app_password_authenticate
from dav import context
from dav import radicale_app as app
from network_crm import clock


# CSRF-exempt: DAV authenticates each request by an app password in its Authorization header,
# never by the session cookie a cross-site form would carry.
@csrf_exempt
@require_http_methods(app.DAV_METHODS)
def dav(request: HttpRequest, path: str = "") -> HttpResponse:
    limit = settings.DAV_MAX_BODY_BYTES
    # The header first, so an announced large body is never read; then what was read.
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit or len(request.body) > limit:
        return HttpResponse("Request body too large", status=413)
    body, path = request.body, "/" + path
    credentials = app.basic_credentials(request)
    app_password = credentials and app_password_authenticate(
        email=credentials[0],
        password=credentials[1],
        ip_address=request.META.get("REMOTE_ADDR"),
        now=clock.now(),
    )
    if not app_password:
        if request.method == "OPTIONS":  # what the server can do is no secret
            return app.run(app.environ_for(request, path, body), None)
        return app.unauthorized()
    path = app.owned_path(path, owner=app_password.owner)
    if path is None:
        return app.not_found()
    try:
        root = app.xml_body(request.method, body)
    except app.BadBody:
        return HttpResponseBadRequest("Malformed or unsafe XML")
    dav_request = app.dav_request(request, app_password=app_password, root=root, body=body)
    with context.serving(dav_request):
        return app.run(app.environ_for(request, path, body), dav_request)


@csrf_exempt
@require_http_methods(app.DAV_METHODS)
def well_known(request: HttpRequest) -> HttpResponse:
    # RFC 6764: /.well-known/carddav and /.well-known/caldav lead to the DAV root, whatever
    # the method (clients PROPFIND it).
    return HttpResponsePermanentRedirect(app.SCRIPT_NAME + "/")
