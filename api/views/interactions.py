"""/api/v1/ routes: interactions (docs/architecture.md, "The API").

Every write goes through interactions.services, as the pages' do, so due dates, the per-day
counts (ActivityDay) and follow-up reminders follow exactly as when logging from the app."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from api.base import (
    IDEMPOTENCY_KEY,
    IF_MATCH,
    PRECONDITION_FAILED,
    ETagMixin,
    OwnedViewSet,
    UpdatedSinceFilter,
    etag_of,
)
from api.idempotency import idempotent
from api.serializers.interactions import InteractionFiltersSerializer, InteractionSerializer
from contacts.models import Contact
from interactions import selectors, services
from interactions.models import Interaction
from network_crm.clock import local_today


def etag_header(*codes: int) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=list(codes),
        description="The interaction's version, to send back in If-Match.",
    )


LOCATION = OpenApiParameter(
    "Location",
    str,
    OpenApiParameter.HEADER,
    response=[201],
    description="The new interaction's URL.",
)


class InteractionFilter(BaseFilterBackend):
    """?contact= &circle= &kind= &since= &until=: the activity page's selector."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        filters = InteractionFiltersSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        chosen = selectors.interactions_filtered(owner=request.user, **filters.selector_arguments())
        return queryset & chosen

    def get_schema_operation_parameters(self, view):
        return []  # declared from InteractionFiltersSerializer in the list's extend_schema


@extend_schema_view(
    list=extend_schema(
        summary="Your interactions",
        description="Oldest first by id (a stable cursor); narrow with the filters.",
        parameters=[InteractionFiltersSerializer],
    ),
    create=extend_schema(
        summary="Log an interaction",
        description="Moves its people's last-contact and due dates, like logging in the app.",
        parameters=[IDEMPOTENCY_KEY, LOCATION, etag_header(201)],
        responses={201: InteractionSerializer},
    ),
    retrieve=extend_schema(
        summary="One interaction",
        parameters=[etag_header(200)],
        responses={200: InteractionSerializer},
    ),
    update=extend_schema(
        summary="Replace an interaction",
        parameters=[IF_MATCH, etag_header(200)],
        responses={200: InteractionSerializer, 412: PRECONDITION_FAILED},
    ),
    partial_update=extend_schema(
        summary="Change an interaction",
        description="Re-dating it or changing who was there moves everyone's due dates.",
        parameters=[IF_MATCH, etag_header(200)],
        responses={200: InteractionSerializer, 412: PRECONDITION_FAILED},
    ),
    destroy=extend_schema(
        summary="Delete an interaction",
        description="Its people's dates fall back on the interactions that remain.",
        parameters=[IF_MATCH],
        responses={204: OpenApiResponse(description="Deleted."), 412: PRECONDITION_FAILED},
    ),
)
class InteractionViewSet(ETagMixin, mixins.ListModelMixin, OwnedViewSet):
    serializer_class = InteractionSerializer
    filter_backends = [UpdatedSinceFilter, InteractionFilter]

    def owned_queryset(self, owner):
        # The people's ids in one query per page, whatever its size.
        people = Prefetch("contacts", queryset=Contact.objects.only("pk"))
        return Interaction.objects.filter(owner=owner).prefetch_related(people)

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interaction = services.interaction_log(
            owner=request.user,
            contacts=serializer.validated_data["contacts"],
            today=local_today(request.user),
            **serializer.validated_data["fields"],
        )
        data = self.serializer_class(
            self.get_queryset().get(pk=interaction.pk), context=self.get_serializer_context()
        ).data
        location = request.build_absolute_uri(
            reverse("api:interaction-detail", args=[interaction.pk])
        )
        headers = {"Location": location, "ETag": etag_of(data)}
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    def perform_update(self, serializer) -> None:
        services.interaction_update(
            interaction=serializer.instance,
            contacts=serializer.validated_data["contacts"],
            today=local_today(self.request.user),
            **serializer.validated_data["fields"],
        )

    def perform_destroy(self, instance) -> None:
        services.interaction_delete(interaction=instance, today=local_today(self.request.user))


router = SimpleRouter()
router.register("interactions", InteractionViewSet, basename="interaction")

urlpatterns = router.urls
