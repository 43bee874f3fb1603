"""Settings → webhooks pages (mounted under /accounts/settings/webhooks/ by the root URLconf)."""

from django.urls import path

from api import webhooks_views as views

app_name = "api_webhooks"

urlpatterns = [
    path("", views.webhook_list, name="list"),
    path("<int:pk>/", views.webhook_detail, name="detail"),
    path("<int:pk>/rotate-secret/", views.webhook_rotate, name="rotate"),
    path("<int:pk>/delete/", views.webhook_delete, name="delete"),
]
