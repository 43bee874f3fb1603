"""Settings → Channels pages (mounted under /accounts/settings/notifications/channels/)."""

from django.urls import path

from notify import channels_views as views

app_name = "notify_channels"

urlpatterns = [
    path("", views.channel_list, name="list"),
    path("<int:pk>/", views.channel_edit, name="edit"),
    path("<int:pk>/test/", views.channel_test, name="test"),
    path("<int:pk>/switch/", views.channel_switch, name="switch"),
    path("<int:pk>/delete/", views.channel_delete, name="delete"),
]
