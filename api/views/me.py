"""/api/v1/me/: who the token belongs to, and their settings (docs/architecture.md, "The API")."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from accounts.services import user_settings_update
from api.serializers.me import MeSerializer
from network_crm.clock import now


class MeView(generics.GenericAPIView):
    serializer_class = MeSerializer
    parser_classes = [JSONParser]  # a few settings: JSON only, no uploads

    def get_object(self):
        return self.request.user.settings

    @extend_schema(operation_id="me_retrieve", summary="You and your settings")
    def get(self, request, *args, **kwargs) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        operation_id="me_partial_update",
        summary="Change your settings",
        responses={
            200: MeSerializer,
            400: OpenApiResponse(description="A field was refused; nothing was changed."),
        },
    )
    def patch(self, request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user_settings_update(user_settings=serializer.save(), now=now())
        return Response(self.get_serializer(self.get_object()).data)


urlpatterns = [path("me/", MeView.as_view(), name="me")]
