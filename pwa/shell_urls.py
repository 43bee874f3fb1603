"""The installable app's shell, mounted at the root (pwa/urls.py): the worker must be served from
/ to control every page."""

from django.urls import path

from pwa import shell_views

app_name = "pwa"

urlpatterns = [
    path("manifest.webmanifest", shell_views.manifest, name="manifest"),
    path("sw.js", shell_views.service_worker, name="service_worker"),
    path("offline/", shell_views.offline, name="offline"),
]
