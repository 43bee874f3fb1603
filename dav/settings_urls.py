"""Settings → "Sync with your phone" (mounted at /accounts/settings/sync/ by the root URLconf)."""

from django.urls import path

from dav import settings_views as views

app_name = "dav_settings"

urlpatterns = [
    path("", views.sync_settings, name="page"),
    path("devices/", views.device_add, name="device_add"),
    path("devices/<int:pk>/new/", views.device_new, name="device_new"),
    path("devices/<int:pk>/profile/", views.device_profile, name="device_profile"),
    path("devices/<int:pk>/revoke/", views.device_revoke, name="device_revoke"),
]
