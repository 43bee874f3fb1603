"""The API's own pages: the index of /api/v1/, the OpenAPI 3.1 schema and its browsable docs.

The docs are served from our own static files (drf-spectacular-sidecar) under the strict
Content-Security-Policy: the split view loads its script from a URL, not inline."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

# The schema and docs describe the API; they hold no user data, so anyone may read them.
schema = SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[])
docs = SpectacularSwaggerSplitView.as_view(
    url_name="api:schema", permission_classes=[AllowAny], template_name="api/docs.html"
)


def _resource_names() -> list[str]:
    """The names of /api/v1/'s collections (``<basename>-list``) and of ``me``, as routed."""
    api = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "api"
    )
    v1 = next(entry for entry in api.url_patterns if str(entry.pattern) == "v1/")
    return [
        entry.name
        for entry in v1.url_patterns
        if isinstance(entry, URLPattern)
        and entry.name
        and (entry.name == "me" or entry.name.endswith("-list"))
    ]


INDEX = inline_serializer(
    "ApiIndex",
    {
        "resources": serializers.DictField(
            child=serializers.URLField(), help_text="Each resource's URL, by name."
        ),
        "schema": serializers.URLField(),
        "docs": serializers.URLField(),
    },
)


class IndexView(APIView):
    @extend_schema(
        operation_id="index",
        tags=["index"],
        summary="What the API offers",
        responses=INDEX,
    )
    def get(self, request: Request) -> Response:
        resources = {
            name.removesuffix("-list"): request.build_absolute_uri(reverse(f"api:{name}"))
            for name in _resource_names()
        }
        return Response(
            {
                "resources": resources,
                "schema": request.build_absolute_uri(reverse("api:schema")),
                "docs": request.build_absolute_uri(reverse("api:docs")),
            }
        )


index = IndexView.as_view()
