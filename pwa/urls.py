"""The installable app, mounted at the root: the shell (manifest, service worker, offline page:
pwa/shell_urls.py) and the share target (pwa/share_urls.py)."""

from django.urls import include, path

urlpatterns = [
    path("", include("pwa.shell_urls")),
    path("share/", include("pwa.share_urls")),
]
