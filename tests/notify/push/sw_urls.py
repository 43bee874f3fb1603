"""The project's URLs, plus a stand-in /sw.js while the installable shell's service worker is
not there (branch h-pwa serves the real one, which imports the same js/sw-push.js): the push
handlers under test are always the real ones."""

from __future__ import annotations

from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import Resolver404, get_resolver, path

from network_crm.urls import urlpatterns as project_urlpatterns


def _stand_in_sw(request):
    script = f'importScripts("{static("js/sw-push.js")}");\n'
    response = HttpResponse(script, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def _project_serves_sw() -> bool:
    try:
        get_resolver("network_crm.urls").resolve("/sw.js")
    except Resolver404:
        return False
    return True


urlpatterns = ([] if _project_serves_sw() else [path("sw.js", _stand_in_sw)]) + list(
    project_urlpatterns
)
