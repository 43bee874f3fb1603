"""/api/: the versioned API under v1/, its OpenAPI schema and its docs (mounted by the root URLconf)."""

from django.urls import include, path, re_path

from api.views import (
    contacts,
    fallback,
    interactions,
    me,
    meta,
    portability,
    reminders,
    webhooks,
)

app_name = "api"

v1 = [
    path("", meta.index, name="index"),
    *me.urlpatterns,
    *contacts.urlpatterns,
    *interactions.urlpatterns,
    *reminders.urlpatterns,
    *portability.urlpatterns,
    *webhooks.urlpatterns,
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", meta.schema, name="schema"),
    path("docs/", meta.docs, name="docs"),
    # Last: anything else under /api/ is a JSON 404 (api/views/fallback.py).
    re_path(r"^", fallback.not_found),
]
