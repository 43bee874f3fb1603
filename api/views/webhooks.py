"""/api/v1/ routes: webhooks and their deliveries (docs/architecture.md, "Webhooks").

Thin: every write goes through api/services/webhooks.py, as the settings pages' do."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from api.base import (
    IDEMPOTENCY_KEY,
    IF_MATCH,
    PRECONDITION_FAILED,
    ETagMixin,
    OwnedViewSet,
    etag_of,
)
from api.idempotency import idempotent
from api.models import Webhook
from api.serializers.webhooks import (
    WebhookDeliverySerializer,
    WebhookSerializer,
    WebhookWithSecretSerializer,
)
from api.services import webhooks as services

BAD_URL = OpenApiResponse(description="A field is invalid, e.g. a URL we will not send to.")


def _url_refused(exc: services.WebhookUrlError) -> exceptions.ValidationError:
    return exceptions.ValidationError({"url": [str(exc)]})


@extend_schema_view(
    list=extend_schema(summary="Your webhooks"),
    retrieve=extend_schema(summary="A webhook"),
    update=extend_schema(
        summary="Replace a webhook",
        parameters=[IF_MATCH],
        responses={200: WebhookSerializer, 400: BAD_URL, 412: PRECONDITION_FAILED},
    ),
    partial_update=extend_schema(
        summary="Change a webhook",
        parameters=[IF_MATCH],
        responses={200: WebhookSerializer, 400: BAD_URL, 412: PRECONDITION_FAILED},
    ),
    destroy=extend_schema(
        summary="Delete a webhook and its deliveries",
        parameters=[IF_MATCH],
        responses={204: None, 412: PRECONDITION_FAILED},
    ),
)
class WebhookViewSet(ETagMixin, mixins.ListModelMixin, OwnedViewSet):
    serializer_class = WebhookSerializer

    def owned_queryset(self, owner):
        # Not from serializer_class: the deliveries action has its own.
        return Webhook.objects.filter(owner=owner)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Webhook.objects.none()
        return self.owned_queryset(self.request.user)

    @extend_schema(
        summary="Register a webhook",
        description="Answers the webhook with its `secret`, which is not shown again.",
        parameters=[IDEMPOTENCY_KEY],
        request=WebhookSerializer,
        responses={201: WebhookWithSecretSerializer, 400: BAD_URL},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            webhook = services.webhook_create(owner=request.user, **serializer.validated_data)
        except services.WebhookUrlError as exc:
            raise _url_refused(exc) from None
        data = WebhookWithSecretSerializer(webhook).data
        headers = {
            "Location": request.build_absolute_uri(f"{webhook.pk}/"),
            "ETag": self.etag_for(webhook),
        }
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    def perform_update(self, serializer) -> None:
        try:
            services.webhook_update(webhook=serializer.instance, **serializer.validated_data)
        except services.WebhookUrlError as exc:
            raise _url_refused(exc) from None

    def perform_destroy(self, instance) -> None:
        services.webhook_delete(webhook=instance)

    @extend_schema(
        summary="A new secret for a webhook",
        description="The old secret stops signing at once; the new one is answered here only.",
        request=None,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: WebhookWithSecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    @idempotent
    def rotate_secret(self, request, *args, **kwargs):
        webhook = services.webhook_secret_rotate(webhook=self.get_object())
        data = WebhookWithSecretSerializer(webhook).data
        return Response(data, headers={"ETag": etag_of(WebhookSerializer(webhook).data)})

    @extend_schema(
        summary="A webhook's deliveries, newest first",
        responses={200: WebhookDeliverySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], serializer_class=WebhookDeliverySerializer)
    def deliveries(self, request, *args, **kwargs):
        webhook = self.get_object()
        queryset = services.webhook_deliveries(webhook=webhook)
        paginator = self.paginator
        paginator.ordering = "-id"
        page = paginator.paginate_queryset(queryset, request, view=self)
        serializer = WebhookDeliverySerializer(page, many=True)
        return paginator.get_paginated_response(serializer.data)


router = SimpleRouter()
router.register("webhooks", WebhookViewSet, basename="webhook")

urlpatterns = router.urls
