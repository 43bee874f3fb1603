"""The OpenAPI 3.1 schema and its browsable docs, served from our own static files (the sidecar)
under the strict Content-Security-Policy: the split view loads its script from a URL, not inline."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

# The schema and docs describe the API; they hold no user data, so anyone may read them.
schema = SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[])
docs = SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[AllowAny])
