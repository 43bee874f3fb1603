"""Settings → "Notifications on this device" (mounted at /accounts/settings/notifications/push/)."""

from django.urls import path

from notify import push_views as views

app_name = "notify_push"

urlpatterns = [
    path("", views.push_page, name="page"),
    path("subscribe/", views.push_subscribe, name="subscribe"),
    path("unsubscribe/", views.push_unsubscribe, name="unsubscribe"),
    path("devices/<int:pk>/test/", views.push_device_test, name="test"),
    path("devices/<int:pk>/remove/", views.push_device_remove, name="remove"),
]
