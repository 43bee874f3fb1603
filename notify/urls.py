"""Settings → notifications (mounted under /accounts/settings/notifications/ by the root URLconf):
channels (notify/channels_urls.py) and this device's push (notify/push_urls.py)."""

from django.urls import include, path

urlpatterns = [
    path("channels/", include("notify.channels_urls")),
    path("push/", include("notify.push_urls")),
]
