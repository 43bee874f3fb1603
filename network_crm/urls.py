from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("reminders.urls")),
    path("accounts/", include("accounts.urls")),
    path("contacts/", include("contacts.urls")),
    path("interactions/", include("interactions.urls")),
    path("admin/", admin.site.urls),
]
